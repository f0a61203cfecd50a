// DistilBERT (DistilBertForSequenceClassification): config, tensor table, LoRA presets and loader (./model.ts).
import { tryLoadDistilBertModel } from './model';
import { isEncoderBuffer } from '../bert';
import { embeddingSpec, linearSpecs, normSpecs } from '../tables';
import type { FamilyDescriptor, TensorSpec } from '../types';
import { tryParseDistilBertFields, type DistilBertConfig } from './config';

function table(c: DistilBertConfig): TensorSpec[] {
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const out: TensorSpec[] = [
    embeddingSpec('distilbert.embeddings.word_embeddings.weight', c.vocabSize, C),
    embeddingSpec('distilbert.embeddings.position_embeddings.weight', c.maxPositionEmbeddings, C),
    ...normSpecs('distilbert.embeddings.LayerNorm', C, { bias: true }),
  ];
  for (let layer = 0; layer < c.numHiddenLayers; layer++) {
    const p = `distilbert.transformer.layer.${layer}`;
    const lin = (m: string, inF: number, outF: number) => linearSpecs(`${p}.${m}`, inF, outF, { bias: true, layer });
    out.push(
      ...lin('attention.q_lin', C, C),
      ...lin('attention.k_lin', C, C),
      ...lin('attention.v_lin', C, C),
      ...lin('attention.out_lin', C, C),
      ...normSpecs(`${p}.sa_layer_norm`, C, { bias: true, layer }),
      ...lin('ffn.lin1', C, I),
      ...lin('ffn.lin2', I, C),
      ...normSpecs(`${p}.output_layer_norm`, C, { bias: true, layer }),
    );
  }
  return out;
}

export const distilbert: FamilyDescriptor<DistilBertConfig> = {
  modelType: 'distilbert',
  label: 'DistilBERT',
  kind: 'encoder',
  tasks: ['SEQ_CLS'],
  parseConfig: tryParseDistilBertFields,
  tensorTable: table,
  headTable: (c, task, L) =>
    task === 'SEQ_CLS'
      ? [...linearSpecs('pre_classifier', c.hiddenSize, c.hiddenSize, { bias: true }), ...linearSpecs('classifier', c.hiddenSize, L, { bias: true })]
      : [],
  isBuffer: isEncoderBuffer,
  loraTargets: {
    default: ['q_lin', 'v_lin'],
    attention: ['q_lin', 'k_lin', 'v_lin', 'out_lin'],
    'all-linear': ['q_lin', 'k_lin', 'v_lin', 'out_lin', 'lin1', 'lin2'],
  },
  tokenizer: { pooledToken: 'first', padFallsBackToEos: false, maskedLm: true },
  load: (tensors, c, options) => tryLoadDistilBertModel(tensors, c, options),
};
