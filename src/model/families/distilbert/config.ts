// config.json of DistilBERT (dim, n_layers, n_heads, hidden_dim). Depends only on lib/.
import type { Result } from '../../../lib/result';
import { common, done, fieldReader, type CommonConfig } from '../configFields';

/** DistilBERT (dim, n_layers, n_heads, hidden_dim); LayerNorm eps is hard-coded 1e-12 in HF. */
export type DistilBertConfig = CommonConfig & {
  modelType: 'distilbert';
  hiddenAct: 'gelu';
  layerNormEps: number;
  padTokenId: number;
  /** dropout: embeddings, residual branches and the FFN output. */
  hiddenDropoutProb: number;
  /** attention_dropout. */
  attentionProbsDropoutProb: number;
  /** seq_classif_dropout: before the classifier. */
  classifierDropout: number;
};

export function tryParseDistilBertFields(j: Record<string, unknown>): Result<DistilBertConfig, string> {
  const f = fieldReader(j);
  const hiddenSize = f.int('dim', 768);
  const numAttentionHeads = f.int('n_heads', 12);
  const head = common(j, f, hiddenSize, numAttentionHeads);
  f.oneOf('activation', 'gelu', ['gelu'], 'only "gelu", the exact erf GELU');
  const maxPositionEmbeddings = f.int('max_position_embeddings', 512);
  return done('distilbert', f.problems, {
    modelType: 'distilbert',
    vocabSize: f.int('vocab_size', 30522),
    hiddenSize,
    numHiddenLayers: f.int('n_layers', 6),
    numAttentionHeads,
    intermediateSize: f.int('hidden_dim', 3072),
    hiddenAct: 'gelu',
    maxPositionEmbeddings,
    maxTokens: maxPositionEmbeddings,
    layerNormEps: 1e-12,
    padTokenId: f.int('pad_token_id', 0, 0),
    hiddenDropoutProb: f.prob('dropout', 0.1),
    attentionProbsDropoutProb: f.prob('attention_dropout', 0.1),
    classifierDropout: f.prob('seq_classif_dropout', 0.2),
    initializerRange: f.positive('initializer_range', 0.02),
    ...head,
  });
}
