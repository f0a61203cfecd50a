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
  for (const y of targets) {
    if (y !== IGNORE_INDEX && (y < 0 || y >= V)) throw new Error(`assertion failed: label ${y} outside the vocabulary [0, ${V})`);
  }
  // A one-hot mask instead of gathers: tf.gather's gradient (UnsortedSegmentSum over B*T*V segments)
  // took seconds per step on CPU/WASM. oneHot gives an all-zero row for IGNORE_INDEX.
  const logProbs = tf.logSoftmax(tf.reshape(logits, [B * T, V]), 1); // [B*T, V]
  const mask = tf.oneHot(tf.tensor1d(targets, 'int32'), V); // [B*T, V]
  const nll = tf.neg(tf.sum(tf.mul(logProbs, mask))); // scalar: summed NLL of the targets
  return tf.div(nll, count) as tf.Scalar;
}
