// Default hyperparameters, shared by the page (the form) and the worker (reading old run records).
import type { TrainConfig } from './messages';
import { OFFLINE_DEFAULT_MODEL_LR } from './trainDefaults';

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  learningRate: OFFLINE_DEFAULT_MODEL_LR, // the offline demo model's; model-aware values: trainDefaults.ts
  batchSize: 16,
  epochs: 3,
  maxSeqLength: 64,
  loraR: 8,
  loraAlpha: 16,
  loraDropout: 0.05,
  loraTargets: 'default',
  weightDecay: 0.01,
  seed: 42,
  evalEverySteps: 0,
  gradAccumSteps: 1,
  lrDecay: 'linear',
  earlyStopping: true,
  patience: 4,
  minDelta: 1e-3,
  fewShotK: 5,
  testFraction: 0,
  checkpointEverySteps: 0,
};
