// Validation metrics from logits: mean cross-entropy, accuracy, and the full classification metrics of a split.
// tfjs-core; reads back once per batch (evaluation only, never inside a train step).
import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapter } from '../model/lora';
import type { SequenceModel } from '../model/types';
import { chunk, padBatch, type TokenizedExample } from './batches';
import { evaluateLogits } from './classifierStep';
import { classificationMetrics, type ClassificationMetrics } from './metrics';

export type EvalTotals = { lossSum: number; correct: number; count: number };

/** Adds one batch's loss sum and correct count; the tensors are made and freed here. */
export async function accumulateEval(logits: tf.Tensor2D, labels: Int32Array, totals: EvalTotals): Promise<void> {
  const [lossSum, correct] = tf.tidy(() => {
    const y = tf.tensor1d(labels, 'int32');
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(y, logits.shape[1])), 1);
    const hits = tf.equal(tf.argMax(logits, 1), y);
    return [tf.neg(tf.sum(picked)), tf.sum(tf.cast(hits, 'float32'))];
  });
  const [l, c] = await Promise.all([lossSum.data(), correct.data()]);
  lossSum.dispose();
  correct.dispose();
  totals.lossSum += l[0];
  totals.correct += c[0];
  totals.count += labels.length;
}

export type SplitEvaluation = { loss: number; metrics: ClassificationMetrics };

/** Summed cross-entropy and argmax predictions of one batch (two small readbacks). */
async function lossSumAndPredictions(logits: tf.Tensor2D, labels: Int32Array): Promise<{ lossSum: number; predictions: Int32Array }> {
  const [lossSum, argmax] = tf.tidy(() => {
    const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1])), 1); // [B]
    return [tf.neg(tf.sum(picked)), tf.argMax(logits, 1)];
  });
  const [l, p] = await Promise.all([lossSum.data(), argmax.data()]);
  tf.dispose([lossSum, argmax]);
  return { lossSum: l[0], predictions: Int32Array.from(p) };
}

/**
 * Loss and classification metrics of a classifier (with `adapter`, or the base model for null) over a split.
 * Examples are batched in length order so there is little padding; the result does not depend on the order.
 */
export async function evaluateSplit(
  model: SequenceModel,
  adapter: LoraAdapter | null,
  examples: readonly TokenizedExample[],
  opts: { batchSize: number; padTokenId: number; numClasses: number },
): Promise<SplitEvaluation> {
  const order = examples.map((_, i) => i).sort((a, b) => examples[a].ids.length - examples[b].ids.length || a - b);
  const labels: number[] = [];
  const predictions: number[] = [];
  let lossSum = 0;
  for (const idx of chunk(order, opts.batchSize)) {
    const batch = padBatch(
      idx.map((i) => examples[i]),
      opts.padTokenId,
    );
    const logits = evaluateLogits(model, adapter, batch);
    const r = await lossSumAndPredictions(logits, batch.labels).finally(() => logits.dispose());
    lossSum += r.lossSum;
    labels.push(...batch.labels);
    predictions.push(...r.predictions);
  }
  return { loss: lossSum / Math.max(1, examples.length), metrics: classificationMetrics(labels, predictions, opts.numClasses) };
}
