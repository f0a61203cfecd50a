// The metric history of a training run: what the loop reports after each step and each evaluation.
// Types only; read by diagnostics.ts, the loop and (through the worker) the charts.
import type { ClassificationMetrics } from './metrics';

/** One optimizer step. */
export type TrainPoint = {
  step: number; // 1-based optimizer step
  epoch: number; // 1-based
  /** Mean training loss of the step's examples (over all micro-batches). */
  loss: number;
  learningRate: number;
  /** Global L2 norm of the (accumulated) gradient before clipping. */
  gradNorm: number;
  stepMs: number;
  /** Real (non-pad) tokens the step processed. */
  realTokens: number;
  /** Share of pad tokens in this step's batches. */
  paddingWaste: number;
  totalSteps: number;
};

/** One evaluation on the validation split (step 0 = before training); M: the task's metrics. */
export type EvalPoint<M = ClassificationMetrics> = {
  step: number;
  epoch: number;
  /** Mean training loss of the steps since the previous evaluation; null at step 0. */
  trainLoss: number | null;
  valLoss: number;
  metrics: M;
  /** Forgetting probe value with the adapter (see forgettingProbe.ts), or null when no probe runs. */
  probe: number | null;
};

export type RunHistory<M = ClassificationMetrics> = { train: TrainPoint[]; evals: EvalPoint<M>[] };
