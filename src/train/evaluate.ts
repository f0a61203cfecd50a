// Validation metrics from logits: mean cross-entropy and accuracy. Reads back once per batch.
import * as tf from '@tensorflow/tfjs-core';

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
