// Causal-LM loss as transformers: logits[:, :-1] predict labels[:, 1:], cross-entropy mean over targets != -100.
// Depends only on tfjs-core; call inside tf.tidy (nothing here disposes).
import * as tf from '@tensorflow/tfjs-core';

export const IGNORE_INDEX = -100;

/**
 * Shifted targets and their count: targets[b, t] = labels[b, t + 1] (t < T - 1), IGNORE_INDEX at t = T - 1.
 * labels: [B*T] row-major, IGNORE_INDEX where no loss is wanted (padding, prompt).
 */
export function shiftLabels(labels: Int32Array, B: number, T: number): { targets: Int32Array; count: number } {
  const targets = new Int32Array(B * T).fill(IGNORE_INDEX);
  let count = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T - 1; t++) {
      const y = labels[b * T + t + 1];
      targets[b * T + t] = y;
      if (y !== IGNORE_INDEX) count++;
    }
  }
  return { targets, count };
}

/**
 * Mean next-token cross-entropy over the non-ignored targets (torch CrossEntropyLoss(ignore_index=-100) on
 * HF's shifted logits/labels). logits [B, T, V]; labels [B*T] unshifted, as HF's `labels`. With no target at
 * all the loss is 0 (HF gives NaN), so such a batch changes nothing.
 */
export function causalLmLoss(logits: tf.Tensor3D, labels: Int32Array): tf.Scalar {
  const [B, T, V] = logits.shape;
  const { targets, count } = shiftLabels(labels, B, T);
  if (count === 0) return tf.mul(tf.sum(logits), 0) as tf.Scalar;
  const rows: number[] = []; // positions (b*T + t) that have a target
  targets.forEach((y, i) => {
    if (y === IGNORE_INDEX) return;
    if (y < 0 || y >= V) throw new Error(`assertion failed: label ${y} outside the vocabulary [0, ${V})`);
    rows.push(i);
  });
  const picked = tf.gather(tf.reshape(logits, [B * T, V]), tf.tensor1d(rows, 'int32')); // [B*T, V] -> [M, V], M = count
  const logProbs = tf.logSoftmax(picked, 1); // [M, V]
  const idx = tf.tensor1d(rows.map((row, m) => m * V + targets[row]), 'int32'); // [M], flat index of each target's log-prob
  const nll = tf.neg(tf.gather(tf.reshape(logProbs, [count * V]), idx)); // [M]
  return tf.div(tf.sum(nll), count) as tf.Scalar;
}
