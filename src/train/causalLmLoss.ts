// Causal-LM loss as transformers: logits[:, :-1] predict labels[:, 1:], cross-entropy mean over targets != -100.
// Depends only on tfjs-core; call inside tf.tidy (nothing here disposes).
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyRows, webGpuKernelsActive } from '../model/kernels/webgpu/ops';

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
  // No [N, V] one-hot and no saved log-softmax: the forward keeps only lse [N] and the picked logits [M]; the
  // gradient (softmax - onehot) / count is written by hand, the -1s scattered at the M targets. (tf.gather's own
  // gradient, an UnsortedSegmentSum over N*V segments, took seconds per step on CPU/WASM, so it is not used.)
  const N = B * T;
  // WebGPU: per-row loss (0 at IGNORE_INDEX) and its gradient from one kernel each (kernels/webgpu).
  if (webGpuKernelsActive()) return tf.div(tf.sum(crossEntropyRows(tf.reshape(logits, [N, V]), tf.tensor1d(targets, 'int32'))), count) as tf.Scalar;
  const rowWeight = new Float32Array(N);
  const picks: number[] = [];
  for (let t = 0; t < N; t++) {
    const y = targets[t];
    if (y === IGNORE_INDEX) continue;
    rowWeight[t] = 1 / count;
    picks.push(t * V + y);
  }
  const pickIdx = tf.tensor1d(picks, 'int32'); // [M], flat index of each target logit
  const weights = tf.tensor2d(rowWeight, [N, 1]); // [N, 1], 1/count on target rows, 0 elsewhere
  const lossOf = tf.customGrad((...args) => {
    const x = args[0] as tf.Tensor3D;
    const save = args[args.length - 1] as (t: tf.Tensor[]) => void;
    const flat = tf.reshape(x, [N, V]); // [N, V] (a view)
    const lse = tf.tidy(() => tf.reshape(tf.logSumExp(flat, 1), [N, 1])); // [N, 1]; the [N, V] transients are freed
    const picked = tf.gather(tf.reshape(flat, [N * V]), pickIdx); // [M]
    save([flat, lse, weights, pickIdx]); // saved, so the engine keeps them until the backward pass
    const value = tf.sub(tf.sum(tf.mul(lse, weights)), tf.div(tf.sum(picked), count)) as tf.Scalar; // mean(lse - x_y)
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [f, l, w, idx] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        return tf.tidy(() => {
          const soft = tf.mul(tf.exp(tf.sub(f, l)), w); // [N, V], softmax / count on target rows
          const hits = tf.scatterND(tf.reshape(idx, [picks.length, 1]), tf.fill([picks.length], 1 / count), [N * V]); // [N*V]
          return tf.reshape(tf.mul(tf.sub(soft, tf.reshape(hits, [N, V])), dy), [B, T, V]);
        });
      },
    };
  });
  return lossOf(logits) as tf.Scalar;
}
