// Qwen2 (Qwen2ForCausalLM / Qwen2ForSequenceClassification): Llama's layout with q/k/v biases; shares the Llama
// table, presets and loader (llama/model.ts).
import { tryLoadLlamaModel } from '../llama/model';
import { isRotaryBuffer, LLAMA_LORA_TARGETS, llamaTable } from '../llama';
import { tryParseLlamaFields, type LlamaConfig } from '../llama/config';
import { linearSpecs } from '../tables';
import type { FamilyDescriptor } from '../types';

export const qwen2: FamilyDescriptor<LlamaConfig> = {
  modelType: 'qwen2',
  label: 'Qwen2',
  kind: 'decoder',
  tasks: ['SEQ_CLS', 'CAUSAL_LM'],
  parseConfig: (json) => tryParseLlamaFields(json, 'qwen2'),
  tensorTable: llamaTable,
  headTable: (c, task, L) => (task === 'SEQ_CLS' ? linearSpecs('score', c.hiddenSize, L, { bias: false }) : []),
  isBuffer: isRotaryBuffer,
  loraTargets: LLAMA_LORA_TARGETS,
  tokenizer: { pooledToken: 'last', padFallsBackToEos: true, maskedLm: false },
  load: (tensors, c, options) => tryLoadLlamaModel(tensors, c, options),
};
