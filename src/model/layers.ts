// Shared building blocks of the forward passes (linear with LoRA hooks, norms, activations, attention masks)
// and the weight reader that maps HF tensor names to tfjs tensors with shape checks. tfjs-core + lib only.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../lib/rng';
import { matMul2d, matMulTransposedB } from './kernels/matmul';
import { matMulRowChunks, matMulTransient, matMulTransposedBTransient } from './kernels/transientPacking';
import { fusedLayerNorm, wasmFusedActive } from './kernels/wasmFused';
import { fusedAttention, fusedAttentionFits, fusedLoraLinear, webGpuKernelsActive } from './kernels/webgpu/ops';
import type { AdapterHooks, ForwardContext, ForwardOptions, HeadSource, Linear, ModelInputs, WeightBank } from './types';
import type { NamedTensor } from './safetensors';

export const FLOAT32_MIN = -3.4028234663852886e38; // torch.finfo(torch.float32).min

export function createForwardContext(training: boolean, seed: number): ForwardContext {
  let counter = 0;
  return { training, nextSeed: () => seed * 7919 + ++counter };
}

/** What every family's forward pass starts with: sizes, dropout context, the LoRA-aware linear, hidden-state recording. */
export function beginForward(config: { hiddenSize: number; numAttentionHeads: number; maxTokens: number }, inputs: ModelInputs, options: ForwardOptions) {
  const [B, T] = inputs.inputIds.shape;
  const C = config.hiddenSize;
  const H = config.numAttentionHeads;
  const D = C / H;
  if (T > config.maxTokens) throw new Error(`assertion failed: ${T} tokens exceed the model's limit of ${config.maxTokens}`);
  const ctx = createForwardContext(options.training ?? false, options.seed ?? 0);
  const adapter = options.adapter ?? null;
  const keepHidden = options.keepHiddenStates ?? true;
  const hiddenStates: tf.Tensor3D[] = [];
  return {
    B,
    T,
    C,
    H,
    D,
    ctx,
    hiddenStates,
    linear: (x: tf.Tensor2D, l: Linear) => applyLinear(x, l, adapter, ctx),
    record: (x: tf.Tensor2D) => {
      if (keepHidden) hiddenStates.push(tf.reshape(x, [B, T, C])); // [B*T, C] -> [B, T, C]
    },
  };
}

export const dropout = <T extends tf.Tensor>(ctx: ForwardContext, x: T, rate: number): T =>
  ctx.training && rate > 0 ? (tf.dropout(x, rate, undefined, ctx.nextSeed()) as T) : x;

/** y = x @ w + b (+ the adapter's LoRA delta); a head module is replaced by the adapter's copy. */
export function applyLinear(x: tf.Tensor2D, l: Linear, adapter: AdapterHooks | null | undefined, ctx: ForwardContext): tf.Tensor2D {
  const copy = adapter?.headLinear(l.path) ?? null;
  if (copy) return withBias(matMul2d(x, copy.w), copy.b); // [N, in] @ [in, out] -> [N, out]
  // A trainable base weight (full fine-tuning) needs its own gradient: frozenLinear's custom gradient is for x only.
  if (isTrainable(l.w)) return addDelta(withBias(matMul2d(x, l.w), l.b), l, x, adapter, ctx); // [N, in] @ [in, out] -> [N, out]
  // WebGPU: x·W + b + s·(x·A)·B as one kernel (kernels/webgpu); its gradient is for x and the LoRA factors only.
  const parts = webGpuKernelsActive() ? (adapter?.loraFactors?.(l.path, x, ctx) ?? null) : null;
  if (parts) return fusedLoraLinear(x, l.w, l.b, parts.down, parts.up, parts.scale, l.wHf); // [N, out]
  // Without the [out, in] copy only wasm needs the custom gradient (its transposed matMul is the slow kernel).
  const custom = l.wHf || l.transient || tf.getBackend() === 'wasm';
  const y = custom ? frozenLinear(x, l) : withBias(tf.matMul(x, l.w), l.b); // [N, in] @ [in, out] -> [N, out]
  return addDelta(y, l, x, adapter, ctx);
}

const isTrainable = (t: tf.Tensor): boolean => t instanceof tf.Variable && t.trainable;

/**
 * tf.gather(table, ids) for an embedding table [V, C]. A frozen table is read off the tape: a recorded gather saves
 * (clones) its input for the backward, and the wasm clone copies it: Qwen2.5's 544 MB table once more every step.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor2D {
  if (isTrainable(table)) return tf.gather(table, ids); // lora-embeddings / full: the table's gradient is wanted
  const f = tf.customGrad((...args) => {
    const i = args[0] as tf.Tensor;
    return { value: tf.gather(table, i) as tf.Tensor2D, gradFunc: () => [tf.zeros(i.shape)] }; // ids have no gradient
  });
  return f(ids) as tf.Tensor2D;
}

function addDelta(y: tf.Tensor2D, l: Linear, x: tf.Tensor2D, adapter: AdapterHooks | null | undefined, ctx: ForwardContext): tf.Tensor2D {
  const delta = adapter?.linearDelta(l.path, x, ctx) ?? null; // [N, out]
  return delta ? tf.add(y, delta) : y;
}

const withBias = (y: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D => (b ? tf.add(y, b) : y);

/**
 * x @ w + b with a gradient for x only (w, b are frozen): dy @ wHf when the [out, in] copy is kept, else dy @ wᵀ
 * shaped for the backend's fast kernel; `transient`: w packed from a throwaway copy. No weight gradient is computed.
 */
function frozenLinear(x: tf.Tensor2D, l: Linear): tf.Tensor2D {
  const { w, b, wHf, transient } = l;
  const f = tf.customGrad<tf.Tensor2D>((...args) => ({
    value: withBias(transient ? matMulTransient(args[0] as tf.Tensor2D, w) : tf.matMul(args[0] as tf.Tensor2D, w), b), // [N, in] @ [in, out] -> [N, out]
    gradFunc: (dy) => [wHf ? tf.matMul(dy, wHf) : transient ? matMulTransposedBTransient(dy, w) : matMulTransposedB(dy, w)], // [N, out] @ [out, in] -> [N, in]
  }));
  return f(x);
}

/**
 * x @ e^T for a frozen [V, C] matrix (LM head, tied or not), gradient for x only: dx = dy @ e (e is the packed
 * operand there: `transient` sums it over transient row chunks instead, kernels/transientPacking.ts).
 */
export function frozenMatMulTransposed(x: tf.Tensor2D, e: tf.Tensor2D, transient = false): tf.Tensor2D {
  const f = tf.customGrad<tf.Tensor2D>((...args) => ({
    value: matMulTransposedB(args[0] as tf.Tensor2D, e), // [N, C] @ [C, V] -> [N, V]
    gradFunc: (dy) => [transient ? matMulRowChunks(dy, e) : tf.matMul(dy, e)], // [N, V] @ [V, C] -> [N, C]
  }));
  return f(x);
}

export type LayerNormWeights = { gamma: tf.Tensor1D; beta: tf.Tensor1D }; // [C], [C]

/** torch LayerNorm over the last axis (biased variance). */
export function layerNorm(x: tf.Tensor2D, ln: LayerNormWeights, eps: number): tf.Tensor2D {
  if (wasmFusedActive() && x.dtype === 'float32') return fusedLayerNorm(x, ln.gamma, ln.beta, eps); // one-pass backward (kernels/wasmFused)
  const { mean, variance } = tf.moments(x, -1, true); // [N, 1] each
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normed, ln.gamma), ln.beta) as tf.Tensor2D; // [N, C]
}

/** Llama RMSNorm: weight * x / sqrt(mean(x^2) + eps). */
export function rmsNorm(x: tf.Tensor2D, weight: tf.Tensor1D, eps: number): tf.Tensor2D {
  const variance = tf.mean(tf.square(x), -1, true); // [N, 1]
  return tf.mul(weight, tf.mul(x, tf.rsqrt(tf.add(variance, eps)))) as tf.Tensor2D; // [N, C]
}

/** Exact erf GELU (BERT 'gelu'). */
export const geluErf = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));

/** GPT-2 'gelu_new': 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export const geluTanh = (x: tf.Tensor2D): tf.Tensor2D =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));

export const silu = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(x, tf.sigmoid(x));

/**
 * softmax(q·kᵀ·scale + mask)·v as one WGSL kernel on webgpu, q [B, H, Tq, D], k/v [B, H, Tk, D], additive mask
 * [B or 1, 1, Tq or 1, Tk]; null where it does not apply (other backends, attention dropout while training).
 */
export function tryFusedAttention(
  ctx: ForwardContext,
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  mask: tf.Tensor4D | null,
  scale: number,
  dropoutRate: number,
): tf.Tensor4D | null {
  if (!webGpuKernelsActive() || (ctx.training && dropoutRate > 0) || !fusedAttentionFits(q, k, mask)) return null;
  return fusedAttention(q, k, v, mask, scale); // [B, H, Tq, D]
}

/** [B*T, H*D] -> [B, H, T, D]. */
export const toHeads = (x: tf.Tensor2D, B: number, T: number, H: number, D: number): tf.Tensor4D => tf.transpose(tf.reshape(x, [B, T, H, D]), [0, 2, 1, 3]);

/** [B, H, T, D] -> [B*T, H*D]. */
export const fromHeads = (x: tf.Tensor4D, B: number, T: number, H: number, D: number): tf.Tensor2D => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B * T, H * D]);

/** Additive padding mask [B, 1, 1, T]: 0 for real keys, float32 min for padded keys (encoders). */
export function paddingMask(attentionMask: tf.Tensor2D): tf.Tensor4D {
  const [B, T] = attentionMask.shape;
  const keyMask = tf.mul(tf.sub(1, tf.cast(attentionMask, 'float32')), FLOAT32_MIN); // [B, T]
  return tf.reshape(keyMask, [B, 1, 1, T]);
}

/**
 * Additive causal + padding mask [B, 1, T, T]: 0 where key <= query and the key is real, float32 min elsewhere
 * (HF's eager decoder masks; identical at every real query position of a right-padded batch).
 */
export function causalMask(attentionMask: tf.Tensor2D): tf.Tensor4D {
  const [B, T] = attentionMask.shape;
  const causal = tf.linalg.bandPart(tf.ones([T, T]), -1, 0); // [T, T], 1 on and below the diagonal
  const keys = tf.reshape(tf.cast(attentionMask, 'float32'), [B, 1, 1, T]); // [B, 1, 1, T]
  const allowed = tf.mul(tf.reshape(causal, [1, 1, T, T]), keys); // [B, 1, T, T]
  return tf.mul(tf.sub(1, allowed), FLOAT32_MIN) as tf.Tensor4D;
}

/**
 * Row index of the token a decoder classifier pools, as transformers 4.40: (first index of pad_token_id) - 1,
 * modulo T (a row without padding uses its last token). Without a pad_token_id: the last real token (mask).
 */
export function lastTokenIndex(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, padTokenId: number | null): tf.Tensor1D {
  const [, T] = inputIds.shape;
  if (padTokenId === null) return tf.cast(tf.sub(tf.sum(tf.cast(attentionMask, 'int32'), 1), 1), 'int32') as tf.Tensor1D; // [B]
  const firstPad = tf.argMax(tf.cast(tf.equal(inputIds, padTokenId), 'int32'), 1); // [B], 0 when there is none
  return tf.cast(tf.mod(tf.add(tf.sub(firstPad, 1), T), T), 'int32') as tf.Tensor1D; // [B]
}

/** Picks row idx[b] of each sequence: [B*T, C] with idx [B] -> [B, C]. */
export function gatherRows(x: tf.Tensor2D, idx: tf.Tensor1D, T: number): tf.Tensor2D {
  const B = idx.shape[0];
  const flat = tf.cast(tf.add(tf.mul(tf.range(0, B, 1, 'int32'), T), idx), 'int32'); // [B], b*T + idx[b]
  return tf.gather(x, flat); // [B, C]
}

// ---------------------------------------------------------------------------------------------
// Weight loading

/** Row-major [rows, cols] -> [cols, rows]. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

export type WeightReader = ReturnType<typeof createWeightReader>;

// The bank (types.ts WeightBank): after the first build the JS copy of a banked tensor is released (its `data`
// emptied) and later builds read the device tensor instead.
const banked = new WeakSet<tf.Tensor>();
/** A bank's tensor (shared by every model of the session): whoever turns it into a variable must not dispose it. */
export const isBankedWeight = (t: tf.Tensor): boolean => banked.has(t);
const RELEASED = new Float32Array(0);

/**
 * Reads HF tensors with shape checks, collecting every problem. `filePrefix` is the prefix found in the
 * checkpoint ('bert.' or '' for a bare base model); `modelPrefix` the one of the full HF class (used in paths).
 * With `bank`, checkpoint tensors come from (and go into) the bank, and their JS data is released.
 */
export function createWeightReader(
  tensors: Map<string, NamedTensor>,
  prefixes: { file: string; model: string },
  options: { keepBackwardWeights?: boolean; bank?: WeightBank; transientPacking?: boolean } = {},
) {
  const created: tf.Tensor[] = [];
  const problems: string[] = [];
  const bank = options.bank;
  const track = <T extends tf.Tensor>(t: T): T => {
    created.push(t);
    return t;
  };
  const lookupName = (name: string) =>
    tensors.has(name) ? name : name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta');
  const lookup = (name: string) => tensors.get(lookupName(name));
  const read = (name: string, shape: number[]): NamedTensor | null => {
    const t = lookup(name);
    if (!t) {
      problems.push(`missing "${name}"`);
      return null;
    }
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.push(`"${name}" has shape [${t.shape}], expected [${shape}]`);
      return null;
    }
    return t;
  };
  /**
   * The device tensor for checkpoint tensor `name` in the layout `make` builds from its data: the bank's when it
   * holds one, else made now (banked and its JS data released when there is a bank, else owned by this model).
   */
  const fromCheckpoint = <T extends tf.Tensor>(name: string, key: string, t: NamedTensor, make: (data: Float32Array) => T): T => {
    const had = bank?.get(key);
    if (had && !had.isDisposed) return had as T;
    if (t.data.length === 0 && t.shape.some((d) => d > 0)) {
      problems.push(`"${name}" was released from memory; load the model again`);
      return track(make(new Float32Array(t.shape.reduce((a, d) => a * d, 1))));
    }
    const made = make(t.data);
    if (!bank) return track(made);
    bank.set(key, made);
    banked.add(made);
    tensors.set(lookupName(name), { ...t, data: RELEASED });
    return made;
  };
  /** A tensor under the base-model prefix (or at top level with top = true); zeros when missing or wrong. */
  const plain = <R extends tf.Rank>(name: string, shape: number[], top = false): tf.Tensor<R> => {
    const full = top ? name : prefixes.file + name;
    const t = read(full, shape);
    if (!t) return track(tf.zeros(shape)) as unknown as tf.Tensor<R>;
    return fromCheckpoint(full, full, t, (data) => tf.tensor(data, shape, 'float32')) as unknown as tf.Tensor<R>;
  };
  /** nn.Linear (HF [out, in], transposed here) or Conv1D (HF [in, out]) at `path` under the base-model prefix. */
  const linear = (path: string, inF: number, outF: number, opts: { bias: boolean; conv1d?: boolean; top?: boolean }): Linear => {
    const name = (opts.top ? '' : prefixes.file) + path;
    const hfShape = opts.conv1d ? [inF, outF] : [outF, inF];
    const w = read(`${name}.weight`, hfShape);
    const wIn = w
      ? fromCheckpoint(`${name}.weight`, `${name}.weight:in,out`, w, (data) => tf.tensor2d(opts.conv1d ? data : transpose2d(data, outF, inF), [inF, outF]))
      : track(tf.zeros([inF, outF]) as tf.Tensor2D);
    const l: Linear = { path: (opts.top ? '' : prefixes.model) + path, w: wIn };
    if (opts.bias) l.b = plain(`${name}.bias`, [outF], true) as tf.Tensor1D;
    if (opts.conv1d) l.fanInFanOut = true;
    // The [out, in] copy is this model's own (made on the device from the banked [in, out] weight).
    // Transient packing keeps no copies: a [out, in] copy would be packed (persistently) in the backward.
    if (options.transientPacking) l.transient = true;
    else if (options.keepBackwardWeights && w) l.wHf = track(tf.transpose(wIn));
    return l;
  };
  /**
   * A classification head Linear at top level (`classifier`, `score`, ...): from the checkpoint when present
   * with the expected shapes, else a fresh seeded init like HF's _init_weights (N(0, std), zero bias).
   */
  const head = (path: string, inF: number, outF: number, opts: { bias: boolean; std: number; seed: number }): { linear: Linear; source: HeadSource } => {
    const w = tensors.get(`${path}.weight`);
    const b = tensors.get(`${path}.bias`);
    const fits = w && w.shape.join() === `${outF},${inF}` && (!opts.bias || (b && b.shape.join() === `${outF}`));
    if (fits) return { linear: linear(path, inF, outF, { bias: opts.bias, top: true }), source: 'checkpoint' };
    const rng = createRng(opts.seed);
    const data = new Float32Array(inF * outF);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * opts.std;
    const l: Linear = { path, w: track(tf.tensor2d(data, [inF, outF])) };
    if (opts.bias) l.b = track(tf.zeros([outF]) as tf.Tensor1D);
    return { linear: l, source: w ? 'fresh-mismatched' : 'fresh-missing' };
  };
  return { created, problems, has: (name: string) => lookup(name) !== undefined, read, plain, linear, head };
}

/** The checkpoint's prefix: `withPrefix` when `probe` exists under it, '' when it exists bare, else null. */
export function detectPrefix(tensors: Map<string, NamedTensor>, withPrefix: string, probe: string): string | null {
  if (tensors.has(withPrefix + probe)) return withPrefix;
  if (tensors.has(probe)) return '';
  return null;
}

export function weightsError(problems: string[]): string {
  const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
  return `weights: the checkpoint does not match config.json: ${shown}. Use the config.json that came with these weights.`;
}

export function notFamilyError(tensors: Map<string, NamedTensor>, probe: string, family: string): string {
  const some = [...tensors.keys()].slice(0, 5).join(', ');
  return (
    `weights: no "${probe}" in the checkpoint (found ${some || 'no tensors'}); ` +
    `this is not a ${family} checkpoint, pick a model whose config says model_type "${family.toLowerCase()}".`
  );
}
