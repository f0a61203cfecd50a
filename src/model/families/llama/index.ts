// Llama (LlamaForCausalLM / LlamaForSequenceClassification): config with RoPE scaling, tensor table, LoRA presets,
// the rotary inv_freq buffer, and the loader (llama/model.ts, shared with Qwen2).
import { tryLoadLlamaModel } from './model';
import { embeddingSpec, linearSpecs, normSpecs } from '../tables';
import type { FamilyDescriptor, TensorSpec } from '../types';
import { tryParseLlamaFields, type LlamaConfig } from './config';

/** Llama-style decoder tensors (Qwen2 too: q/k/v biases come from the config). */
export function llamaTable(c: LlamaConfig): TensorSpec[] {
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const D = C / c.numAttentionHeads;
  const HD = c.numAttentionHeads * D;
  const KD = c.numKeyValueHeads * D;
  const out: TensorSpec[] = [embeddingSpec('model.embed_tokens.weight', c.vocabSize, C)];
  for (let layer = 0; layer < c.numHiddenLayers; layer++) {
    const p = `model.layers.${layer}`;
    const lin = (m: string, inF: number, outF: number, bias = false) => linearSpecs(`${p}.${m}`, inF, outF, { bias, layer });
    out.push(
      ...lin('self_attn.q_proj', C, HD, c.qkvBias),
      ...lin('self_attn.k_proj', C, KD, c.qkvBias),
      ...lin('self_attn.v_proj', C, KD, c.qkvBias),
      ...lin('self_attn.o_proj', HD, C, c.oBias),
      ...lin('mlp.gate_proj', C, I),
      ...lin('mlp.up_proj', C, I),
      ...lin('mlp.down_proj', I, C),
      ...normSpecs(`${p}.input_layernorm`, C, { bias: false, layer }),
      ...normSpecs(`${p}.post_attention_layernorm`, C, { bias: false, layer }),
    );
  }
  out.push(...normSpecs('model.norm', C, { bias: false }));
  if (!c.tieWordEmbeddings) out.push({ ...embeddingSpec('lm_head.weight', c.vocabSize, C), onlyFor: ['CAUSAL_LM'] });
  return out;
}

export const LLAMA_LORA_TARGETS = {
  default: ['q_proj', 'v_proj'],
  attention: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
  'all-linear': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
} as const;

export const isRotaryBuffer = (name: string) => /(^|\.)rotary_emb\.inv_freq$/.test(name);

export const llama: FamilyDescriptor<LlamaConfig> = {
  modelType: 'llama',
  label: 'Llama',
  kind: 'decoder',
  tasks: ['SEQ_CLS', 'CAUSAL_LM'],
  parseConfig: (json) => tryParseLlamaFields(json, 'llama'),
  tensorTable: llamaTable,
  headTable: (c, task, L) => (task === 'SEQ_CLS' ? linearSpecs('score', c.hiddenSize, L, { bias: false }) : []),
  isBuffer: isRotaryBuffer,
  loraTargets: LLAMA_LORA_TARGETS,
  tokenizer: { pooledToken: 'last', padFallsBackToEos: true, maskedLm: false },
  load: (tensors, c, options) => tryLoadLlamaModel(tensors, c, options),
};
