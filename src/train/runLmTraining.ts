// The causal-LM training loop (issue 7): seeded shuffled batches of tokenized rows (prompt-masked instruction
// rows or packed domain-text blocks), a linear learning-rate decay, a validation before the first step and then
// every N steps or once per epoch (loss, perplexity, token accuracy, optional exact match), stop between steps.
// The steps are injected (the worker binds them to the model, adapter and optimizer), so this is testable on CPU.
// tfjs-free: lib/ and tokenize/ only.
import { createRng, shuffled } from '../lib/rng';
import { collateLmRows, type LmBatch } from '../tokenize/lmTokenize';

export type LmTrainRow = { inputIds: readonly number[]; labels: readonly number[] };

export type LmStepMetrics = { loss: number; perplexity: number; tokenAccuracy: number; exactMatch: number | null };

export type LmSteps = {
  /** One optimizer step; resolves to the loss before the update. */
  trainStep(batch: LmBatch, lr: number, seed: number): Promise<number>;
  /** Validation loss / perplexity / token accuracy over these batches, and exact match when instruction data. */
  evaluate(batches: LmBatch[]): Promise<LmStepMetrics>;
};

export type LmLoopConfig = { epochs: number; batchSize: number; learningRate: number; seed: number; evalEverySteps: number };

export type LmTrainPoint = { step: number; epoch: number; loss: number; learningRate: number; stepMs: number; realTokens: number; totalSteps: number };
export type LmEvalPoint = LmStepMetrics & { step: number; epoch: number };

export type LmLoopHooks = {
  now(): number;
  shouldStop(): boolean;
  onTrainPoint(p: LmTrainPoint): void;
  onEval(p: LmEvalPoint): void;
};

export type LmLoopResult = {
  status: 'finished' | 'stopped';
  steps: number;
  finalTrainLoss: number | null;
  bestValLoss: number | null;
  meanStepMs: number;
  tokensPerSec: number;
  final: LmStepMetrics | null;
};

export class LmNonFiniteLossError extends Error {
  constructor(step: number, loss: number) {
    super(`The training loss became ${loss} at step ${step}: lower the learning rate (try 10× smaller) and start again.`);
  }
}

/** Right-padded batches of `rows` in the given order. */
export function lmBatches(rows: readonly LmTrainRow[], batchSize: number, padId: number): LmBatch[] {
  const out: LmBatch[] = [];
  for (let s = 0; s < rows.length; s += batchSize) out.push(collateLmRows(rows.slice(s, s + batchSize), padId));
  return out;
}

export function lmTotalSteps(trainRows: number, config: Pick<LmLoopConfig, 'epochs' | 'batchSize'>): number {
  return Math.ceil(trainRows / config.batchSize) * config.epochs;
}

export async function runLmTraining(
  steps: LmSteps,
  data: { train: readonly LmTrainRow[]; validation: readonly LmTrainRow[]; padId: number },
  config: LmLoopConfig,
  hooks: LmLoopHooks,
): Promise<LmLoopResult> {
  if (data.train.length === 0) throw new Error('no training rows (every row was empty or cut before its completion)');
  const totalSteps = lmTotalSteps(data.train.length, config);
  const valBatches = lmBatches(data.validation, config.batchSize, data.padId);
  let step = 0;
  let bestValLoss: number | null = null;
  let final: LmStepMetrics | null = null;
  let lastLoss: number | null = null;
  let msSum = 0;
  let tokenSum = 0;
  const validate = async (epoch: number) => {
    if (valBatches.length === 0) return;
    final = await steps.evaluate(valBatches);
    if (bestValLoss === null || final.loss < bestValLoss) bestValLoss = final.loss;
    hooks.onEval({ step, epoch, ...final });
  };
  await validate(0);
  let status: 'finished' | 'stopped' = 'finished';
  outer: for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const order = shuffled(data.train, createRng(config.seed * 1000 + epoch));
    for (const batch of lmBatches(order, config.batchSize, data.padId)) {
      if (hooks.shouldStop()) {
        status = 'stopped';
        break outer;
      }
      const lr = config.learningRate * Math.max(0, 1 - step / totalSteps);
      const t0 = hooks.now();
      const loss = await steps.trainStep(batch, lr, config.seed * 100_003 + step);
      step++;
      if (!Number.isFinite(loss)) throw new LmNonFiniteLossError(step, loss);
      const stepMs = hooks.now() - t0;
      const realTokens = batch.attentionMask.reduce((s, v) => s + v, 0);
      msSum += stepMs;
      tokenSum += realTokens;
      lastLoss = loss;
      hooks.onTrainPoint({ step, epoch, loss, learningRate: lr, stepMs, realTokens, totalSteps });
      if (config.evalEverySteps > 0 && step % config.evalEverySteps === 0 && step < totalSteps) await validate(epoch);
    }
    if (config.evalEverySteps === 0 || step === totalSteps) await validate(epoch);
  }
  return {
    status,
    steps: step,
    finalTrainLoss: lastLoss,
    bestValLoss,
    meanStepMs: step > 0 ? msSum / step : 0,
    tokensPerSec: msSum > 0 ? tokenSum / (msSum / 1000) : 0,
    final,
  };
}
