// Before any download: parameter count and training memory of a model from its config (or its safetensors headers),
// held against the device limits (WebGPU maxBufferSize / maxStorageBufferBindingSize, a tab's memory budget).
// Pure arithmetic; no tfjs, no DOM. Every number is float32 bytes, because weights are converted to F32 on load.
import type { ModelConfig } from './config';

const F32 = 4;
/** LoRA A/B train with a gradient and two AdamW moments next to the value. */
const TRAINABLE_COPIES = 4;

export type LoraTargetsPreset = 'default' | 'attention' | 'all-linear';

export type EstimatePlan = { batchSize: number; maxTokens: number; loraR: number; loraTargets: LoraTargetsPreset; numLabels?: number };

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

export type MemoryEstimate = {
  parameterCount: number;
  /** Bytes to download (stored dtype) when headers were read, else the F32 size. */
  downloadBytes: number;
  fromHeaders: boolean;
  weightBytes: number;
  /** keepBackwardWeights: an [out, in] copy of every Linear for the backward pass. */
  backwardCopyBytes: number;
  loraParameterCount: number;
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

type Linear = { name: string; inF: number; outF: number; bias: boolean; group: 'q' | 'k' | 'v' | 'o' | 'qkv' | 'mlp' };
type Plain = { name: string; shape: number[] };

/** Every tensor a config implies, in HF names (one layer's names use layer 0 with a count). */
function configTensors(c: ModelConfig): { plain: Plain[]; layerLinears: Linear[]; layerPlain: Plain[] } {
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const V = c.vocabSize;
  switch (c.modelType) {
    case 'bert':
    case 'roberta':
      return {
        plain: [
          { name: 'embeddings.word_embeddings.weight', shape: [V, C] },
          { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, C] },
          { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, C] },
          { name: 'embeddings.LayerNorm', shape: [2 * C] },
          { name: 'pooler.dense', shape: [C * C + C] },
        ],
        layerLinears: [
          { name: 'attention.self.query', inF: C, outF: C, bias: true, group: 'q' },
          { name: 'attention.self.key', inF: C, outF: C, bias: true, group: 'k' },
          { name: 'attention.self.value', inF: C, outF: C, bias: true, group: 'v' },
          { name: 'attention.output.dense', inF: C, outF: C, bias: true, group: 'o' },
          { name: 'intermediate.dense', inF: C, outF: I, bias: true, group: 'mlp' },
          { name: 'output.dense', inF: I, outF: C, bias: true, group: 'mlp' },
        ],
        layerPlain: [{ name: 'LayerNorms', shape: [4 * C] }],
      };
    case 'distilbert':
      return {
        plain: [
          { name: 'embeddings.word_embeddings.weight', shape: [V, C] },
          { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, C] },
          { name: 'embeddings.LayerNorm', shape: [2 * C] },
        ],
        layerLinears: [
          { name: 'attention.q_lin', inF: C, outF: C, bias: true, group: 'q' },
          { name: 'attention.k_lin', inF: C, outF: C, bias: true, group: 'k' },
          { name: 'attention.v_lin', inF: C, outF: C, bias: true, group: 'v' },
          { name: 'attention.out_lin', inF: C, outF: C, bias: true, group: 'o' },
          { name: 'ffn.lin1', inF: C, outF: I, bias: true, group: 'mlp' },
          { name: 'ffn.lin2', inF: I, outF: C, bias: true, group: 'mlp' },
        ],
        layerPlain: [{ name: 'LayerNorms', shape: [4 * C] }],
      };
    case 'gpt2':
      return {
        plain: [
          { name: 'wte.weight', shape: [V, C] },
          { name: 'wpe.weight', shape: [c.maxPositionEmbeddings, C] },
          { name: 'ln_f', shape: [2 * C] },
        ],
        layerLinears: [
          { name: 'attn.c_attn', inF: C, outF: 3 * C, bias: true, group: 'qkv' },
          { name: 'attn.c_proj', inF: C, outF: C, bias: true, group: 'o' },
          { name: 'mlp.c_fc', inF: C, outF: I, bias: true, group: 'mlp' },
          { name: 'mlp.c_proj', inF: I, outF: C, bias: true, group: 'mlp' },
        ],
        layerPlain: [{ name: 'ln_1, ln_2', shape: [4 * C] }],
      };
    case 'llama':
    case 'qwen2': {
      const kv = (C / c.numAttentionHeads) * c.numKeyValueHeads;
      const plain: Plain[] = [
        { name: 'model.embed_tokens.weight', shape: [V, C] },
        { name: 'model.norm.weight', shape: [C] },
      ];
      if (!c.tieWordEmbeddings) plain.push({ name: 'lm_head.weight', shape: [V, C] });
      return {
        plain,
        layerLinears: [
          { name: 'self_attn.q_proj', inF: C, outF: C, bias: c.qkvBias, group: 'q' },
          { name: 'self_attn.k_proj', inF: C, outF: kv, bias: c.qkvBias, group: 'k' },
          { name: 'self_attn.v_proj', inF: C, outF: kv, bias: c.qkvBias, group: 'v' },
          { name: 'self_attn.o_proj', inF: C, outF: C, bias: c.oBias, group: 'o' },
          { name: 'mlp.gate_proj', inF: C, outF: I, bias: false, group: 'mlp' },
          { name: 'mlp.up_proj', inF: C, outF: I, bias: false, group: 'mlp' },
          { name: 'mlp.down_proj', inF: I, outF: C, bias: false, group: 'mlp' },
        ],
        layerPlain: [{ name: 'input_layernorm, post_attention_layernorm', shape: [2 * C] }],
      };
    }
  }
}

const count = (shape: number[]) => shape.reduce((a, d) => a * d, 1);

/** PEFT's default targets per family, and the wider presets (all attention projections, all linears). */
function isLoraTarget(l: Linear, preset: LoraTargetsPreset): boolean {
  if (preset === 'all-linear') return true;
  if (preset === 'attention') return l.group !== 'mlp';
  return l.group === 'q' || l.group === 'v' || l.group === 'qkv';
}

/** Parameter count implied by the config alone (biases and norms included, tied heads counted once). */
export function configParameterCount(c: ModelConfig): number {
  const t = configTensors(c);
  const perLayer = t.layerLinears.reduce((a, l) => a + l.inF * l.outF + (l.bias ? l.outF : 0), 0) + t.layerPlain.reduce((a, p) => a + count(p.shape), 0);
  return t.plain.reduce((a, p) => a + count(p.shape), 0) + c.numHiddenLayers * perLayer;
}

const fmt = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
export const formatBytes = fmt;

/** Estimate training memory for `plan` and judge it against `limits`; `headers` (from the safetensors files) refine the weights. */
export function estimateMemory(c: ModelConfig, plan: EstimatePlan, limits: DeviceLimits, headers?: TensorInfo[] | null): MemoryEstimate {
  const t = configTensors(c);
  const L = c.numHiddenLayers;
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const B = plan.batchSize;
  const T = Math.min(plan.maxTokens, c.maxTokens);
  const H = c.numAttentionHeads;
  const labels = plan.numLabels ?? c.numLabels;

  // Weights: from the headers when given (exact), else from the config.
  let parameterCount: number;
  let downloadBytes: number;
  let largest: { name: string; shape: number[] };
  const fromHeaders = !!headers && headers.length > 0;
  if (fromHeaders) {
    parameterCount = headers!.reduce((a, h) => a + count(h.shape), 0);
    downloadBytes = headers!.reduce((a, h) => a + count(h.shape) * h.dtypeBytes, 0);
    largest = headers!.reduce((m, h) => (count(h.shape) > count(m.shape) ? h : m));
  } else {
    parameterCount = configParameterCount(c);
    downloadBytes = parameterCount * F32;
    const candidates: Plain[] = [...t.plain, ...t.layerLinears.map((l) => ({ name: `layers.0.${l.name}.weight`, shape: [l.outF, l.inF] }))];
    largest = candidates.reduce((m, p) => (count(p.shape) > count(m.shape) ? p : m));
  }
  const weightBytes = parameterCount * F32;
  const linearWeights = t.layerLinears.reduce((a, l) => a + l.inF * l.outF, 0) * L;
  const backwardCopyBytes = linearWeights * F32;

  // Trainable: LoRA A [r, in] and B [out, r] on the targets, plus the classification head [labels, C] (+ bias).
  const loraPerLayer = t.layerLinears.filter((l) => isLoraTarget(l, plan.loraTargets)).reduce((a, l) => a + plan.loraR * (l.inF + l.outF), 0);
  const loraParameterCount = loraPerLayer * L;
  const headParams = labels * C + labels + (c.modelType === 'bert' || c.modelType === 'roberta' || c.modelType === 'distilbert' ? C * C + C : 0);
  const trainableBytes = (loraParameterCount + headParams) * F32 * TRAINABLE_COPIES;

  // Activations kept for backward per layer: ~12 [B,T,C] tensors (norms, q/k/v, context, residuals, LoRA inputs),
  // ~3 [B,T,I] (MLP input/activation/product) and 2.5 [B,H,T,T] (scores, probabilities, mask) as in Korthikanti
  // et al. 2022; plus two layers' worth of gradients in flight during the backward pass.
  const N = B * T;
  const perLayer = N * (12 * C + 3 * I) + 2.5 * B * H * T * T;
  const activationBytes = ((L + 2) * perLayer + 2 * N * C) * F32;
  const totalBytes = weightBytes + backwardCopyBytes + trainableBytes + activationBytes;

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
  if (totalBytes > limits.memoryBudget) {
    worse('wont-fit');
    reasons.push(`training needs about ${fmt(totalBytes)} (weights ${fmt(weightBytes)}, backward copies ${fmt(backwardCopyBytes)}, activations ${fmt(activationBytes)}) > the ${fmt(limits.memoryBudget)} budget of the ${limits.source}; lower the batch size or max tokens, or pick a smaller model.`);
  } else if (totalBytes > TIGHT_SHARE * limits.memoryBudget) {
    worse('tight');
    reasons.push(`training needs about ${fmt(totalBytes)}, close to the ${fmt(limits.memoryBudget)} budget of the ${limits.source}; a smaller batch or fewer tokens leaves room.`);
  }
  return {
    parameterCount,
    downloadBytes,
    fromHeaders,
    weightBytes,
    backwardCopyBytes,
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
