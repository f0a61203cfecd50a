// Typed model configs parsed from a Hugging Face config.json: BERT, RoBERTa, DistilBERT, GPT-2, Llama, Qwen2.
// Depends only on lib/; no tfjs. Add an architecture by adding a parser to MODEL_CONFIG_PARSERS.
import { err, ok, type Result } from '../lib/result';

/** Fields every config has, under the same names whatever the HF spelling (n_embd, dim, ...). */
type CommonConfig = {
  /** vocab_size: rows of the word embedding (V). */
  vocabSize: number;
  /** hidden_size / n_embd / dim: channels C of every token vector. */
  hiddenSize: number;
  /** num_hidden_layers / n_layer / n_layers. */
  numHiddenLayers: number;
  /** num_attention_heads / n_head / n_heads; head_dim = hiddenSize / numAttentionHeads. */
  numAttentionHeads: number;
  /** Width of the feed-forward block (intermediate_size / n_inner / hidden_dim). */
  intermediateSize: number;
  /** max_position_embeddings / n_positions: the position table size. */
  maxPositionEmbeddings: number;
  /** The longest batch the model accepts (RoBERTa: max_position_embeddings - pad_token_id - 1). */
  maxTokens: number;
  /** std of the normal init used for a fresh classification head. */
  initializerRange: number;
  /** num_labels: classes of the sequence-classification head (from id2label). */
  numLabels: number;
  /** id2label as an array: id2label[i] is the name of class i. */
  id2label: string[];
  /** HF `architectures[0]`, e.g. 'GPT2LMHeadModel' (null when absent). */
  architecture: string | null;
};

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

/** GPT-2 (Conv1D weights [in, out], pre-LN, tanh GELU, learned positions). */
export type Gpt2Config = CommonConfig & {
  modelType: 'gpt2';
  /** activation_function: 'gelu_new' / 'gelu_pytorch_tanh' (tanh approximation) or 'gelu' (erf). */
  hiddenAct: 'gelu_new' | 'gelu';
  /** layer_norm_epsilon. */
  layerNormEps: number;
  /** pad_token_id, or null (GPT-2 checkpoints have none). */
  padTokenId: number | null;
  embdDropout: number;
  attnDropout: number;
  residDropout: number;
  /** scale_attn_by_inverse_layer_idx: scores also divided by layer_idx + 1. */
  scaleAttnByInverseLayerIdx: boolean;
};

/** Llama and Qwen2 (RMSNorm, RoPE rotate_half, GQA, SwiGLU); Qwen2 adds q/k/v biases. */
export type LlamaConfig = CommonConfig & {
  modelType: 'llama' | 'qwen2';
  hiddenAct: 'silu';
  /** num_key_value_heads (GQA), defaults to num_attention_heads. */
  numKeyValueHeads: number;
  rmsNormEps: number;
  ropeTheta: number;
  /** Biases on q/k/v (Qwen2 always; Llama's attention_bias also puts one on o_proj). */
  qkvBias: boolean;
  oBias: boolean;
  tieWordEmbeddings: boolean;
  padTokenId: number | null;
  attentionDropout: number;
};

export type ModelConfig = BertConfig | DistilBertConfig | Gpt2Config | LlamaConfig;

/** model_type values this studio can load, each with its parser. */
const MODEL_CONFIG_PARSERS = Object.freeze({
  bert: (json: Record<string, unknown>) => tryParseBertFields(json, 'bert'),
  roberta: (json: Record<string, unknown>) => tryParseBertFields(json, 'roberta'),
  distilbert: (json: Record<string, unknown>) => tryParseDistilBertFields(json),
  gpt2: (json: Record<string, unknown>) => tryParseGpt2Fields(json),
  llama: (json: Record<string, unknown>) => tryParseLlamaFields(json, 'llama'),
  qwen2: (json: Record<string, unknown>) => tryParseLlamaFields(json, 'qwen2'),
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
  const parsed = tryParseModelConfig(json);
  if (parsed.ok && parsed.value.modelType !== 'bert') return err(`config.json: model_type "${parsed.value.modelType}" is not "bert".`);
  return parsed as Result<BertConfig, string>;
}

/** Reads typed fields with HF defaults and collects every problem. */
function fieldReader(j: Record<string, unknown>) {
  const problems: string[] = [];
  const pick = (keys: string | string[], fallback: unknown): unknown => {
    for (const k of typeof keys === 'string' ? [keys] : keys) if (j[k] != null) return j[k];
    return fallback;
  };
  const name = (keys: string | string[]) => (typeof keys === 'string' ? keys : keys[0]);
  return {
    problems,
    int(keys: string | string[], fallback: number, min = 1): number {
      const v = pick(keys, fallback);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
        problems.push(`${name(keys)} must be an integer >= ${min} (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    optionalInt(key: string): number | null {
      const v = j[key];
      if (v == null) return null;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        problems.push(`${key} must be a non-negative integer or null (got ${JSON.stringify(v)})`);
        return null;
      }
      return v;
    },
    prob(keys: string | string[], fallback: number): number {
      const v = pick(keys, fallback);
      if (typeof v !== 'number' || v < 0 || v >= 1) {
        problems.push(`${name(keys)} must be a number in [0, 1) (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    positive(keys: string | string[], fallback: number): number {
      const v = pick(keys, fallback);
      if (typeof v !== 'number' || !(v > 0)) {
        problems.push(`${name(keys)} must be a positive number (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    bool(key: string, fallback: boolean): boolean {
      const v = j[key] ?? fallback;
      if (typeof v !== 'boolean') {
        problems.push(`${key} must be true or false (got ${JSON.stringify(v)})`);
        return fallback;
      }
      return v;
    },
    oneOf<T extends string>(keys: string | string[], fallback: T, allowed: readonly string[], what: string): T {
      const v = pick(keys, fallback);
      if (typeof v !== 'string' || !allowed.includes(v)) {
        problems.push(`${name(keys)} ${JSON.stringify(v)} is not supported (${what})`);
        return fallback;
      }
      return v as T;
    },
  };
}

function common(j: Record<string, unknown>, f: ReturnType<typeof fieldReader>, hidden: number, heads: number): Pick<CommonConfig, 'id2label' | 'numLabels' | 'architecture'> {
  if (hidden % heads !== 0) f.problems.push(`the hidden size (${hidden}) must be divisible by the number of attention heads (${heads})`);
  const labels = parseLabels(j, f.problems);
  const archs = j.architectures;
  const architecture = Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : null;
  return { id2label: labels, numLabels: labels.length, architecture };
}

const done = <T>(modelType: string, problems: string[], value: T): Result<T, string> =>
  problems.length > 0 ? err(`config.json (${modelType}): ${problems.join('; ')}. Fix the config or choose another model.`) : ok(value);

function tryParseBertFields(j: Record<string, unknown>, modelType: 'bert' | 'roberta'): Result<BertConfig, string> {
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

function tryParseDistilBertFields(j: Record<string, unknown>): Result<DistilBertConfig, string> {
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

function tryParseGpt2Fields(j: Record<string, unknown>): Result<Gpt2Config, string> {
  const f = fieldReader(j);
  const hiddenSize = f.int('n_embd', 768);
  const numAttentionHeads = f.int('n_head', 12);
  const head = common(j, f, hiddenSize, numAttentionHeads);
  const act = f.oneOf('activation_function', 'gelu_new', ['gelu_new', 'gelu_pytorch_tanh', 'gelu'], 'only "gelu_new", "gelu_pytorch_tanh" or "gelu"');
  if (j.scale_attn_weights === false) f.problems.push('scale_attn_weights false is not supported');
  const maxPositionEmbeddings = f.int('n_positions', 1024);
  return done('gpt2', f.problems, {
    modelType: 'gpt2',
    vocabSize: f.int('vocab_size', 50257),
    hiddenSize,
    numHiddenLayers: f.int('n_layer', 12),
    numAttentionHeads,
    intermediateSize: j.n_inner == null ? 4 * hiddenSize : f.int('n_inner', 4 * hiddenSize),
    hiddenAct: (act as string) === 'gelu' ? 'gelu' : 'gelu_new',
    maxPositionEmbeddings,
    maxTokens: maxPositionEmbeddings,
    layerNormEps: f.positive('layer_norm_epsilon', 1e-5),
    padTokenId: f.optionalInt('pad_token_id'),
    embdDropout: f.prob('embd_pdrop', 0.1),
    attnDropout: f.prob('attn_pdrop', 0.1),
    residDropout: f.prob('resid_pdrop', 0.1),
    scaleAttnByInverseLayerIdx: f.bool('scale_attn_by_inverse_layer_idx', false),
    initializerRange: f.positive('initializer_range', 0.02),
    ...head,
  });
}

function tryParseLlamaFields(j: Record<string, unknown>, modelType: 'llama' | 'qwen2'): Result<LlamaConfig, string> {
  const f = fieldReader(j);
  const qwen = modelType === 'qwen2';
  const hiddenSize = f.int('hidden_size', qwen ? 4096 : 4096);
  const numAttentionHeads = f.int('num_attention_heads', 32);
  const head = common(j, f, hiddenSize, numAttentionHeads);
  const numKeyValueHeads = f.int('num_key_value_heads', numAttentionHeads);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    f.problems.push(`num_attention_heads (${numAttentionHeads}) must be a multiple of num_key_value_heads (${numKeyValueHeads})`);
  }
  if ((hiddenSize / numAttentionHeads) % 2 !== 0) f.problems.push('head_dim must be even for rotary embeddings');
  if (j.head_dim != null && j.head_dim !== hiddenSize / numAttentionHeads) {
    f.problems.push(`head_dim ${JSON.stringify(j.head_dim)} differs from hidden_size / num_attention_heads (not supported)`);
  }
  f.oneOf('hidden_act', 'silu', ['silu'], 'only "silu"');
  if (j.rope_scaling != null) f.problems.push(`rope_scaling ${JSON.stringify(j.rope_scaling)} is not supported (only null)`);
  if (j.pretraining_tp != null && j.pretraining_tp !== 1) f.problems.push('pretraining_tp must be 1');
  if (j.mlp_bias === true) f.problems.push('mlp_bias true is not supported');
  if (qwen && j.use_sliding_window === true) f.problems.push('use_sliding_window true is not supported');
  const attentionBias = !qwen && f.bool('attention_bias', false);
  const maxPositionEmbeddings = f.int('max_position_embeddings', qwen ? 32768 : 2048);
  return done(modelType, f.problems, {
    modelType,
    vocabSize: f.int('vocab_size', qwen ? 151936 : 32000),
    hiddenSize,
    numHiddenLayers: f.int('num_hidden_layers', 32),
    numAttentionHeads,
    numKeyValueHeads,
    intermediateSize: f.int('intermediate_size', qwen ? 22016 : 11008),
    hiddenAct: 'silu',
    maxPositionEmbeddings,
    maxTokens: maxPositionEmbeddings,
    rmsNormEps: f.positive('rms_norm_eps', 1e-6),
    ropeTheta: f.positive('rope_theta', 10000),
    qkvBias: qwen || attentionBias,
    oBias: attentionBias,
    tieWordEmbeddings: f.bool('tie_word_embeddings', false),
    padTokenId: f.optionalInt('pad_token_id'),
    attentionDropout: f.prob('attention_dropout', 0),
    initializerRange: f.positive('initializer_range', 0.02),
    ...head,
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
export function withLabels<C extends ModelConfig>(config: C, id2label: readonly string[]): C {
  return { ...config, numLabels: id2label.length, id2label: [...id2label] };
}
