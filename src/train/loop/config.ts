// The one builder of the loop's config from the form's settings: train, trainLm, the hyperparameter search and
// resume all call it, so a setting (accumulation, decay, early stopping, checkpoints) is never dropped on one path.
import type { TrainingConfig } from './types';

/** The form settings the loop reads (a structural slice of the protocol's TrainConfig). */
export type LoopSettings = {
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  evalEverySteps: number;
  gradAccumSteps: number;
  lrDecay: 'linear' | 'cosine';
  earlyStopping: boolean;
  patience: number;
  minDelta: number;
  checkpointEverySteps?: number;
};

/** untrainedStart: a model with random weights (see EarlyStoppingOptions). */
export function buildLoopConfig(s: LoopSettings, model: { untrainedStart?: boolean } = {}): TrainingConfig {
  return {
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    epochs: s.epochs,
    seed: s.seed,
    evalEverySteps: s.evalEverySteps,
    gradAccumSteps: s.gradAccumSteps,
    lrDecay: s.lrDecay,
    earlyStopping: s.earlyStopping ? { patience: s.patience, minDelta: s.minDelta, ...(model.untrainedStart ? { untrainedStart: true } : {}) } : null,
    checkpointEverySteps: s.checkpointEverySteps ?? 0,
  };
}
