// Rows for the live training charts: training points and evaluations merged by step (non-finite values dropped).
import type { EvalPoint, TrainPoint } from '../../protocol/messages';

export type StepRow = {
  step: number;
  trainLoss?: number;
  learningRate?: number;
  valLoss?: number;
  valAccuracy?: number;
  macroF1?: number;
  probe?: number;
};

const finite = (x: number | null | undefined) => (x != null && Number.isFinite(x) ? x : undefined);

export function mergeByStep(trainPoints: readonly TrainPoint[], evalPoints: readonly EvalPoint[]): StepRow[] {
  const byStep = new Map<number, StepRow>();
  for (const p of trainPoints) byStep.set(p.step, { step: p.step, trainLoss: finite(p.loss), learningRate: finite(p.learningRate) });
  for (const e of evalPoints) {
    const row = byStep.get(e.step) ?? { step: e.step };
    byStep.set(e.step, {
      ...row,
      valLoss: finite(e.valLoss),
      valAccuracy: finite(e.valAccuracy),
      macroF1: finite(e.macroF1),
      probe: finite(e.probe),
    });
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export const formatNumber = (v: unknown) =>
  typeof v === 'number' ? (Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(2) : v.toFixed(4)) : String(v);

export const CHART_MARGIN = { top: 8, right: 24, bottom: 8, left: 0 };
