// The training loop's public surface: the loop, its two tasks (classification, causal LM), plan and config.
export { runLoop, DIVERGENCE_LOSS_FACTOR, DEFAULT_MAX_GRAD_NORM, GOOD_STATE_LOSS_FACTOR } from './runLoop';
export { planInfo, EVALS_PER_EPOCH, BUCKET_CHUNK_BATCHES } from './plan';
export { classifierTask, runTraining, type TrainingData } from './classifierTask';
export { causalLmTask, lmBatches, type LmMetrics, type LmTaskData, type LmTrainRow } from './causalLmTask';
export { buildLoopConfig, type LoopSettings } from './config';
export type * from './types';
export { DeviceLostError } from './deviceLost';
