// Model sanity at load time, before any training: an absurd config, weights whose shapes disagree with the
// config (embeddings, layer count, norms), and NaN/infinite values are found here with the tensor named,
// instead of surfacing as a crash or a "learning rate too high" diagnosis later. Pure; no tfjs.
import type { ModelConfig } from './config';
import type { NamedTensor } from './safetensors';

/** Bounds no real checkpoint comes near; a config outside them is damaged or hostile. */
const LIMITS = {
  vocabSize: 4_000_000,
  hiddenSize: 65_536,
  numHiddenLayers: 512,
  numAttentionHeads: 1024,
  intermediateSize: 1_048_576,
  maxPositionEmbeddings: 4_194_304,
};

const EMBEDDING = /(^|\.)(word_embeddings|wte|embed_tokens)\.weight$/;
const LAYER_INDEX = /(?:^|\.)(?:layer|layers|h)\.(\d+)\./;
const NORM = /(LayerNorm|layernorm|layer_norm|ln_\d|ln_f|norm)\.weight$/;

/** Why the config is unusable, or null. */
export function configProblem(c: ModelConfig): string | null {
  for (const [field, max] of Object.entries(LIMITS) as [keyof typeof LIMITS, number][]) {
    const v = c[field];
    if (!Number.isInteger(v) || v < 1 || v > max) return `config.json: ${field} is ${String(v)}, outside 1..${max}; the config is damaged.`;
  }
  if (c.hiddenSize % c.numAttentionHeads !== 0) {
    return `config.json: hidden size ${c.hiddenSize} is not a multiple of the ${c.numAttentionHeads} attention heads; the config is damaged.`;
  }
  return null;
}

/** Why the weights do not fit the config (the first mismatch, tensor named), or null. */
export function shapeProblem(tensors: ReadonlyMap<string, NamedTensor>, c: ModelConfig): string | null {
  let maxLayer = -1;
  for (const [name, t] of tensors) {
    if (EMBEDDING.test(name) && (t.shape.length !== 2 || t.shape[0] !== c.vocabSize || t.shape[1] !== c.hiddenSize)) {
      return `weights: ${name} has shape [${t.shape.join(', ')}] but config.json says [${c.vocabSize}, ${c.hiddenSize}] (vocab size, hidden size). The config and the weights belong to different models.`;
    }
    if (NORM.test(name) && t.shape.length === 1 && t.shape[0] !== c.hiddenSize) {
      return `weights: ${name} has ${t.shape[0]} values but config.json's hidden size is ${c.hiddenSize}. The config and the weights belong to different models.`;
    }
    const layer = LAYER_INDEX.exec(name);
    if (layer) maxLayer = Math.max(maxLayer, Number(layer[1]));
  }
  if (maxLayer >= 0 && maxLayer + 1 !== c.numHiddenLayers) {
    return `weights: the checkpoint has ${maxLayer + 1} layers but config.json says ${c.numHiddenLayers}. The config and the weights belong to different models.`;
  }
  return null;
}

/** The first tensor holding NaN or infinite values, with how many, or null. One pass over the weights. */
export function nonFiniteProblem(tensors: ReadonlyMap<string, NamedTensor>): string | null {
  for (const [name, t] of tensors) {
    const d = t.data;
    let bad = 0;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) bad++;
    if (bad > 0) {
      return `weights: ${name} holds ${bad} NaN or infinite value${bad === 1 ? '' : 's'} (of ${d.length}). The checkpoint is damaged; training on it would produce NaN. Download it again or pick another checkpoint.`;
    }
  }
  return null;
}

/** Every check, cheapest first; the first problem found, or null. */
export function modelSanityProblem(tensors: ReadonlyMap<string, NamedTensor>, c: ModelConfig): string | null {
  return configProblem(c) ?? shapeProblem(tensors, c) ?? nonFiniteProblem(tensors);
}
