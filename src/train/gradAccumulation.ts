// Gradient accumulation: sums weighted loss and gradients of k micro-batches in owned variables (one tidy per
// micro-batch), then one clipped AdamW step. tfjs-core only; no readbacks here (the caller reads summary()).
import * as tf from '@tensorflow/tfjs-core';
import type { AdamW } from './adamw';
import { clipByGlobalNorm } from './classifierStep';

export type LossAndGrads = { loss: tf.Scalar; grads: tf.NamedTensorMap };

export type GradAccumulator = {
  /** Adds weight * (loss, grads) of one micro-batch; `compute` runs inside this call's tf.tidy. */
  add(compute: () => LossAndGrads, weight: number): void;
  /** [loss, gradNorm] of what was accumulated, as a new tensor the caller reads and disposes. */
  summary(): tf.Tensor1D;
  /** Clip (if maxGradNorm) and one optimizer step on the accumulated gradients, then reset. */
  apply(optimizer: AdamW, lr: number, maxGradNorm: number | null): void;
  /** Zero the sums (e.g. after a non-finite step that must not be applied). */
  reset(): void;
  dispose(): void;
};

/** Global L2 norm of a set of gradients (a scalar; call inside tf.tidy). */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}

/**
 * One gradient slot per trainable variable (keyed by variable.name, as tf.variableGrads keys them). With
 * weights B_i / sum(B) the result equals the gradient of the mean loss over all micro-batch examples.
 */
export function createGradAccumulator(variables: readonly tf.Variable[]): GradAccumulator {
  const sums = new Map(variables.map((v) => [v.name, tf.tidy(() => tf.variable(tf.zerosLike(v), false))]));
  const lossSum = tf.tidy(() => tf.variable(tf.scalar(0), false));
  const reset = () =>
    tf.tidy(() => {
      for (const s of sums.values()) s.assign(tf.zerosLike(s));
      lossSum.assign(tf.scalar(0));
    });
  return {
    add(compute, weight) {
      tf.tidy(() => {
        const { loss, grads } = compute();
        for (const [name, s] of sums) {
          const g = grads[name];
          if (g) s.assign(tf.add(s, tf.mul(g, weight)));
        }
        lossSum.assign(tf.add(lossSum, tf.mul(loss, weight)));
      });
    },
    summary: () => tf.tidy(() => tf.stack([lossSum, globalNorm([...sums.values()])]) as tf.Tensor1D),
    apply(optimizer, lr, maxGradNorm) {
      tf.tidy(() => {
        const grads: tf.NamedTensorMap = Object.fromEntries([...sums].map(([name, s]) => [name, s as tf.Tensor]));
        optimizer.step(maxGradNorm != null ? clipByGlobalNorm(grads, maxGradNorm) : grads, lr);
      });
      reset();
    },
    reset,
    dispose() {
      for (const s of sums.values()) s.dispose();
      lossSum.dispose();
    },
  };
}
