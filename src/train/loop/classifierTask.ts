// The classification task of the training loop: length-padded batches of tokenized examples, softmax
// cross-entropy of the classifier head, evaluation with the full classification metrics (and a test split).
import { padBatch, type PaddedBatch, type TokenizedExample } from '../batches';
import { computeLossAndGrads } from '../classifierStep';
import { chanceLoss } from '../diagnostics';
import { evaluateSplit } from '../evaluate';
import type { ClassificationMetrics } from '../metrics';
import { runLoop } from './runLoop';
import type { ForgettingMonitor, ResumePoint, TrainerParts, TrainingCallbacks, TrainingConfig, TrainingControls, TrainingResult, TrainTask } from './types';

export type TrainingData = {
  train: readonly TokenizedExample[];
  validation: readonly TokenizedExample[];
  /** Evaluated once at the end, on the restored best adapter. */
  test?: readonly TokenizedExample[];
  padTokenId: number;
  numClasses: number;
};

export function classifierTask(parts: TrainerParts, data: TrainingData, evalBatchSize: number): TrainTask<PaddedBatch, ClassificationMetrics> {
  const evalOpts = { batchSize: evalBatchSize, padTokenId: data.padTokenId, numClasses: data.numClasses };
  const test = data.test;
  return {
    parts,
    trainLengths: data.train.map((e) => e.ids.length),
    chanceLoss: chanceLoss(
      data.train.map((e) => e.label),
      data.numClasses,
    ),
    collate(indices) {
      const batch = padBatch(
        indices.map((i) => data.train[i]),
        data.padTokenId,
      );
      return { batch, weight: batch.B, realTokens: batch.realTokens, slots: batch.B * batch.T };
    },
    lossAndGrads: (batch, seed) => computeLossAndGrads(parts.model, parts.adapter, batch, { training: true, seed }),
    hasValidation: data.validation.length > 0,
    evaluate: () => evaluateSplit(parts.model, parts.adapter, data.validation, evalOpts),
    ...(test && test.length > 0 ? { test: () => evaluateSplit(parts.model, parts.adapter, test, evalOpts) } : {}),
  };
}

/** The loop on a classification task (what the worker, the search and the tests run). */
export function runTraining(
  parts: TrainerParts,
  data: TrainingData,
  config: TrainingConfig,
  controls: TrainingControls,
  cb: TrainingCallbacks<ClassificationMetrics>,
  probe: ForgettingMonitor | null = null,
  resume: ResumePoint<ClassificationMetrics> | null = null,
): Promise<TrainingResult<ClassificationMetrics>> {
  return runLoop(classifierTask(parts, data, config.evalBatchSize ?? config.batchSize), config, controls, cb, probe, resume);
}
