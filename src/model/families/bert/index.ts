// BERT (BertForSequenceClassification): config, tensor table, LoRA presets and loader. The forward pass is in
// bert/model.ts, shared with RoBERTa.
import { tryLoadBertModel } from './model';
import { embeddingSpec, linearSpecs, normSpecs } from '../tables';
import type { FamilyDescriptor, TensorSpec } from '../types';
import { tryParseBertFields, type BertConfig } from './config';

/** Embeddings and encoder layers under `prefix` ('bert.' / 'roberta.'), in HF state-dict order. */
export function encoderTable(c: BertConfig, prefix: string): TensorSpec[] {
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const out: TensorSpec[] = [
    embeddingSpec(`${prefix}embeddings.word_embeddings.weight`, c.vocabSize, C),
    embeddingSpec(`${prefix}embeddings.position_embeddings.weight`, c.maxPositionEmbeddings, C),
    embeddingSpec(`${prefix}embeddings.token_type_embeddings.weight`, c.typeVocabSize, C),
    ...normSpecs(`${prefix}embeddings.LayerNorm`, C, { bias: true }),
  ];
  for (let layer = 0; layer < c.numHiddenLayers; layer++) {
    const p = `${prefix}encoder.layer.${layer}`;
    const lin = (m: string, inF: number, outF: number) => linearSpecs(`${p}.${m}`, inF, outF, { bias: true, layer });
    out.push(
      ...lin('attention.self.query', C, C),
      ...lin('attention.self.key', C, C),
      ...lin('attention.self.value', C, C),
      ...lin('attention.output.dense', C, C),
      ...normSpecs(`${p}.attention.output.LayerNorm`, C, { bias: true, layer }),
      ...lin('intermediate.dense', C, I),
      ...lin('output.dense', I, C),
      ...normSpecs(`${p}.output.LayerNorm`, C, { bias: true, layer }),
    );
  }
  return out;
}

export const BERT_LORA_TARGETS = {
  default: ['query', 'value'],
  attention: ['query', 'key', 'value', 'attention.output.dense'],
  'all-linear': ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'],
} as const;

/** position_ids is a buffer older transformers saved with the weights. */
export const isEncoderBuffer = (name: string) => /(^|\.)embeddings\.position_ids$/.test(name);

export const bert: FamilyDescriptor<BertConfig> = {
  modelType: 'bert',
  label: 'BERT',
  kind: 'encoder',
  tasks: ['SEQ_CLS'],
  parseConfig: (json) => tryParseBertFields(json, 'bert'),
  // BertModel includes the pooler (dense + tanh on [CLS]); a checkpoint without it gets a fresh one.
  tensorTable: (c) => [...encoderTable(c, 'bert.'), ...linearSpecs('bert.pooler.dense', c.hiddenSize, c.hiddenSize, { bias: true })],
  headTable: (c, task, L) => (task === 'SEQ_CLS' ? linearSpecs('classifier', c.hiddenSize, L, { bias: true }) : []),
  isBuffer: isEncoderBuffer,
  loraTargets: BERT_LORA_TARGETS,
  tokenizer: { pooledToken: 'first', padFallsBackToEos: false, maskedLm: true },
  load: (tensors, c, options) => tryLoadBertModel(tensors, c, options),
};
