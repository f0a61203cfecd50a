// config.json of BERT and RoBERTa (HF BertConfig / RobertaConfig fields and defaults). Depends only on lib/.
import type { Result } from '../../../lib/result';
import { common, done, fieldReader, type CommonConfig } from '../configFields';

/** BERT / RoBERTa hyper-parameters, in HF's meaning; defaults are HF BertConfig's (RobertaConfig: pad 1, vocab 50265). */
export type BertConfig = CommonConfig & {
  modelType: 'bert' | 'roberta';
  /** hidden_act: only 'gelu' (the exact erf GELU) is supported. */
  hiddenAct: 'gelu';
  /** type_vocab_size: segment ids (2 for sentence pairs; RoBERTa checkpoints have 1). */
  typeVocabSize: number;
  /** layer_norm_eps: LayerNorm epsilon inside the sqrt. */
  layerNormEps: number;
  /** pad_token_id (RoBERTa: also padding_idx of the position ids). */
  padTokenId: number;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  /** classifier_dropout ?? hidden_dropout_prob. */
  classifierDropout: number;
};
export type RobertaConfig = BertConfig & { modelType: 'roberta' };

export function tryParseBertFields(j: Record<string, unknown>, modelType: 'bert' | 'roberta'): Result<BertConfig, string> {
  const f = fieldReader(j);
  const hiddenSize = f.int('hidden_size', 768);
  const numAttentionHeads = f.int('num_attention_heads', 12);
  const head = common(j, f, hiddenSize, numAttentionHeads);
  f.oneOf('hidden_act', 'gelu', ['gelu'], 'only "gelu", the exact erf GELU');
  f.oneOf('position_embedding_type', 'absolute', ['absolute'], 'only "absolute"');
  const hiddenDropoutProb = f.prob('hidden_dropout_prob', 0.1);
  const maxPositionEmbeddings = f.int('max_position_embeddings', 512);
  const padTokenId = f.int('pad_token_id', modelType === 'roberta' ? 1 : 0, 0);
  const maxTokens = modelType === 'roberta' ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
  if (maxTokens < 1) f.problems.push(`max_position_embeddings (${maxPositionEmbeddings}) leaves no positions after RoBERTa's padding offset`);
  return done(modelType, f.problems, {
    modelType,
    vocabSize: f.int('vocab_size', modelType === 'roberta' ? 50265 : 30522),
    hiddenSize,
    numHiddenLayers: f.int('num_hidden_layers', 12),
    numAttentionHeads,
    intermediateSize: f.int('intermediate_size', 3072),
    hiddenAct: 'gelu',
    maxPositionEmbeddings,
    maxTokens,
    typeVocabSize: f.int('type_vocab_size', 2),
    layerNormEps: f.positive('layer_norm_eps', 1e-12),
    padTokenId,
    hiddenDropoutProb,
    attentionProbsDropoutProb: f.prob('attention_probs_dropout_prob', 0.1),
    classifierDropout: j.classifier_dropout == null ? hiddenDropoutProb : f.prob('classifier_dropout', hiddenDropoutProb),
    initializerRange: f.positive('initializer_range', 0.02),
    ...head,
  });
}
