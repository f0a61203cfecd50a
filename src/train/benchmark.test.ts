// The bench step on the real wasm backend (Node): same losses as on the CPU backend for BERT and Llama (the
// per-head attention matmuls, heap-reading slices and reshaped transposed matmuls change no math), tensor count
// flat across steps, and the profile's matmul grouping.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWasmFastSlice } from '../model/kernels/wasmSlice';
import { registerWasmUnsortedSegmentSum } from '../model/wasmKernels';
import { benchSession, disposeBenchSession, isAttentionMatmul, matmulFlops, profileStep, timeSteps, type BenchShape } from './benchmark';

const dims = { hidden: 32, layers: 2, heads: 2, intermediate: 64 };
const shapes: BenchShape[] = [
  { family: 'bert', dims, vocabSize: 500, seqLen: 16, batchSize: 4 },
  { family: 'llama', dims, vocabSize: 300, seqLen: 16, batchSize: 4 },
];

async function losses(backend: string, shape: BenchShape, steps: number): Promise<{ losses: number[]; counts: number[] }> {
  await tf.setBackend(backend);
  const got = benchSession(shape);
  if (!got.ok) throw new Error(got.error);
  const out: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = got.value.step();
    out.push((await loss.data())[0]);
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  disposeBenchSession();
  return { losses: out, counts };
}

describe('bench step on wasm', () => {
  afterAll(async () => {
    disposeBenchSession();
    await tf.setBackend('cpu');
  });

  for (const shape of shapes) {
    it(`${shape.family}: wasm losses equal cpu over 4 AdamW steps, tensors flat`, async () => {
      registerWasmUnsortedSegmentSum();
      registerWasmFastSlice();
      const cpu = await losses('cpu', shape, 4);
      const wasm = await losses('wasm', shape, 4);
      console.log(`[bench-step] ${shape.family} cpu ${cpu.losses.map((l) => l.toFixed(6)).join(' ')} | wasm ${wasm.losses.map((l) => l.toFixed(6)).join(' ')}`);
      expect(cpu.losses[3]).toBeLessThan(cpu.losses[0]); // it trains
      wasm.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.losses[i]))));
      expect(new Set(wasm.counts.slice(1)).size).toBe(1); // no tensor leaks step to step
    });
  }

  it('profiles one step into attention matmuls, linears and the rest', async () => {
    await tf.setBackend('wasm');
    const got = benchSession(shapes[0]);
    if (!got.ok) throw new Error(got.error);
    expect((await timeSteps(got.value, 2)).length).toBe(2);
    const p = await profileStep(got.value, shapes[0]);
    // Attention FLOPs per step: forward 2 matmuls, backward 4, each 2*B*H*T*T*D.
    const perMatmul = 2 * 4 * 2 * 16 * 16 * 16;
    expect(p.attention.gflop * 1e9).toBeCloseTo(2 * 6 * perMatmul, -1);
    expect(p.linears.gflop).toBeGreaterThan(p.attention.gflop);
    expect(p.other.ms).toBeGreaterThan(0);
  });

  it('counts matmul FLOPs for any transposes and tells attention from linears', () => {
    expect(
      matmulFlops(
        [
          [8, 3],
          [3, 5],
        ],
        [8, 5],
      ),
    ).toBe(2 * 8 * 3 * 5);
    expect(
      matmulFlops(
        [
          [2, 3, 4, 6],
          [2, 3, 7, 6],
        ],
        [2, 3, 4, 7],
      ),
    ).toBe(2 * 6 * 4 * 6 * 7);
    expect(
      isAttentionMatmul(
        [
          [2, 3, 16, 8],
          [2, 3, 8, 16],
        ],
        16,
        8,
      ),
    ).toBe(true);
    expect(
      isAttentionMatmul(
        [
          [16, 8],
          [8, 16],
        ],
        16,
        8,
      ),
    ).toBe(true);
    expect(
      isAttentionMatmul(
        [
          [64, 32],
          [32, 32],
        ],
        16,
        8,
      ),
    ).toBe(false);
  });
});
