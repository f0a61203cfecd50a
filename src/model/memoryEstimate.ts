// Before any download: parameter count and training memory of a model from its config (or its safetensors headers),
// held against the device limits (WebGPU maxBufferSize / maxStorageBufferBindingSize, a tab's memory budget).
// Pure arithmetic; no tfjs, no DOM. Every number is float32 bytes, because weights are converted to F32 on load.
import type { ModelConfig } from './config';
import { family } from './families';
import { elementCount as count, loadedElementCount, matchesTarget } from './families/tables';
import type { TaskType } from './types';
import { TRANSIENT_CHUNK_BYTES } from './kernels/transientChunk';

const F32 = 4;
/** LoRA A/B train with a gradient and two AdamW moments next to the value. */
const TRAINABLE_COPIES = 4;
/** Measured activation multipliers (see estimateMemory). */
const ACT_PER_LAYER = 8;
const ACT_EXTRA = 6.5;

export type LoraTargetsPreset = 'default' | 'attention' | 'all-linear';

export type EstimatePlan = {
  batchSize: number;
  maxTokens: number;
  loraR: number;
  loraTargets: LoraTargetsPreset;
  numLabels?: number;
  /** SEQ_CLS (default) or CAUSAL_LM (adds the [tokens, vocab] logits and their gradients). */
  task?: TaskType;
  /** Whether frozen Linears keep an [out, in] copy for the backward pass (default true: the WASM path). */
  backwardCopies?: boolean;
  /** The largest weight file in bytes (the download transients scale with it); default: the whole download. */
  largestFileBytes?: number;
  /**
   * tfjs-backend-wasm's matmul (XNNPACK fully-connected) keeps a packed copy of its second operand for as long as
   * that tensor lives: every frozen Linear weight (forward), each backward copy, and a causal LM's head in the
   * backward. Default: on when the limits are the WebAssembly heap's (no WebGPU buffer limits).
   */
  packedWeights?: boolean;
  /**
   * Frozen weights packed per matmul from a transient copy, none kept (LoadModelOptions.transientPacking). Default:
   * where packed copies are counted, on exactly when transientPackingNeeded (the studio's choice for the model).
   */
  transientPacking?: boolean;
  /** The old load path that kept the JS weight map for the session (scripts/benchMemory.ts BENCH_BEFORE only). */
  keepsJsWeights?: boolean;
};

/** One stored tensor from a safetensors header (name, shape, stored dtype bytes). */
export type TensorInfo = { name: string; shape: number[]; dtypeBytes: number };

export type DeviceLimits = {
  /** Largest single GPU buffer (WebGPU maxBufferSize), null when no WebGPU buffers are used (wasm/cpu). */
  maxBufferSize: number | null;
  /** Largest buffer one shader may bind (WebGPU maxStorageBufferBindingSize), null off WebGPU. */
  maxStorageBufferBindingSize: number | null;
  /** What all tensors together may take: a browser tab / the 4 GB WebAssembly heap. */
  memoryBudget: number;
  /** Where the limits came from, for the message ("WebGPU adapter", "wasm backend", "?maxBufferMB override"). */
  source: string;
};

export type FitVerdict = 'fits' | 'tight' | 'wont-fit';
export type PackingMode = 'persistent' | 'transient' | 'none';

export type MemoryEstimate = {
  parameterCount: number;
  /** Bytes to download (stored dtype) when headers were read, else the F32 size. */
  downloadBytes: number;
  fromHeaders: boolean;
  weightBytes: number;
  /** keepBackwardWeights: an [out, in] copy of every Linear for the backward pass. */
  backwardCopyBytes: number;
  /** WASM: XNNPACK's packed copies of the weights a matmul multiplies by (see EstimatePlan.packedWeights). */
  packedBytes: number;
  /** How frozen weights are packed: kept for the session, transient (per matmul, freed at once), or not at all. */
  packing: PackingMode;
  /** Transient packing: the largest copy + packed copy alive at once (a Linear's weight or an LM-head chunk). */
  transientBytes: number;
  loraParameterCount: number;
  /**
   * JS bytes of the checkpoint kept after loading: the tensors no task reads (an MLM head, say); the rest lives
   * only on the device (model/weightBank.ts).
   */
  jsWeightBytes: number;
  /** CAUSAL_LM: logits [tokens, vocab], their log-softmax and gradients. */
  lossBytes: number;
  /**
   * Peak while loading: the parsed checkpoint in JS (F32 files are views of the one download buffer; other dtypes
   * are decoded, next to the raw file being parsed) while the device copy is made.
   */
  loadPeakBytes: number;
  /** The whole worker's peak, loading or training: max(loadPeakBytes, totalBytes). */
  peakBytes: number;
  task: TaskType;
  /** LoRA + head values, gradients and AdamW moments. */
  trainableBytes: number;
  /** Saved activations for one batch, plus the gradients in flight. */
  activationBytes: number;
  totalBytes: number;
  largestTensor: { name: string; shape: number[]; bytes: number };
  limits: DeviceLimits;
  verdict: FitVerdict;
  /** Why the verdict is not 'fits' (empty when it fits). */
  reasons: string[];
};

/** wasm/cpu: the 4 GB WebAssembly heap ceiling. WebGPU has no API for GPU memory: the worker uses navigator.deviceMemory (capped at 8 by Chrome). */
export const DEFAULT_MEMORY_BUDGET = 4 * 1024 ** 3;
export const WEBGPU_MEMORY_BUDGET = 8 * 1024 ** 3;
/** Above this share of a limit the verdict is 'tight'. */
const TIGHT_SHARE = 0.75;
/**
 * On the WebAssembly heap, above this share the verdict is 'wont-fit': the estimate is within ~10 % of the measured
 * peak (scripts/benchMemory.ts) and an allocation that fails inside XNNPACK is not caught: Qwen2.5-0.5B at 1 x 8
 * (estimated 96 % of the heap) died with "memory access out of bounds".
 */
const WASM_SAFE_SHARE = 0.9;

/** The base tensors of a config (buffers never appear: the table lists parameters only). */
const tableOf = (c: ModelConfig) => family(c.modelType).tensorTable(c);

/** Parameter count implied by the config alone (biases and norms included, tied heads counted once). */
export function configParameterCount(c: ModelConfig): number {
  return tableOf(c).reduce((a, t) => a + count(t.shape), 0);
}

const fmt = (bytes: number) =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
export const formatBytes = fmt;

/**
 * Bytes the causal-LM loss holds for one batch of N tokens over V classes: the logits [N, V] (kept for backward),
 * the log-softmax / softmax and the gradient of the logits: about LM_LOSS_COPIES [N, V] float32 tensors at the peak.
 */
export const LM_LOSS_COPIES = 3;

/**
 * Whether frozen Linears keep their [out, in] copy for `plan`: only where the estimate with the copies still fits
 * with room to spare (never when it would not fit; the copies cost one more weight matrix per Linear).
 */
export function backwardCopiesFit(c: ModelConfig, plan: EstimatePlan, limits: DeviceLimits, headers?: TensorInfo[] | null): boolean {
  const e = estimateMemory(c, { ...plan, backwardCopies: true }, limits, headers);
  return e.packing !== 'transient' && e.verdict === 'fits';
}

/**
 * Whether the model trains with transient packing on the WebAssembly heap: when even its smallest run (1 row of 64
 * tokens, the causal LM where the family has one) would not fit with packed copies kept. Decided per model, not per
 * run: the session's weights are shared, and a packed copy made once lives as long as the weight.
 */
export function transientPackingNeeded(c: ModelConfig, limits: DeviceLimits): boolean {
  if (limits.maxBufferSize !== null) return false;
  const task: TaskType = family(c.modelType).tasks.includes('CAUSAL_LM') ? 'CAUSAL_LM' : 'SEQ_CLS';
  const smallest: EstimatePlan = { batchSize: 1, maxTokens: 64, loraR: 8, loraTargets: 'default', task, backwardCopies: false, transientPacking: false };
  return estimateMemory(c, smallest, limits).verdict === 'wont-fit';
}

/** Estimate training memory for `plan` and judge it against `limits`; `headers` (from the safetensors files) refine the weights. */
export function estimateMemory(c: ModelConfig, plan: EstimatePlan, limits: DeviceLimits, headers?: TensorInfo[] | null): MemoryEstimate {
  const fam = family(c.modelType);
  const task = plan.task ?? 'SEQ_CLS';
  const table = fam.tensorTable(c);
  const L = c.numHiddenLayers;
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const B = plan.batchSize;
  const T = Math.min(plan.maxTokens, c.maxTokens);
  const H = c.numAttentionHeads;
  const labels = plan.numLabels ?? c.numLabels;

  // Weights: from the headers when given (exact; buffers such as GPT-2's attn.bias skipped), else from the config.
  const params = headers?.filter((h) => !fam.isBuffer(h.name)) ?? [];
  const fromHeaders = params.length > 0;
  const parameterCount = fromHeaders ? params.reduce((a, h) => a + count(h.shape), 0) : configParameterCount(c);
  const downloadBytes = fromHeaders ? headers!.reduce((a, h) => a + count(h.shape) * h.dtypeBytes, 0) : parameterCount * F32;
  const candidates: { name: string; shape: number[] }[] = fromHeaders ? params : table;
  const largest = candidates.reduce((m, p) => (count(p.shape) > count(m.shape) ? p : m));

  const head = fam.headTable(c, task, labels);
  const headParams = head.reduce((a, t) => a + count(t.shape), 0);
  /** Device tensors of the built model: the base weights plus a fresh head. */
  const notLoaded = configParameterCount(c) - loadedElementCount(table, task); // e.g. an untied lm_head of a classifier
  const weightBytes = (parameterCount - notLoaded + headParams) * F32;
  /** What stays in JS after loading: tensors the checkpoint holds beyond the model's table (none from config alone). */
  const jsWeightBytes = plan.keepsJsWeights ? parameterCount * F32 : Math.max(0, parameterCount - configParameterCount(c)) * F32;
  const linears = table.filter((t) => t.linear);
  const linearBytes = linears.reduce((a, t) => a + count(t.shape), 0) * F32;
  const packs = plan.packedWeights ?? limits.maxBufferSize === null;
  const transient = packs && (plan.transientPacking ?? transientPackingNeeded(c, limits));
  const packing: PackingMode = transient ? 'transient' : packs ? 'persistent' : 'none';
  const backwardCopyBytes = plan.backwardCopies === false || transient ? 0 : linearBytes;
  // Measured (scripts/benchMemory.ts): Qwen2.5-0.5B failed with "XNN status 6" (out of memory) creating these.
  const packedBytes = packing === 'persistent' ? linearBytes + backwardCopyBytes + (task === 'CAUSAL_LM' ? c.vocabSize * C * F32 : 0) : 0;
  const largestLinear = Math.max(0, ...linears.map((t) => count(t.shape))) * F32;
  const headChunk = task === 'CAUSAL_LM' ? Math.min(c.vocabSize * C * F32, TRANSIENT_CHUNK_BYTES) : 0;
  const transientBytes = transient ? 2 * Math.max(largestLinear, headChunk) : 0; // the copy and its packed copy

  // Trainable: LoRA A [r, in] and B [out, r] on the targets, plus the head (PEFT modules_to_save).
  const targets = fam.loraTargets[plan.loraTargets];
  const loraParameterCount = linears
    .filter((t) => matchesTarget(t.linear!.module, targets))
    .reduce((a, t) => a + plan.loraR * (t.linear!.inF + t.linear!.outF), 0);
  const trainableBytes = (loraParameterCount + headParams) * F32 * TRAINABLE_COPIES;

  // Activations per layer in Korthikanti et al. 2022's units: ~12 [B,T,C] tensors (norms, q/k/v, context,
  // residuals, LoRA inputs), ~3 [B,T,I] (MLP) and 2.5 [B,H,T,T] (scores, probabilities, mask). tfjs holds far more:
  // every intermediate of the forward lives until its tidy ends (about 30 [B,T,C] + 6 [B,T,I] per BERT layer,
  // counted), the backward's gradients come on top, and the WASM heap fragments. Measured peak heap on WASM
  // (scripts/benchMemory.ts, beyond weights, packed weights and copies): BERT-base 8 x 32 about 8.5 units per layer,
  // SmolLM2-135M 2 x 64 about 7.4: ACT_PER_LAYER and ACT_EXTRA units of perLayer.
  const N = B * T;
  const perLayer = N * (12 * C + 3 * I) + 2.5 * B * H * T * T;
  const activationBytes = (ACT_PER_LAYER * L + ACT_EXTRA) * perLayer * F32;
  const lossBytes = task === 'CAUSAL_LM' ? LM_LOSS_COPIES * N * c.vocabSize * F32 : 0;
  const totalBytes = weightBytes + jsWeightBytes + backwardCopyBytes + packedBytes + transientBytes + trainableBytes + activationBytes + lossBytes;
  // While loading: every file parsed into F32 in JS (views of the download for F32; decoded otherwise, next to the
  // raw bytes of the file being parsed), while the bank is filled on the device. The cache is written from the
  // download's own chunks (no second copy).
  const storedF32 = downloadBytes === parameterCount * F32;
  const loadJsBytes = parameterCount * F32 + (storedF32 ? 0 : (plan.largestFileBytes ?? downloadBytes));
  const loadPeakBytes = loadJsBytes + weightBytes;
  const peakBytes = Math.max(loadPeakBytes, totalBytes);

  const largestBytes = count(largest.shape) * F32;
  const reasons: string[] = [];
  let verdict: FitVerdict = 'fits';
  const worse = (v: FitVerdict) => {
    if (v === 'wont-fit' || (v === 'tight' && verdict === 'fits')) verdict = v;
  };
  const what = `the largest matrix (${largest.name}, ${largest.shape.join('×')} in F32) is ${fmt(largestBytes)}`;
  for (const [limit, label] of [
    [limits.maxStorageBufferBindingSize, 'maxStorageBufferBindingSize'],
    [limits.maxBufferSize, 'maxBufferSize'],
  ] as const) {
    if (limit === null) continue;
    if (largestBytes > limit) {
      worse('wont-fit');
      reasons.push(`${what} > ${label} ${fmt(limit)} of the ${limits.source}; pick a smaller model or the WebAssembly backend.`);
    } else if (largestBytes > TIGHT_SHARE * limit) {
      worse('tight');
      reasons.push(`${what}, close to ${label} ${fmt(limit)} of the ${limits.source}.`);
    }
  }
  const parts = `weights ${fmt(weightBytes)} on the device${jsWeightBytes ? ` + ${fmt(jsWeightBytes)} in JS` : ''}${transient ? '' : `, backward copies ${fmt(backwardCopyBytes)}`}${packedBytes ? `, packed matmul weights ${fmt(packedBytes)}` : ''}${transient ? `, transient packing (none kept; ${fmt(transientBytes)} at once)` : ''}, activations ${fmt(activationBytes)}${lossBytes ? `, LM logits and their gradients ${fmt(lossBytes)}` : ''}`;
  // The JS side of loading lives outside the device's budget (the 4 GB WebAssembly heap) but a tab can hold no more.
  if (loadJsBytes > limits.memoryBudget) {
    worse('wont-fit');
    reasons.push(
      `loading needs about ${fmt(loadJsBytes)} in JS (the parsed checkpoint before it moves to the device) > the ${fmt(limits.memoryBudget)} budget of the ${limits.source}; pick a smaller model.`,
    );
  }
  const wasmHeap = limits.maxBufferSize === null;
  if (totalBytes > limits.memoryBudget || (wasmHeap && totalBytes > WASM_SAFE_SHARE * limits.memoryBudget)) {
    worse('wont-fit');
    reasons.push(
      `training needs about ${fmt(totalBytes)} (${parts}) > ${totalBytes > limits.memoryBudget ? 'the' : `${WASM_SAFE_SHARE * 100} % of the`} ${fmt(limits.memoryBudget)} budget of the ${limits.source}; lower the batch size or max tokens, or pick a smaller model.`,
    );
  } else if (totalBytes > TIGHT_SHARE * limits.memoryBudget) {
    worse('tight');
    reasons.push(
      `training needs about ${fmt(totalBytes)} (${parts}), close to the ${fmt(limits.memoryBudget)} budget of the ${limits.source}; a smaller batch or fewer tokens leaves room.`,
    );
  }
  return {
    parameterCount,
    downloadBytes,
    fromHeaders,
    weightBytes,
    backwardCopyBytes,
    packedBytes,
    packing,
    transientBytes,
    jsWeightBytes,
    lossBytes,
    loadPeakBytes,
    peakBytes,
    task,
    loraParameterCount,
    trainableBytes,
    activationBytes,
    totalBytes,
    largestTensor: { name: largest.name, shape: largest.shape, bytes: largestBytes },
    limits,
    verdict,
    reasons,
  };
}
