// The one validator of a training config (the form, the worker's train / trainLm / search / resumeRun all use it)
// and which form settings apply to which task, so nothing a task ignores is shown. Pure; no imports but types.
import type { LmTask } from './lmMessages';
import type { TrainConfig } from './messages';

/** Limits shared by every task (the classifier and the causal LM once had different learning-rate ceilings). */
export const TRAIN_LIMITS = {
  maxLearningRate: 1e4,
  maxBatchSize: 512,
  maxEpochs: 1000,
  minSeqLength: 4,
  maxGradAccumSteps: 64,
} as const;

/** Settings that only classification runs use (the causal-LM options have their own few-shot k). */
const CLASSIFY_ONLY: ReadonlySet<keyof TrainConfig> = new Set<keyof TrainConfig>(['fewShotK']);

/** Whether the form shows `key` for `task`; every other setting means the same in every task. */
export function settingApplies(key: keyof TrainConfig, task: LmTask): boolean {
  return task === 'classify' || !CLASSIFY_ONLY.has(key);
}

const whole = (v: number, lo: number, hi = Infinity) => Number.isInteger(v) && v >= lo && v <= hi;

/** A peak learning rate the user may set (also when resuming a paused run at a new rate). */
export const learningRateProblem = (lr: number): string | null =>
  lr > 0 && lr <= TRAIN_LIMITS.maxLearningRate
    ? null
    : `The learning rate must be a number above 0 and at most ${TRAIN_LIMITS.maxLearningRate} (typical LoRA values: 1e-4 to 1e-2).`;

/** The first problem of a config, as a message saying what to change; null when it is fine. */
export function trainConfigProblem(c: TrainConfig, limits: { maxPositions: number }): string | null {
  const L = TRAIN_LIMITS;
  const checks: [boolean, string][] = [
    [learningRateProblem(c.learningRate) === null, learningRateProblem(c.learningRate) ?? ''],
    [whole(c.batchSize, 1, L.maxBatchSize), `The batch size must be a whole number from 1 to ${L.maxBatchSize}.`],
    [whole(c.epochs, 1, L.maxEpochs), `Epochs must be a whole number from 1 to ${L.maxEpochs}.`],
    [
      whole(c.maxSeqLength, L.minSeqLength, limits.maxPositions),
      `Max tokens must be a whole number from ${L.minSeqLength} to ${limits.maxPositions} (this model's max_position_embeddings).`,
    ],
    [whole(c.loraR, 1), 'LoRA rank r must be a whole number of at least 1.'],
    [c.loraAlpha > 0, 'LoRA alpha must be above 0.'],
    [c.loraDropout >= 0 && c.loraDropout < 1, 'LoRA dropout must be from 0 to below 1.'],
    [c.weightDecay >= 0 && c.weightDecay < 1, 'Weight decay must be from 0 to below 1.'],
    [whole(c.evalEverySteps, 0), '"Validate every N steps" must be 0 (4 times per epoch) or a whole number.'],
    [whole(c.gradAccumSteps, 1, L.maxGradAccumSteps), `Gradient accumulation must be a whole number from 1 to ${L.maxGradAccumSteps}.`],
    [whole(c.patience, 1), 'Early-stopping patience must be a whole number of at least 1.'],
    [c.minDelta >= 0, 'Early-stopping min-delta must be 0 or more.'],
    [whole(c.fewShotK, 0), 'Few-shot k must be 0 (skip) or a whole number.'],
    [whole(c.checkpointEverySteps ?? 0, 0), '"Checkpoint every N steps" must be 0 (at each validation) or a whole number.'],
  ];
  return checks.find(([ok]) => !ok)?.[1] ?? null;
}
