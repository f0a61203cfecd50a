// Frozen-weight matmuls that leave no XNNPACK packed copy behind on tfjs-backend-wasm. Its fast matmul caches a
// packed copy of the second operand until that tensor is disposed, so a weight used there directly is held twice
// for the session; here it is multiplied through a throwaway copy (disposed at once, its packed copy with it).
// Used only for models whose weights plus packed copies overflow the 4 GB heap (memoryEstimate.ts). tfjs-core only.
import * as tf from '@tensorflow/tfjs-core';
import { TRANSIENT_CHUNK_BYTES } from './transientChunk';

/** x [N, K] @ w [K, M] through a copy of w (explicit dispose: a backward pass's tidy would keep it to the end). */
export function matMulTransient(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const copy = tf.clone(w); // the wasm Identity kernel copies into a new tensor id
  const y = tf.matMul(x, copy) as tf.Tensor2D;
  copy.dispose();
  return y;
}

/** dy [N, M] @ wᵀ for w [K, M] as (w @ dyᵀ)ᵀ: w is the first operand (never packed); dyᵀ's packed copy goes at once. */
export function matMulTransposedBTransient(dy: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const dyT = tf.transpose(dy); // [M, N]
  const r = tf.matMul(w, dyT) as tf.Tensor2D; // [K, N]
  dyT.dispose();
  const out = tf.transpose(r); // [N, K]
  r.dispose();
  return out;
}

/** Rows of e [V, C] per chunk for `chunkBytes`. */
export const chunkRows = (C: number, chunkBytes = TRANSIENT_CHUNK_BYTES): number => Math.max(1, Math.floor(chunkBytes / (C * 4)));

/**
 * dy [N, V] @ e [V, C] summed over row chunks of e (each a transient copy), so no packed copy of the whole head
 * exists. Needs the copy-free wasm Slice (kernels/wasmSlice.ts): the stock one reads all of e per chunk.
 */
export function matMulRowChunks(dy: tf.Tensor2D, e: tf.Tensor2D, chunkBytes = TRANSIENT_CHUNK_BYTES): tf.Tensor2D {
  const [V, C] = e.shape;
  const N = dy.shape[0];
  const rows = chunkRows(C, chunkBytes);
  let acc: tf.Tensor2D | null = null;
  for (let v0 = 0; v0 < V; v0 += rows) {
    const n = Math.min(rows, V - v0);
    const part = tf.slice(e, [v0, 0], [n, C]); // [n, C], a copy
    const d = tf.slice(dy, [0, v0], [N, n]); // [N, n]
    const p = tf.matMul(d, part) as tf.Tensor2D; // [N, C]
    part.dispose();
    d.dispose();
    if (!acc) acc = p;
    else {
      const sum = tf.add(acc, p) as tf.Tensor2D;
      acc.dispose();
      p.dispose();
      acc = sum;
    }
  }
  return acc!;
}
