// Matmuls shaped for tfjs-backend-wasm, whose only fast kernel is the plain 2-D matmul (XNNPACK, ~20 GFLOP/s
// here): a batched or transposed matMul falls back to a naive loop (~1.5 GFLOP/s). On wasm these run batched
// matmuls as one 2-D matmul per slice on pre-transposed operands, forward and backward; elsewhere tf.matMul.
import * as tf from '@tensorflow/tfjs-core';

let enabled = true;
/** Off: every helper here is plain tf.matMul (bench:train's "stock tfjs" baseline). */
export function setWasmMatmulShaping(on: boolean): void {
  enabled = on;
}

const onWasm = (): boolean => enabled && tf.getBackend() === 'wasm';

/** Swap the last two axes. */
const swapLast = <T extends tf.Tensor>(x: T): T => {
  const r = x.rank;
  return tf.transpose(x, [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2]);
};

/** [n, M, K] @ [n, K, N] -> [n, M, N] as n plain 2-D matmuls (no autodiff). */
function perSlice(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const as = tf.unstack(a) as tf.Tensor2D[];
  const bs = tf.unstack(b) as tf.Tensor2D[];
  return tf.stack(as.map((ai, i) => tf.matMul(ai, bs[i]))) as tf.Tensor3D;
}

/** perSlice with a gradient made of perSlice products too: dA = dC @ Bᵀ, dB = Aᵀ @ dC. */
const bmmNN = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: perSlice(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor3D[];
      return [perSlice(dy as tf.Tensor3D, swapLast(sb)), perSlice(swapLast(sa), dy as tf.Tensor3D)];
    },
  };
});

/**
 * tf.matMul for rank >= 3 operands with equal leading dims (attention: [B, H, T, D] @ [B, H, D, T]),
 * differentiable; on wasm as per-slice 2-D matmuls (4-8x faster for attention shapes).
 */
export function batchMatMul<R extends tf.Rank = tf.Rank.R4>(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor<R> {
  const lead = a.shape.slice(0, -2);
  if (!onWasm() || a.rank < 3 || b.rank !== a.rank || lead.some((d, i) => d !== b.shape[i])) return tf.matMul(a, b, transposeA, transposeB) as tf.Tensor<R>;
  const n = lead.reduce((x, d) => x * d, 1);
  const a2 = transposeA ? swapLast(a) : a;
  const b2 = transposeB ? swapLast(b) : b;
  const [M, K] = a2.shape.slice(-2);
  const N = b2.shape[b2.rank - 1];
  const out = bmmNN(tf.reshape(a2, [n, M, K]), tf.reshape(b2, [n, K, N]));
  return tf.reshape<tf.Rank>(out, [...lead, M, N]) as tf.Tensor<R>;
}

const mm2NN = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
});

/** 2-D a @ b whose gradients (dy @ bᵀ, aᵀ @ dy) use explicit transposes on wasm instead of the slow transposed kernel. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onWasm() ? (mm2NN(a, b) as tf.Tensor2D) : tf.matMul(a, b);
}

/** a @ bᵀ for 2-D operands; on wasm as (b @ aᵀ)ᵀ, two cheap transposes around the fast kernel. No gradient for b. */
export function matMulTransposedB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return onWasm() ? tf.transpose(tf.matMul(b, tf.transpose(a)) as tf.Tensor2D) : tf.matMul(a, b, false, true);
}
