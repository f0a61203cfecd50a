// @deprecated The first classification loop, kept only until the worker moves to runTraining() in runTraining.ts;
// delete then. Epochs of seeded batches, a train step each, validation per epoch. No worker protocol, no storage.
import type * as tf from '@tensorflow/tfjs-core';
import { chunk, epochOrder, padBatch, type PaddedBatch, type TokenizedExample } from './batches';
import { accumulateEval, type EvalTotals } from './evaluate';
import { learningRateAt } from './lrSchedule';

/** What the loop needs from a model + adapter + optimizer; the worker adapts the model room to it. */
export type ClassifierSteps = {
  /** One optimizer step; returns the loss as a scalar the caller disposes. */
  trainStep(batch: PaddedBatch, learningRate: number, stepSeed: number): tf.Scalar;
  /** Logits without gradients or dropout; the caller disposes them. */
  predictLogits(batch: PaddedBatch): tf.Tensor2D;
};

export type LoopConfig = {
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** 0 = validate once per epoch. */
  evalEverySteps: number;
};

export type LoopCallbacks = {
  onTrainPoint(p: { step: number; epoch: number; loss: number; learningRate: number; stepMs: number; realTokens: number; totalSteps: number }): void;
  onEval(p: { step: number; epoch: number; valLoss: number; valAccuracy: number }): void;
  shouldStop(): boolean;
  now(): number;
};

export type LoopResult = {
  status: 'finished' | 'stopped';
  steps: number;
  finalTrainLoss: number | null;
  bestValLoss: number | null;
  meanStepMs: number;
  tokensPerSec: number;
};

export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly learningRate: number,
  ) {
    super(
      `The training loss became NaN/Infinity at step ${step} (learning rate ${learningRate.toExponential(1)}). ` +
        'This usually means the learning rate is too high: lower it (for example by 10x) and start again.',
    );
  }
}

/** Lets queued messages (stop, UI requests) run between steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function evaluateClassifier(
  steps: ClassifierSteps,
  examples: readonly TokenizedExample[],
  batchSize: number,
  padTokenId: number,
): Promise<{ loss: number; accuracy: number }> {
  const totals: EvalTotals = { lossSum: 0, correct: 0, count: 0 };
  for (const part of chunk(examples, batchSize)) {
    const batch = padBatch(part, padTokenId);
    const logits = steps.predictLogits(batch);
    try {
      await accumulateEval(logits, batch.labels, totals);
    } finally {
      logits.dispose();
    }
  }
  return { loss: totals.lossSum / Math.max(1, totals.count), accuracy: totals.correct / Math.max(1, totals.count) };
}

export function countSteps(trainCount: number, batchSize: number, epochs: number): number {
  return Math.ceil(trainCount / batchSize) * epochs;
}

export async function runClassifierTraining(
  steps: ClassifierSteps,
  data: { train: readonly TokenizedExample[]; validation: readonly TokenizedExample[]; padTokenId: number },
  config: LoopConfig,
  cb: LoopCallbacks,
): Promise<LoopResult> {
  const stepsPerEpoch = Math.ceil(data.train.length / config.batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  let step = 0;
  let lastLoss: number | null = null;
  let bestValLoss: number | null = null;
  let stepMsSum = 0;
  let tokens = 0;
  let status: LoopResult['status'] = 'finished';

  const validate = async (epoch: number) => {
    if (data.validation.length === 0) return;
    const r = await evaluateClassifier(steps, data.validation, config.batchSize, data.padTokenId);
    bestValLoss = bestValLoss === null ? r.loss : Math.min(bestValLoss, r.loss);
    cb.onEval({ step, epoch, valLoss: r.loss, valAccuracy: r.accuracy });
  };

  outer: for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = epochOrder(data.train.length, config.seed, epoch);
    for (const idx of chunk(order, config.batchSize)) {
      if (cb.shouldStop()) {
        status = 'stopped';
        break outer;
      }
      const batch = padBatch(
        idx.map((i) => data.train[i]),
        data.padTokenId,
      );
      const lr = learningRateAt(step, totalSteps, config.learningRate);
      const t0 = cb.now();
      const loss = steps.trainStep(batch, lr, config.seed * 100_003 + step);
      // The one readback per step: it is also what makes the step time honest on async backends.
      const value = (await loss.data())[0];
      loss.dispose();
      const stepMs = cb.now() - t0;
      if (!Number.isFinite(value)) throw new NonFiniteLossError(step + 1, lr);
      step++;
      lastLoss = value;
      stepMsSum += stepMs;
      tokens += batch.realTokens;
      cb.onTrainPoint({ step, epoch: epoch + 1, loss: value, learningRate: lr, stepMs, realTokens: batch.realTokens, totalSteps });
      if (config.evalEverySteps > 0 && step % config.evalEverySteps === 0 && step % stepsPerEpoch !== 0) {
        await validate(epoch + 1);
      }
      await yieldToEventLoop();
    }
    await validate(epoch + 1);
  }

  return {
    status,
    steps: step,
    finalTrainLoss: lastLoss,
    bestValLoss,
    meanStepMs: step > 0 ? stepMsSum / step : 0,
    tokensPerSec: stepMsSum > 0 ? tokens / (stepMsSum / 1000) : 0,
  };
}
