// The training step `npm run bench:train` times: a random BERT classifier or Llama causal LM of a given size,
// LoRA r=8 on query/value (q_proj/v_proj), AdamW, clip 1. Kept between calls of the same shape so the bench can
// interleave short rounds with PyTorch; one profiled step splits kernel time into attention matmuls, 2-D linears
// and the rest, with the FLOPs each did. tfjs-core, model/ and train/ only.
import * as tf from '@tensorflow/tfjs-core';
import { tryParseModelConfig, withLabels } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import { tryCreateLoraAdapter, type LoraAdapter } from '../model/lora';
import { setWasmMatmulShaping } from '../model/kernels/matmul';
import { registerWasmFastSlice, restoreWasmStockSlice } from '../model/kernels/wasmSlice';
import { setWebGpuKernels } from '../model/kernels/webgpu/ops';
import { setWasmFusedKernels } from '../model/kernels/wasmFused';
import { KERNELS } from '../model/kernels/webgpu/register';
import { randomBert } from '../model/randomBert';
import { randomLlama } from '../model/randomLlama';
import type { SequenceModel } from '../model/types';
import { err, ok, type Result } from '../lib/result';
import { createAdamW, type AdamW } from './adamw';
import { causalLmTrainStep } from './causalLmStep';
import { trainStep } from './classifierStep';

export type BenchShape = {
  family: 'bert' | 'llama';
  dims: { hidden: number; layers: number; heads: number; intermediate: number };
  vocabSize: number;
  seqLen: number;
  batchSize: number;
};

export type KernelGroup = { ms: number; gflop: number };
export type StepProfile = {
  attention: KernelGroup; // Q·Kᵀ and P·V with their gradients (batched, or per-head slices)
  linears: KernelGroup; // every other matmul: frozen linears, LoRA, heads
  other: KernelGroup; // everything else (gflop 0)
  kernelCount: number;
  top: { name: string; ms: number }[];
};

type Session = { key: string; model: SequenceModel; adapter: LoraAdapter; optimizer: AdamW; step: () => tf.Scalar; steps: number };
let session: Session | null = null;

const MATMULS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);

/** Stock tfjs kernels on (the bench's before) or the studio's wasm kernels (after); a change rebuilds the session. */
export function setStockKernels(stock: boolean): void {
  if (stock === stockKernels) return;
  stockKernels = stock;
  disposeBenchSession();
  setWasmMatmulShaping(!stock);
  setWebGpuKernels(!stock);
  setWasmFusedKernels(!stock);
  if (stock) restoreWasmStockSlice();
  else if (tf.getBackend() === 'wasm') registerWasmFastSlice();
}
let stockKernels = false;

export function disposeBenchSession(): void {
  if (!session) return;
  session.optimizer.dispose();
  session.adapter.dispose();
  session.model.dispose();
  session = null;
}

function build(shape: BenchShape): Result<Session, string> {
  const d = { vocabSize: shape.vocabSize, maxPositions: Math.max(512, shape.seqLen), ...shape.dims };
  const llama = shape.family === 'llama';
  const { tensors, configJson } = llama ? randomLlama(d) : randomBert(d);
  const parsed = tryParseModelConfig(configJson);
  if (!parsed.ok) return err(parsed.error);
  const config = llama ? parsed.value : withLabels(parsed.value, ['a', 'b']);
  const built = tryLoadModel(tensors, config, { task: llama ? 'CAUSAL_LM' : 'SEQ_CLS', seed: 1, keepBackwardWeights: true });
  if (!built.ok) return err(built.error);
  const model = built.value;
  const targetModules = llama ? ['q_proj', 'v_proj'] : ['query', 'value'];
  const lora = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0, targetModules, seed: 1 });
  if (!lora.ok) {
    model.dispose();
    return err(lora.error);
  }
  const adapter = lora.value;
  const optimizer = createAdamW(adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })));
  const B = shape.batchSize;
  const T = shape.seqLen;
  const inputIds = Int32Array.from({ length: B * T }, (_, i) => 1 + ((i * 7919) % (shape.vocabSize - 1)));
  const attentionMask = new Int32Array(B * T).fill(1);
  const opts = { lr: 1e-3, seed: 1, maxGradNorm: 1 };
  const step = llama
    ? () => causalLmTrainStep(model, adapter, optimizer, { B, T, inputIds, attentionMask, labels: inputIds }, opts)
    : () => trainStep(model, adapter, optimizer, { B, T, inputIds, attentionMask, labels: Int32Array.from({ length: B }, (_, i) => i % 2) }, opts);
  return ok({ key: `${tf.getBackend()} ${JSON.stringify(shape)}`, model, adapter, optimizer, step, steps: 0 });
}

/** The session for this shape (built on first use, the previous one disposed). */
export function benchSession(shape: BenchShape): Result<Session, string> {
  const key = `${tf.getBackend()} ${JSON.stringify(shape)}`;
  if (session?.key === key) return ok(session);
  disposeBenchSession();
  const built = build(shape);
  if (built.ok) session = built.value;
  return built;
}

/** Times `n` steps (one readback of the loss each, as the trainer does); returns ms per step. */
export async function timeSteps(s: Session, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const loss = s.step();
    await loss.data();
    loss.dispose();
    times.push(performance.now() - t0);
    s.steps++;
  }
  return times;
}

/** FLOPs of one matmul kernel from its shapes: 2 * |out| * K, K = |a| * N / |out| (works for any transposes). */
export function matmulFlops(inputShapes: number[][], outputShape: number[]): number {
  const size = (s: number[]) => s.reduce((a, d) => a * d, 1);
  const out = size(outputShape);
  const N = outputShape[outputShape.length - 1];
  return out === 0 ? 0 : 2 * out * ((size(inputShapes[0]) * N) / out);
}

/** Attention matmuls: batched (leading dims > 1) or per-head slices whose every dim is T or D. */
export function isAttentionMatmul(inputShapes: number[][], T: number, D: number): boolean {
  const lead = (inputShapes[0] ?? []).slice(0, -2).reduce((a, d) => a * d, 1);
  if (lead > 1) return true;
  return inputShapes.every((s) => s.slice(-2).every((d) => d === T || d === D));
}

export async function profileStep(s: Session, shape: BenchShape): Promise<StepProfile> {
  const D = shape.dims.hidden / shape.dims.heads;
  const profile = await tf.profile(() => s.step());
  (profile.result as tf.Tensor).dispose();
  const groups = { attention: { ms: 0, gflop: 0 }, linears: { ms: 0, gflop: 0 }, other: { ms: 0, gflop: 0 } };
  const byName = new Map<string, number>();
  const backend = tf.getBackend();
  for (const k of profile.kernels) {
    // customGrad records its whole forward as one pseudo-kernel ('forward') around the real ones: skip it.
    if (!tf.getKernel(k.name, backend)) continue;
    const t = await k.kernelTimeMs;
    const ms = typeof t === 'number' ? t : 0;
    let name = k.name;
    if (k.name === KERNELS.attention) {
      // Fused q·kᵀ, softmax, ·v: q [B, H, Tq, D], k [B, H, Tk, D] -> 4·B·H·Tq·Tk·D FLOPs.
      const [b, h, tq, d] = k.inputShapes[0];
      groups.attention.ms += ms;
      groups.attention.gflop += (4 * b * h * tq * (k.inputShapes[1]?.[2] ?? 0) * d) / 1e9;
    } else if (k.name === KERNELS.loraLinear) {
      // x [N, K] · w [K, O] plus down [N, r] · up [r, O].
      const [n, kk] = k.inputShapes[0];
      const o = k.outputShapes[0][1];
      groups.linears.ms += ms;
      groups.linears.gflop += (2 * n * o * (kk + (k.inputShapes[2]?.[1] ?? 0))) / 1e9;
    } else if (MATMULS.has(k.name)) {
      const g = isAttentionMatmul(k.inputShapes, shape.seqLen, D) ? groups.attention : groups.linears;
      g.ms += ms;
      g.gflop += matmulFlops(k.inputShapes, k.outputShapes[0]) / 1e9;
      name = g === groups.attention ? 'MatMul (attention)' : 'MatMul (2-D linears)';
    } else groups.other.ms += ms;
    byName.set(name, (byName.get(name) ?? 0) + ms);
  }
  const top = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([name, ms]) => ({ name, ms }));
  return { ...groups, kernelCount: profile.kernels.filter((k) => tf.getKernel(k.name, backend)).length, top };
}
