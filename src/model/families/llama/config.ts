// config.json of Llama and Qwen2 (GQA, RMSNorm, RoPE with its scaling). Depends only on lib/.
import type { Result } from '../../../lib/result';
import { common, done, fieldReader, type CommonConfig } from '../configFields';
import { parseRope, type RopeScaling } from './rope';

export type { RopeScaling } from './rope';

/** Llama and Qwen2 (RMSNorm, RoPE rotate_half, GQA, SwiGLU); Qwen2 adds q/k/v biases. */
export type LlamaConfig = CommonConfig & {
  modelType: 'llama' | 'qwen2';
  hiddenAct: 'silu';
  /** num_key_value_heads (GQA), defaults to num_attention_heads. */
  numKeyValueHeads: number;
  rmsNormEps: number;
  /** rope_theta, at top level or inside rope_parameters (never guessed). */
  ropeTheta: number;
  /** rope_scaling / rope_parameters scaling: linear, dynamic or llama3; null for plain RoPE. */
  ropeScaling: RopeScaling | null;
  /** Biases on q/k/v (Qwen2 always; Llama's attention_bias also puts one on o_proj). */
  qkvBias: boolean;
  oBias: boolean;
  tieWordEmbeddings: boolean;
  padTokenId: number | null;
  attentionDropout: number;
};

export function tryParseLlamaFields(j: Record<string, unknown>, modelType: 'llama' | 'qwen2'): Result<LlamaConfig, string> {
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
  if (j.pretraining_tp != null && j.pretraining_tp !== 1) f.problems.push('pretraining_tp must be 1');
  if (j.mlp_bias === true) f.problems.push('mlp_bias true is not supported');
  if (qwen && j.use_sliding_window === true) f.problems.push('use_sliding_window true is not supported');
  const attentionBias = !qwen && f.bool('attention_bias', false);
  const maxPositionEmbeddings = f.int('max_position_embeddings', qwen ? 32768 : 2048);
  const rope = parseRope(j, maxPositionEmbeddings, f.problems);
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
    ropeTheta: rope.theta,
    ropeScaling: rope.scaling,
    qkvBias: qwen || attentionBias,
    oBias: attentionBias,
    tieWordEmbeddings: f.bool('tie_word_embeddings', false),
    padTokenId: f.optionalInt('pad_token_id'),
    attentionDropout: f.prob('attention_dropout', 0),
    initializerRange: f.positive('initializer_range', 0.02),
    ...head,
  });
}
