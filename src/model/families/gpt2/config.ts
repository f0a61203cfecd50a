// config.json of GPT-2 (n_embd, n_layer, n_head, activation_function). Depends only on lib/.
import type { Result } from '../../../lib/result';
import { common, done, fieldReader, type CommonConfig } from '../configFields';

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

export function tryParseGpt2Fields(j: Record<string, unknown>): Result<Gpt2Config, string> {
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
