// LayerNorm with its one-pass JS backward on the real wasm backend in Node: values and gradients (x, gamma, beta)
// equal the stock ops on the CPU backend within 3e-5 of max(1, max |ref|) (float64 sums here, float32 there) (odd sizes, large and small inputs), and leak no tensors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { layerNorm } from '../layers';
import { setWasmFusedKernels, wasmFusedActive } from './wasmFused';

const data = (n: number, k: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k) * scale + Math.cos(i * 1.3) * 0.1);

/** Value and gradients of sum(f(x, g, b) * w) on the current backend. */
async function run(f: (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor2D, N: number, C: number, scale: number): Promise<number[][]> {
  const x = tf.tensor2d(data(N * C, 1, scale), [N, C]);
  const g = tf.tensor1d(data(C, 2, 1));
  const b = tf.tensor1d(data(C, 3, 1));
  const w = tf.tensor2d(data(N * C, 4, 1), [N, C]);
  const before = tf.memory().numTensors;
  const { value, grads } = tf.valueAndGrads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
    tf.sum(tf.mul(f(xi as tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D), w)),
  )([x, g, b]);
  const out = tf.tidy(() => f(x, g, b));
  const res = [Array.from(await out.data()), ...(await Promise.all(grads.map(async (t) => Array.from(await t.data())))), [(await value.data())[0]]];
  tf.dispose([out, value, ...grads]);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, g, b, w]);
  return res;
}

async function compare(f: (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor2D, N: number, C: number, scale: number) {
  await tf.setBackend('cpu');
  const want = await run(f, N, C, scale);
  await tf.setBackend('wasm');
  expect(wasmFusedActive()).toBe(true);
  const got = await run(f, N, C, scale);
  want.forEach((w, i) => {
    const maxRef = Math.max(1, ...w.map(Math.abs));
    const maxDiff = Math.max(...w.map((v, j) => Math.abs(v - got[i][j])));
    expect(maxDiff, `N${N} C${C} scale ${scale} output ${i} (max ref ${maxRef})`).toBeLessThanOrEqual(3e-5 * maxRef);
  });
}

afterAll(() => setWasmFusedKernels(true));

describe('wasm LayerNorm with the fused backward', () => {
  it('LayerNorm: value and gradients for x, gamma and beta equal the stock ops on the CPU', async () => {
    for (const [N, C, s] of [
      [7, 13, 3],
      [33, 65, 40],
      [3, 5, 0.5],
    ] as const)
      await compare((x, g, b) => layerNorm(x, { gamma: g, beta: b }, 1e-12), N, C, s);
  });
  it('the switch turns the fused path off', async () => {
    await tf.setBackend('wasm');
    setWasmFusedKernels(false);
    expect(wasmFusedActive()).toBe(false);
    setWasmFusedKernels(true);
    expect(wasmFusedActive()).toBe(true);
  });
});
