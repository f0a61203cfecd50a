// Correctness check of the WGSL kernels: each case runs on seeded random inputs (odd sizes, masked keys, ignored
// targets) once with the fused kernel on webgpu and once with stock ops on the CPU backend, forward value and
// gradients (for a random upstream gradient), and reports the largest differences. The browser test asserts them.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../../../lib/rng';
import { FLOAT32_MIN } from '../../layers';
import { crossEntropyRows, fusedAttention, fusedLoraLinear, webGpuKernelsActive } from './ops';

export type KernelCheckRow = { kernel: string; case: string; output: string; maxAbsDiff: number; maxAbsRef: number };
type Arrays = Record<string, Float32Array>;
type Case = {
  kernel: string;
  name: string;
  /** Input arrays with their shapes (float32 unless int32 is named). */
  inputs: Record<string, { shape: number[]; data: Float32Array | Int32Array }>;
  /** Which inputs get gradients. */
  diff: string[];
  /** The op: fused (webgpu) or stock (cpu); returns the output. */
  op: (t: Record<string, tf.Tensor>, fused: boolean) => tf.Tensor;
};

function randn(seed: number, n: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * scale);
}
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

/** Additive mask [B, 1, Mq, Tk] with float32 min where allowed(b, i, j) is false. */
function maskData(B: number, Mq: number, Tk: number, allowed: (b: number, i: number, j: number) => boolean): Float32Array {
  const m = new Float32Array(B * Mq * Tk);
  for (let b = 0; b < B; b++) for (let i = 0; i < Mq; i++) for (let j = 0; j < Tk; j++) m[(b * Mq + i) * Tk + j] = allowed(b, i, j) ? 0 : FLOAT32_MIN;
  return m;
}

function attentionCase(
  name: string,
  seed: number,
  B: number,
  H: number,
  Tq: number,
  Tk: number,
  D: number,
  mask: { shape: number[]; data: Float32Array } | null,
): Case {
  const scale = 1 / Math.sqrt(D);
  const inputs: Case['inputs'] = {
    q: { shape: [B, H, Tq, D], data: randn(seed, B * H * Tq * D) },
    k: { shape: [B, H, Tk, D], data: randn(seed + 1, B * H * Tk * D) },
    v: { shape: [B, H, Tk, D], data: randn(seed + 2, B * H * Tk * D) },
  };
  if (mask) inputs.mask = mask;
  return {
    kernel: 'attention',
    name,
    inputs,
    diff: ['q', 'k', 'v'],
    op: (t, fused) => {
      const [q, k, v] = [t.q, t.k, t.v] as tf.Tensor4D[];
      const m = (t.mask as tf.Tensor4D | undefined) ?? null;
      if (fused) return fusedAttention(q, k, v, m, scale);
      const raw = tf.mul(tf.matMul(q, k, false, true), scale);
      return tf.matMul(tf.softmax(m ? tf.add(raw, m) : raw), v);
    },
  };
}

function loraCase(name: string, seed: number, N: number, K: number, O: number, r: number, bias: boolean): Case {
  const inputs: Case['inputs'] = {
    x: { shape: [N, K], data: randn(seed, N * K) },
    w: { shape: [K, O], data: randn(seed + 1, K * O, 0.2) },
    a: { shape: [K, r], data: randn(seed + 2, K * r, 0.3) },
    b: { shape: [r, O], data: randn(seed + 3, r * O, 0.3) },
  };
  if (bias) inputs.bias = { shape: [O], data: randn(seed + 4, O) };
  const s = 2.5;
  return {
    kernel: 'loraLinear',
    name,
    inputs,
    diff: ['x', 'a', 'b'],
    op: (t, fused) => {
      const [x, w, a, b] = [t.x, t.w, t.a, t.b] as tf.Tensor2D[];
      const down = tf.matMul(x, a) as tf.Tensor2D; // [N, r]
      if (fused) return fusedLoraLinear(x, w, t.bias as tf.Tensor1D | undefined, down, b, s);
      const y = tf.add(tf.matMul(x, w), tf.mul(tf.matMul(down, b), s));
      return t.bias ? tf.add(y, t.bias) : y;
    },
  };
}

function crossEntropyCase(name: string, seed: number, N: number, L: number, ignoreEvery: number): Case {
  const rng = createRng(seed + 9);
  const targets = Int32Array.from({ length: N }, (_, i) => (ignoreEvery > 0 && i % ignoreEvery === ignoreEvery - 1 ? -100 : Math.floor(rng.next() * L)));
  return {
    kernel: 'crossEntropy',
    name,
    inputs: { logits: { shape: [N, L], data: randn(seed, N * L, 3) }, targets: { shape: [N], data: targets } },
    diff: ['logits'],
    op: (t, fused) => {
      const logits = t.logits as tf.Tensor2D;
      const y = t.targets as tf.Tensor1D;
      if (fused) return crossEntropyRows(logits, y);
      const valid = tf.cast(tf.greaterEqual(y, 0), 'float32'); // [N]
      const picked = tf.sum(tf.mul(tf.logSoftmax(logits, 1), tf.oneHot(tf.maximum(y, tf.scalar(0, 'int32')) as tf.Tensor1D, L)), 1); // [N]
      return tf.mul(tf.neg(picked), valid);
    },
  };
}

/** The cases: odd sizes everywhere, padding and causal masks, a fully masked sequence, Tq ≠ Tk, ignored targets. */
export function kernelCheckCases(seed: number): Case[] {
  const pad = (B: number, T: number, lengths: number[]) => ({ shape: [B, 1, 1, T], data: maskData(B, 1, T, (b, _i, j) => j < lengths[b]) });
  const causal = (B: number, T: number, lengths: number[]) => ({ shape: [B, 1, T, T], data: maskData(B, T, T, (b, i, j) => j <= i && j < lengths[b]) });
  return [
    attentionCase('B2 H3 T7 D5, padding mask', seed, 2, 3, 7, 7, 5, pad(2, 7, [7, 4])),
    attentionCase('B2 H2 T9 D8, causal + padding mask', seed + 10, 2, 2, 9, 9, 8, causal(2, 9, [9, 6])),
    attentionCase('B2 H1 T5 D3, one sequence fully masked', seed + 20, 2, 1, 5, 5, 3, pad(2, 5, [3, 0])),
    attentionCase('B1 H2 Tq3 Tk10 D4, decode step mask', seed + 30, 1, 2, 3, 10, 4, {
      shape: [1, 1, 3, 10],
      data: maskData(1, 3, 10, (_b, i, j) => j <= 7 + i),
    }),
    attentionCase('B3 H4 T33 D16, no mask', seed + 40, 3, 4, 33, 33, 16, null),
    loraCase('N37 K45 O29 r3, bias', seed + 50, 37, 45, 29, 3, true),
    loraCase('N5 K16 O16 r1, no bias', seed + 60, 5, 16, 16, 1, false),
    loraCase('N130 K64 O70 r8, bias', seed + 70, 130, 64, 70, 8, true),
    crossEntropyCase('N13 L7, every 4th target ignored', seed + 80, 13, 7, 4),
    crossEntropyCase('N9 L130 (wider than a workgroup)', seed + 90, 9, 130, 0),
    crossEntropyCase('N6 L1001, every 2nd ignored', seed + 100, 6, 1001, 2),
  ];
}

/** Runs every case's op on the current backend (fused when the kernels are active), forward and gradients. */
export async function runKernelCases(cases: Case[], seed: number): Promise<Arrays[]> {
  const fused = webGpuKernelsActive();
  const out: Arrays[] = [];
  for (const c of cases) {
    const got = tf.tidy(() => {
      const t: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(c.inputs)) t[k] = tf.tensor(v.data, v.shape, v.data instanceof Int32Array ? 'int32' : 'float32');
      const outShape = tf.tidy(() => c.op(t, fused).shape);
      const dy = tf.tensor(randn(seed + 777, size(outShape)), outShape); // random upstream gradient
      const f = (...xs: tf.Tensor[]) => {
        const tt = { ...t };
        c.diff.forEach((k, i) => (tt[k] = xs[i]));
        return c.op(tt, fused);
      };
      const { value, grads } = tf.valueAndGrads(f)(
        c.diff.map((k) => t[k]),
        dy,
      );
      return [value, ...grads];
    });
    const arrays: Arrays = {};
    const names = ['value', ...c.diff.map((k) => `d${k}`)];
    for (let i = 0; i < got.length; i++) arrays[names[i]] = Float32Array.from(await got[i].data());
    tf.dispose(got);
    out.push(arrays);
  }
  return out;
}

/** Largest |fused - reference| per output (Infinity on a NaN or a length mismatch) and the largest |reference|. */
export function compareArrays(kernel: string, name: string, fused: Arrays, reference: Arrays): KernelCheckRow[] {
  return Object.entries(reference).map(([output, ref]) => {
    const got = fused[output] ?? new Float32Array(0);
    let maxAbsDiff = got.length === ref.length ? 0 : Infinity;
    let maxAbsRef = 0;
    for (let j = 0; j < ref.length; j++) {
      const d = Math.abs(got[j] - ref[j]);
      maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
      maxAbsRef = Math.max(maxAbsRef, Math.abs(ref[j]));
    }
    return { kernel, case: name, output, maxAbsDiff, maxAbsRef };
  });
}

/** Compares the fused run with the reference run, case by case. */
export function compareKernelRuns(cases: Case[], fused: Arrays[], reference: Arrays[]): KernelCheckRow[] {
  return cases.flatMap((c, i) => compareArrays(c.kernel, c.name, fused[i], reference[i]));
}
