// Transient packing on the real wasm backend in Node: the same values and LoRA / input gradients as the normal
// path, the chunked LM-head backward equal to the whole one, no tensor growth, and no packed copy left behind
// (measured as bytes in use inside the WebAssembly heap, probed with malloc).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../test/wasmBackend';
import { tryParseModelConfig } from '../config';
import { randomWeights } from '../families/random';
import { applyLinear, createForwardContext, embeddingLookup } from '../layers';
import { tryLoadModel } from '../loadModel';
import { tryCreateLoraAdapter } from '../lora';
import type { AdapterHooks, Linear } from '../types';
import { matMulRowChunks } from './transientPacking';

const data = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k) * 0.5);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
/** Tolerance: float32 sums in another order (XNNPACK packs by tiles either way), relative to the largest value. */
const close = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  expect(maxDiff(got, want)).toBeLessThan(1e-5 * Math.max(1, ...Array.from(want, Math.abs)));
};

type Heap = { wasm: { _malloc(n: number): number; _free(p: number): void; HEAPU8: Uint8Array } };
/** Bytes in use in the wasm heap: its size minus what 1 MB mallocs can still take without growing it. */
function heapBytesInUse(): number {
  const { wasm } = tf.backend() as unknown as Heap;
  const size = wasm.HEAPU8.buffer.byteLength;
  const taken: number[] = [];
  for (;;) {
    const p = wasm._malloc(1 << 20);
    if (!p) break;
    taken.push(p);
    if (wasm.HEAPU8.buffer.byteLength !== size) break; // it grew: the free space is used up
  }
  const grew = wasm.HEAPU8.buffer.byteLength !== size;
  for (const p of taken) wasm._free(p);
  return size - (taken.length - (grew ? 1 : 0)) * (1 << 20);
}

/** A LoRA-like adapter: delta = (x @ A) @ B on every Linear. */
function loraHooks(inF: number, outF: number, r: number): { hooks: AdapterHooks; vars: tf.Variable[] } {
  const A = tf.variable(tf.tensor2d(data(inF * r, 5), [inF, r]));
  const B = tf.variable(tf.tensor2d(data(r * outF, 6), [r, outF]));
  const hooks: AdapterHooks = { linearDelta: (_path, x) => tf.matMul(tf.matMul(x, A), B) as tf.Tensor2D, headLinear: () => null };
  return { hooks, vars: [A, B] };
}

describe('transient packing (wasm)', () => {
  useWasmBackend();

  it('a frozen Linear gives the same output and x / LoRA gradients as the normal path', async () => {
    const [N, inF, outF] = [6, 48, 40];
    const w = tf.tensor2d(data(inF * outF, 1), [inF, outF]);
    const b = tf.tensor1d(data(outF, 2));
    const x = tf.tensor2d(data(N * inF, 3), [N, inF]);
    const { hooks, vars } = loraHooks(inF, outF, 4);
    const run = async (l: Linear) => {
      const ctx = createForwardContext(false, 0);
      const f = () => tf.sum(tf.mul(applyLinear(x, l, hooks, ctx), tf.tensor2d(data(N * outF, 4), [N, outF]))) as tf.Scalar;
      const y = tf.tidy(() => applyLinear(x, l, hooks, ctx));
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(applyLinear(xx as tf.Tensor2D, l, hooks, ctx), tf.tensor2d(data(N * outF, 4), [N, outF]))))(x);
      const { value, grads } = tf.variableGrads(f, vars);
      const out = [await y.data(), await dx.data(), ...(await Promise.all(vars.map((v) => grads[v.name].data())))];
      tf.dispose([y, dx, value, ...Object.values(grads)]);
      return out;
    };
    const normal = await run({ path: 'p', w, b });
    const copies = await run({ path: 'p', w, b, wHf: tf.transpose(w) });
    const transient = await run({ path: 'p', w, b, transient: true });
    normal.forEach((want, i) => {
      close(transient[i], want);
      close(copies[i], want);
    });
    tf.dispose([w, b, x, ...vars]);
  });

  it('the LM-head backward over row chunks equals dy @ e (uneven last chunk)', async () => {
    const [N, V, C] = [5, 103, 16];
    const dy = tf.tensor2d(data(N * V, 7), [N, V]);
    const e = tf.tensor2d(data(V * C, 8), [V, C]);
    const want = tf.matMul(dy, e);
    const n0 = tf.memory().numTensors;
    const got = matMulRowChunks(dy, e, 10 * C * 4); // 10 rows a chunk: 11 chunks, the last of 3 rows
    expect(tf.memory().numTensors).toBe(n0 + 1); // the slices and partial sums are gone
    close(await got.data(), await want.data());
    tf.dispose([dy, e, want, got]);
  });

  it('a tiny Qwen2 decoder: same loss and LoRA gradients, no tensor growth across steps', async () => {
    const parsed = tryParseModelConfig({
      model_type: 'qwen2',
      hidden_size: 32,
      intermediate_size: 64,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      num_hidden_layers: 2,
      vocab_size: 300,
      max_position_embeddings: 64,
      rope_theta: 10000,
      tie_word_embeddings: true,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const config = parsed.value;
    const B = 2;
    const T = 8;
    const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 37 + 5) % config.vocabSize);
    const inputs = { inputIds: tf.tensor2d(ids, [B, T], 'int32'), attentionMask: tf.ones([B, T], 'int32') as tf.Tensor2D };
    const mix = tf.tensor3d(data(B * T * config.vocabSize, 4), [B, T, config.vocabSize]); // a loss touching every logit
    const run = async (transientPacking: boolean) => {
      const built = tryLoadModel(randomWeights(config, 3, 0.2), config, { task: 'CAUSAL_LM', transientPacking });
      if (!built.ok) throw new Error(built.error);
      const model = built.value;
      const lora = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['q_proj', 'v_proj', 'down_proj'], seed: 1 });
      if (!lora.ok) throw new Error(lora.error);
      const adapter = lora.value;
      // LoRA B starts at zero (no gradient reaches A): give B values so every factor's gradient is tested.
      for (const t of adapter.peftTensors) if (t.key.includes('lora_B')) t.variable.assign(tf.tensor(data(t.variable.size, 9), t.variable.shape));
      const counts: number[] = [];
      let out: Float32Array[] = [];
      for (let step = 0; step < 3; step++) {
        const values = tf.tidy(() => {
          const f = () => tf.sum(tf.mul(model.forward(inputs, { adapter, keepHiddenStates: false }).logits, mix)) as tf.Scalar;
          const { value, grads } = tf.variableGrads(f, adapter.trainableVariables);
          return [value, ...adapter.trainableVariables.map((v) => grads[v.name])];
        });
        out = (await Promise.all(values.map((t) => t.data()))) as Float32Array[];
        tf.dispose(values);
        counts.push(tf.memory().numTensors);
      }
      adapter.dispose();
      model.dispose();
      return { out, counts };
    };
    const normal = await run(false);
    const transient = await run(true);
    expect(transient.out.length).toBeGreaterThan(4);
    normal.out.forEach((want, i) => close(transient.out[i], want));
    expect(new Set(transient.counts).size).toBe(1);
    tf.dispose([inputs.inputIds, inputs.attentionMask, mix]);
  });

  it('embeddingLookup: a frozen table is not cloned onto the tape; a trainable one still gets its gradient', async () => {
    const [V, C] = [2000, 512]; // 4 MB
    const table = tf.tensor2d(data(V * C, 1), [V, C]);
    const ids = tf.tensor1d([3, 7, 3, 1999], 'int32');
    const v = tf.variable(tf.tensor2d(data(4 * C, 2), [4, C]));
    let grew = 0;
    const { value, grads } = tf.variableGrads(() => {
      const before = tf.memory().numBytes;
      const y = embeddingLookup(table, ids);
      grew = tf.memory().numBytes - before;
      return tf.sum(tf.mul(y, v)) as tf.Scalar;
    }, [v]);
    expect(grew).toBe(4 * C * 4); // only the looked-up rows (a taped tf.gather adds a copy of the table)
    close(await grads[v.name].data(), await tf.gather(table, ids).data());
    const trainable = tf.variable(table, true);
    const g = tf.variableGrads(() => tf.sum(tf.mul(embeddingLookup(trainable, ids), v)) as tf.Scalar, [trainable]);
    const row3 = (await tf.slice(g.grads[trainable.name], [3, 0], [1, C]).data()) as Float32Array;
    const vData = (await v.data()) as Float32Array;
    close(
      row3,
      Float32Array.from({ length: C }, (_, j) => vData[j] + vData[2 * C + j]),
    ); // id 3 picked twice
    tf.dispose([table, ids, v, value, trainable, g.value, ...Object.values(grads), ...Object.values(g.grads)]);
  });

  it('leaves no packed copy in the heap, while the normal path keeps one per weight', () => {
    const [N, inF, outF, K] = [2, 1024, 1024, 8]; // K weights of 4 MB: 32 MB of packed copies in the normal path
    const weights = Array.from({ length: K }, (_, k) => tf.tensor2d(data(inF * outF, k), [inF, outF]));
    const x = tf.tensor2d(data(N * inF, 9), [N, inF]);
    const step = (transient: boolean) =>
      tf
        .tidy(() => {
          const ctx = createForwardContext(false, 0);
          const f = (xx: tf.Tensor) => tf.sum(weights.reduce((h, w) => applyLinear(h, { path: 'p', w, transient }, null, ctx), xx as tf.Tensor2D));
          return tf.grad(f)(x);
        })
        .dispose();
    step(true); // warm-up: the heap's own small allocations
    const n0 = tf.memory().numTensors;
    const start = heapBytesInUse();
    for (let i = 0; i < 3; i++) step(true);
    const afterTransient = heapBytesInUse();
    expect(tf.memory().numTensors).toBe(n0);
    step(false);
    const afterNormal = heapBytesInUse();
    const weightBytes = K * inF * outF * 4;
    expect(afterTransient - start).toBeLessThan(0.1 * weightBytes);
    expect(afterNormal - afterTransient).toBeGreaterThan(0.8 * weightBytes); // the proxy can see packed copies
    tf.dispose([...weights, x]); // disposing the weights frees their packed copies
    expect(heapBytesInUse()).toBeLessThan(afterNormal - 1.8 * weightBytes);
  });
});
