// The JS UnsortedSegmentSum kernel on the real wasm backend (run in Node): gradients of tf.gather equal the CPU's.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { registerWasmUnsortedSegmentSum } from './wasmKernels';

async function gatherGrads(): Promise<number[][]> {
  const x = tf.tensor4d(
    Array.from({ length: 2 * 2 * 3 * 2 }, (_, i) => i * 0.5 - 3),
    [2, 2, 3, 2],
  );
  const rows = tf.tensor2d(
    Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i)),
    [6, 4],
  );
  const g = tf.grads((a: tf.Tensor, r: tf.Tensor) =>
    tf.add(tf.sum(tf.square(tf.gather(a, [0, 0, 1, 1], 1))), tf.sum(tf.mul(tf.gather(r, tf.tensor1d([5, 2, 2], 'int32')), 3))),
  )([x, rows]);
  const out = [Array.from(await g[0].data()), Array.from(await g[1].data())];
  tf.dispose([x, rows, ...g]);
  return out;
}

describe('wasm UnsortedSegmentSum', () => {
  it('makes tf.gather differentiable on wasm, equal to cpu', async () => {
    await tf.setBackend('cpu');
    const want = await gatherGrads();
    registerWasmUnsortedSegmentSum();
    expect(await tf.setBackend('wasm')).toBe(true);
    const got = await gatherGrads();
    expect(got).toEqual(want);
    await tf.setBackend('cpu');
  });
});
