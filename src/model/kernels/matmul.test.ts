// The wasm-shaped matmuls (per-head 2-D slices, explicit transposes, heap-reading Slice/SplitV/Unpack) on the real
// wasm backend in Node: values and gradients equal tf.matMul's on the CPU backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchMatMul, matMul2d, matMulTransposedB } from './matmul';
import { registerWasmFastSlice } from './wasmSlice';

const data = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k));

/** Value and gradients of sum(f(a, b) * w) for fixed data, on the current backend. */
async function run(f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, aShape: number[], bShape: number[]): Promise<number[][]> {
  const size = (s: number[]) => s.reduce((x, d) => x * d, 1);
  const a = tf.tensor(data(size(aShape), 1), aShape);
  const b = tf.tensor(data(size(bShape), 2), bShape);
  const out = f(a, b);
  const w = tf.tensor(data(out.size, 3), out.shape);
  const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), w)))([a, b]);
  const res = [Array.from(await out.data()), Array.from(await ga.data()), Array.from(await gb.data())];
  tf.dispose([a, b, out, w, ga, gb]);
  return res;
}

async function onBoth(f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, ref: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, aShape: number[], bShape: number[]) {
  await tf.setBackend('cpu');
  const want = await run(ref, aShape, bShape);
  await tf.setBackend('wasm');
  const got = await run(f, aShape, bShape);
  got.forEach((g, i) => {
    expect(g.length).toBe(want[i].length);
    const err = Math.max(...g.map((v, j) => Math.abs(v - want[i][j])));
    expect(err).toBeLessThan(1e-4 * Math.max(1, ...want[i].map(Math.abs)));
  });
}

describe('wasm matmul kernels', () => {
  beforeAll(async () => {
    registerWasmFastSlice();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('batchMatMul with transposeB (attention Q·Kᵀ) equals tf.matMul with its gradients', async () => {
    await onBoth(
      (a, b) => batchMatMul(a, b, false, true),
      (a, b) => tf.matMul(a, b, false, true),
      [2, 3, 5, 4],
      [2, 3, 6, 4],
    );
  });

  it('batchMatMul plain (P·V) and with transposeA equal tf.matMul', async () => {
    await onBoth(
      (a, b) => batchMatMul(a, b),
      (a, b) => tf.matMul(a, b),
      [2, 3, 5, 6],
      [2, 3, 6, 4],
    );
    await onBoth(
      (a, b) => batchMatMul(a, b, true, false),
      (a, b) => tf.matMul(a, b, true, false),
      [4, 6, 5],
      [4, 6, 3],
    );
  });

  it('matMul2d and matMulTransposedB equal tf.matMul', async () => {
    await onBoth(
      (a, b) => matMul2d(a as tf.Tensor2D, b as tf.Tensor2D),
      (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      [7, 5],
      [5, 3],
    );
    // matMulTransposedB has no gradient for b by design: compare values and the gradient of a only.
    await tf.setBackend('cpu');
    const a = tf.tensor2d(data(14, 1), [7, 2]);
    const b = tf.tensor2d(data(10, 2), [5, 2]);
    const want = await tf.matMul(a, b, false, true).data();
    await tf.setBackend('wasm');
    const a2 = tf.tensor2d(data(14, 1), [7, 2]);
    const b2 = tf.tensor2d(data(10, 2), [5, 2]);
    const got = await matMulTransposedB(a2, b2).data();
    expect(
      Array.from(got)
        .map((v, i) => Math.abs(v - want[i]))
        .every((e) => e < 1e-5),
    ).toBe(true);
  });

  it('the heap-reading Slice, SplitV and Unpack equal the CPU kernels', async () => {
    const shape = [3, 4, 5, 2];
    const pick = (x: tf.Tensor) => [
      tf.slice(x, [1, 0, 2, 0], [2, 4, 3, 2]),
      tf.slice(x, [0, 1, 0, 1], [3, 2, 5, 1]),
      ...tf.split(x, [2, 3], 2),
      ...tf.unstack(x, 1),
      ...tf.unstack(x, 0),
    ];
    await tf.setBackend('cpu');
    const want = await Promise.all(pick(tf.tensor(data(120, 0), shape)).map(async (t) => ({ shape: t.shape, v: Array.from(await t.data()) })));
    await tf.setBackend('wasm');
    const got = await Promise.all(pick(tf.tensor(data(120, 0), shape)).map(async (t) => ({ shape: t.shape, v: Array.from(await t.data()) })));
    expect(got).toEqual(want);
  });
});
