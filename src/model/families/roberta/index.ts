// RoBERTa (RobertaForSequenceClassification): BERT's encoder under 'roberta.', padding-offset positions, and a
// two-layer head (classifier.dense + classifier.out_proj) instead of the pooler. Forward pass in bert/model.ts.
import { tryLoadBertModel } from '../bert/model';
import { BERT_LORA_TARGETS, encoderTable, isEncoderBuffer } from '../bert';
import { tryParseBertFields, type BertConfig } from '../bert/config';
import { linearSpecs } from '../tables';
import type { FamilyDescriptor } from '../types';

export const roberta: FamilyDescriptor<BertConfig> = {
  modelType: 'roberta',
  label: 'RoBERTa',
  kind: 'encoder',
  tasks: ['SEQ_CLS'],
  parseConfig: (json) => tryParseBertFields(json, 'roberta'),
  // The sequence classifier has no pooler (add_pooling_layer=False); a pooler in the file is not loaded.
  tensorTable: (c) => encoderTable(c, 'roberta.'),
  headTable: (c, task, L) =>
    task === 'SEQ_CLS'
      ? [...linearSpecs('classifier.dense', c.hiddenSize, c.hiddenSize, { bias: true }), ...linearSpecs('classifier.out_proj', c.hiddenSize, L, { bias: true })]
      : [],
  isBuffer: isEncoderBuffer,
  loraTargets: BERT_LORA_TARGETS,
  tokenizer: { pooledToken: 'first', padFallsBackToEos: false, maskedLm: true },
  load: (tensors, c, options) => tryLoadBertModel(tensors, c, options),
};
