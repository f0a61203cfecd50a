// Issue 5's worker events as pure state patches: the run plan, diagnostics (same id replaces), the latest
// per-class evaluation, pause / rollback / resume, the forgetting probe, the few-shot baseline and search trials.
// Pure (no bridge, no store) so the reducers are unit-tested; actions.ts applies them.
import type { WorkerEvent } from '../protocol/messages';
import type { TrainingSlice } from './slices/trainingSlice';

type Patch = Partial<TrainingSlice>;

/** The state patch for one issue-5 event, or null when the event is not one of them. */
export function trainingEventPatch(s: TrainingSlice, event: WorkerEvent): Patch | null {
  switch (event.type) {
    case 'trainPlan':
      return { plan: event.plan };
    case 'evalDetail':
      return { evalDetail: { step: event.step, perClass: event.perClass, confusion: event.confusion, labels: event.labels } };
    case 'diagnostic':
      return { diagnostics: { ...s.diagnostics, [event.diagnostic.id]: event.diagnostic } };
    case 'paused':
      return { paused: { step: event.step, reason: event.reason, ...(event.message ? { message: event.message } : {}) }, pauseRequested: false };
    case 'rollback':
      // Train points after the last good step are void; so is any evaluation after it.
      return {
        lastRollback: { fromStep: event.fromStep, toStep: event.toStep },
        trainPoints: s.trainPoints.filter((p) => p.step <= event.toStep),
        evalPoints: s.evalPoints.filter((p) => p.step <= event.toStep),
      };
    case 'resumed':
      return { paused: null, pauseRequested: false, runLearningRate: event.learningRate };
    case 'probeInfo':
      return { probeInfo: { kind: event.kind, description: event.description, base: event.base } };
    case 'fewShot':
      return { fewShotBaseline: { k: event.k, accuracy: event.accuracy, macroF1: event.macroF1 } };
    case 'baselines':
      return { baselines: { classical: event.classical, majority: event.majority } };
    case 'searchTrial': {
      const trials = [...s.searchTrials.filter((t) => t.index !== event.trial.index), event.trial];
      // The live curves restart with each trial.
      return { searchTrials: trials, searchTotal: event.total, trainPoints: [], evalPoints: [], bestStep: null };
    }
    case 'evalPoint':
      return event.point.isBest ? { bestStep: event.point.step } : null;
    default:
      return null;
  }
}

/** Trials sorted by the validation metric (macro-F1, higher first); ties keep trial order. */
export function sortTrialsByMetric<T extends { index: number; metric: number }>(trials: readonly T[]): T[] {
  const key = (m: number) => (Number.isFinite(m) ? m : -Infinity);
  return [...trials].sort((a, b) => key(b.metric) - key(a.metric) || a.index - b.index);
}

/** "1e-3, 5e-3,0.02" -> [0.001, 0.005, 0.02]; null when a value is not a positive number or the list is empty. */
export function parseValueList(text: string, integer = false): number[] | null {
  const parts = text.split(/[,;\s]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return null;
  const values = parts.map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))) return null;
  return [...new Set(values)];
}
