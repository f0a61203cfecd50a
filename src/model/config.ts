// Typed model configs parsed from a Hugging Face config.json (only BERT for now).
// Depends only on lib/; no tfjs. Add an architecture by adding a parser to MODEL_CONFIG_PARSERS.
import { err, ok, type Result } from '../lib/result';

/** BERT hyper-parameters, in HF's meaning; defaults are HF BertConfig's (bert-base-uncased). */
export type BertConfig = {
  modelType: 'bert';
  /** vocab_size: rows of the word embedding (V). */
  vocabSize: number; // default 30522
  /** hidden_size: channels C of every token vector. */
  hiddenSize: number; // default 768
  /** num_hidden_layers: encoder layers. */
  numHiddenLayers: number; // default 12
  /** num_attention_heads: heads per layer; head_dim = hiddenSize / numAttentionHeads. */
  numAttentionHeads: number; // default 12
  /** intermediate_size: width of the feed-forward block. */
  intermediateSize: number; // default 3072
  /** hidden_act: only 'gelu' (the exact erf GELU) is supported. */
  hiddenAct: 'gelu'; // default 'gelu'
  /** max_position_embeddings: the longest sequence (T) the model accepts. */
  maxPositionEmbeddings: number; // default 512
  /** type_vocab_size: segment ids (2 for sentence pairs). */
  typeVocabSize: number; // default 2
  /** layer_norm_eps: LayerNorm epsilon inside the sqrt. */
  layerNormEps: number; // default 1e-12
  /** pad_token_id. */
  padTokenId: number; // default 0
  /** hidden_dropout_prob: dropout after embeddings and each residual branch (training only). */
  hiddenDropoutProb: number; // default 0.1
  /** attention_probs_dropout_prob: dropout on the attention weights (training only). */
  attentionProbsDropoutProb: number; // default 0.1
  /** classifier_dropout ?? hidden_dropout_prob: dropout on the pooled output before the head. */
  classifierDropout: number;
  /** initializer_range: std of the normal init used for a fresh classification head. */
  initializerRange: number; // default 0.02
  /** num_labels: classes of the sequence-classification head (from id2label). */
  numLabels: number; // default 2
  /** id2label as an array: id2label[i] is the name of class i. */
  id2label: string[];
};

export type ModelConfig = BertConfig;

/** model_type values this studio can load, each with its parser. */
const MODEL_CONFIG_PARSERS = Object.freeze({
  bert: (json: Record<string, unknown>) => tryParseBertFields(json),
});
export type SupportedModelType = keyof typeof MODEL_CONFIG_PARSERS;
export const SUPPORTED_MODEL_TYPES = Object.keys(MODEL_CONFIG_PARSERS) as SupportedModelType[];

/** Parse any supported config.json; dispatches on model_type. */
export function tryParseModelConfig(json: unknown): Result<ModelConfig, string> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return err('config.json: expected a JSON object; the file is not a Hugging Face model config.');
  }
  const record = json as Record<string, unknown>;
  const modelType = record.model_type;
  if (typeof modelType !== 'string' || !(modelType in MODEL_CONFIG_PARSERS)) {
    return err(
      `config.json: model_type ${JSON.stringify(modelType)} is not supported; ` +
        `supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}. Pick a model of one of these architectures.`,
    );
  }
  return MODEL_CONFIG_PARSERS[modelType as SupportedModelType](record);
}

/** Parse a BERT config.json (model_type must be 'bert'). */
export function tryParseBertConfig(json: unknown): Result<BertConfig, string> {
  return tryParseModelConfig(json);
}

function tryParseBertFields(j: Record<string, unknown>): Result<BertConfig, string> {
  const problems: string[] = [];
  const int = (key: string, fallback: number, min = 1): number => {
    const v = j[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      problems.push(`${key} must be an integer >= ${min} (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v;
  };
  const prob = (key: string, fallback: number): number => {
    const v = j[key] ?? fallback;
    if (typeof v !== 'number' || v < 0 || v >= 1) {
      problems.push(`${key} must be a number in [0, 1) (got ${JSON.stringify(v)})`);
      return fallback;
    }
    return v;
  };

  const hiddenSize = int('hidden_size', 768);
  const numAttentionHeads = int('num_attention_heads', 12);
  if (hiddenSize % numAttentionHeads !== 0) {
    problems.push(`hidden_size (${hiddenSize}) must be divisible by num_attention_heads (${numAttentionHeads})`);
  }
  const hiddenAct = j.hidden_act ?? 'gelu';
  if (hiddenAct !== 'gelu') {
    problems.push(`hidden_act ${JSON.stringify(hiddenAct)} is not supported (only "gelu", the exact erf GELU)`);
  }
  const positionType = j.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    problems.push(`position_embedding_type ${JSON.stringify(positionType)} is not supported (only "absolute")`);
  }
  const layerNormEps = j.layer_norm_eps ?? 1e-12;
  if (typeof layerNormEps !== 'number' || !(layerNormEps > 0)) problems.push('layer_norm_eps must be a positive number');
  const initializerRange = j.initializer_range ?? 0.02;
  if (typeof initializerRange !== 'number' || !(initializerRange > 0)) problems.push('initializer_range must be a positive number');

  const hiddenDropoutProb = prob('hidden_dropout_prob', 0.1);
  const classifierDropout = j.classifier_dropout == null ? hiddenDropoutProb : prob('classifier_dropout', hiddenDropoutProb);

  const labels = parseLabels(j, problems);
  const vocabSize = int('vocab_size', 30522);
  const numHiddenLayers = int('num_hidden_layers', 12);
  const intermediateSize = int('intermediate_size', 3072);
  const maxPositionEmbeddings = int('max_position_embeddings', 512);
  const typeVocabSize = int('type_vocab_size', 2);
  const padTokenId = int('pad_token_id', 0, 0);
  const attentionProbsDropoutProb = prob('attention_probs_dropout_prob', 0.1);
  if (problems.length > 0) {
    return err(`config.json (bert): ${problems.join('; ')}. Fix the config or choose another model.`);
  }
  return ok({
    modelType: 'bert',
    vocabSize,
    hiddenSize,
    numHiddenLayers,
    numAttentionHeads,
    intermediateSize,
    hiddenAct: 'gelu',
    maxPositionEmbeddings,
    typeVocabSize,
    layerNormEps: layerNormEps as number,
    padTokenId,
    hiddenDropoutProb,
    attentionProbsDropoutProb,
    classifierDropout,
    initializerRange: initializerRange as number,
    numLabels: labels.length,
    id2label: labels,
  });
}

/** HF derives num_labels from id2label; without either it defaults to 2 (LABEL_0, LABEL_1). */
function parseLabels(j: Record<string, unknown>, problems: string[]): string[] {
  const id2label = j.id2label;
  if (id2label != null) {
    if (typeof id2label !== 'object' || Array.isArray(id2label)) {
      problems.push('id2label must be an object like {"0": "negative", "1": "positive"}');
      return [];
    }
    const entries = Object.entries(id2label as Record<string, unknown>);
    const labels: string[] = new Array(entries.length);
    for (const [key, name] of entries) {
      const id = Number(key);
      if (!Number.isInteger(id) || id < 0 || id >= entries.length || typeof name !== 'string') {
        problems.push(`id2label must map the ids 0..${entries.length - 1} to names (bad entry ${JSON.stringify(key)})`);
        return [];
      }
      labels[id] = name;
    }
    return labels;
  }
  const numLabels = j.num_labels ?? 2;
  if (typeof numLabels !== 'number' || !Number.isInteger(numLabels) || numLabels < 1) {
    problems.push('num_labels must be a positive integer');
    return [];
  }
  return Array.from({ length: numLabels }, (_, i) => `LABEL_${i}`);
}

/** The same config with a different label set (for a fresh head trained on the user's classes). */
export function withLabels(config: BertConfig, id2label: readonly string[]): BertConfig {
  return { ...config, numLabels: id2label.length, id2label: [...id2label] };
}
