// LlamaForCausalLM / LlamaForSequenceClassification and Qwen2 (q/k/v biases) in tfjs-core ops: RMSNorm,
// RoPE (rotate_half), grouped-query attention, SwiGLU MLP, tied or untied LM head. tfjs-core, lib/, model/ only.
// Shapes: B batch, T tokens, C hidden, H heads, K kv heads, D = C / H head dim, I intermediate, L labels, V vocab.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../../../lib/result';
import type { LlamaConfig, ModelConfig, RopeScaling } from '../../config';
import { ropeInvFreq } from './rope';
import {
  applyLinear,
  beginForward,
  causalMask,
  createForwardContext,
  createWeightReader,
  detectPrefix,
  dropout,
  embeddingLookup,
  fromHeads,
  frozenMatMulTransposed,
  gatherRows,
  lastTokenIndex,
  notFamilyError,
  rmsNorm,
  silu,
  toHeads,
  tryFusedAttention,
  weightsError,
} from '../../layers';
import { batchMatMul } from '../../kernels/matmul';
import { webGpuKernelsActive } from '../../kernels/webgpu/ops';
import type { NamedTensor } from '../../safetensors';
import { stepCausalMask } from '../../kvCache';
import type {
  DecoderStepOutput,
  ForwardContext,
  ForwardOptions,
  HeadSource,
  KvCache,
  Linear,
  LoadModelOptions,
  ModelInputs,
  ModelOutput,
  SequenceModel,
} from '../../types';

export type LlamaLayerWeights = {
  inputLayerNorm: tf.Tensor1D; // [C]
  qProj: Linear; // [C, H*D]
  kProj: Linear; // [C, K*D]
  vProj: Linear; // [C, K*D]
  oProj: Linear; // [H*D, C]
  postAttentionLayerNorm: tf.Tensor1D; // [C]
  gateProj: Linear; // [C, I]
  upProj: Linear; // [C, I]
  downProj: Linear; // [I, C]
};

export type LlamaModel = SequenceModel & {
  family: 'llama' | 'qwen2';
  config: LlamaConfig;
  embedTokens: tf.Tensor2D; // [V, C]
  layers: LlamaLayerWeights[];
  norm: tf.Tensor1D; // [C]
  /** CAUSAL_LM: lm_head.weight [V, C] (HF layout), or embed_tokens when tied; null for SEQ_CLS. */
  lmHead: tf.Tensor2D | null;
  /** SEQ_CLS: 'score' [C, L], no bias; null for CAUSAL_LM. */
  score: Linear | null;
};

/** Llama / Qwen2 from 'model.'-prefixed or bare weights. */
export function tryLoadLlamaModel(tensors: Map<string, NamedTensor>, config: ModelConfig, options: LoadModelOptions = {}): Result<LlamaModel, string> {
  if (config.modelType !== 'llama' && config.modelType !== 'qwen2') return err(`model_type "${config.modelType}" is not llama or qwen2.`);
  const task = options.task ?? 'SEQ_CLS';
  const filePrefix = detectPrefix(tensors, 'model.', 'embed_tokens.weight');
  if (filePrefix === null) return err(notFamilyError(tensors, 'model.embed_tokens.weight', config.modelType === 'llama' ? 'Llama' : 'Qwen2'));
  const { hiddenSize: C, intermediateSize: I, numLabels: L } = config;
  const D = C / config.numAttentionHeads;
  const HD = config.numAttentionHeads * D;
  const KD = config.numKeyValueHeads * D;
  const r = createWeightReader(tensors, { file: filePrefix, model: 'model.' }, options);
  const linear = (path: string, inF: number, outF: number, bias = false) => r.linear(path, inF, outF, { bias });
  const embedTokens = r.plain<tf.Rank.R2>('embed_tokens.weight', [config.vocabSize, C]);
  const layers: LlamaLayerWeights[] = [];
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `layers.${i}`;
    layers.push({
      inputLayerNorm: r.plain(`${p}.input_layernorm.weight`, [C]),
      qProj: linear(`${p}.self_attn.q_proj`, C, HD, config.qkvBias),
      kProj: linear(`${p}.self_attn.k_proj`, C, KD, config.qkvBias),
      vProj: linear(`${p}.self_attn.v_proj`, C, KD, config.qkvBias),
      oProj: linear(`${p}.self_attn.o_proj`, HD, C, config.oBias),
      postAttentionLayerNorm: r.plain(`${p}.post_attention_layernorm.weight`, [C]),
      gateProj: linear(`${p}.mlp.gate_proj`, C, I),
      upProj: linear(`${p}.mlp.up_proj`, C, I),
      downProj: linear(`${p}.mlp.down_proj`, I, C),
    });
  }
  const norm = r.plain<tf.Rank.R1>('norm.weight', [C]);
  let lmHead: tf.Tensor2D | null = null;
  let score: Linear | null = null;
  let headSource: HeadSource = 'none';
  if (task === 'CAUSAL_LM') {
    // Tied: HF saves no lm_head.weight; untied checkpoints must have one.
    lmHead = config.tieWordEmbeddings && !tensors.has('lm_head.weight') ? embedTokens : r.plain<tf.Rank.R2>('lm_head.weight', [config.vocabSize, C], true);
  } else {
    ({ linear: score, source: headSource } = r.head('score', C, L, { bias: false, std: config.initializerRange, seed: options.seed ?? 0 }));
  }
  if (r.problems.length > 0) {
    tf.dispose(r.created);
    return err(weightsError(r.problems));
  }
  const linears: Linear[] = [];
  for (const l of layers) linears.push(l.qProj, l.kProj, l.vProj, l.oProj, l.gateProj, l.upProj, l.downProj);
  if (score) linears.push(score);
  const model: LlamaModel = {
    family: config.modelType,
    task,
    config,
    embedTokens,
    layers,
    norm,
    lmHead,
    score,
    headSource,
    transientPacking: options.transientPacking,
    linears,
    headModules: score ? [score] : [],
    forward: (inputs, opts) => forwardLlama(model, inputs, opts),
    forwardStep: task === 'CAUSAL_LM' ? (ids, past, opts) => forwardStepLlama(model, ids, past, opts) : undefined,
    dispose: () => tf.dispose(r.created),
  };
  return ok(model);
}

export type RopeTable = { cos: tf.Tensor2D; sin: tf.Tensor2D }; // [T, D] each

/**
 * cos/sin of HF's rotary embedding in float32 for positions start..start+count-1: inv_freq from the config's theta
 * and scaling (families/llama/rope.ts), freqs = pos * inv_freq, emb = cat(freqs, freqs). Each step is rounded to
 * float32 as torch does. `seqLen` (for dynamic NTK) defaults to start + count.
 */
export function ropeTable(count: number, D: number, theta: number, start = 0, scaling: RopeScaling | null = null, seqLen = start + count): RopeTable {
  const half = D / 2;
  const f = Math.fround;
  const invFreq = ropeInvFreq(D, theta, scaling, seqLen);
  const cos = new Float32Array(count * D);
  const sin = new Float32Array(count * D);
  for (let p = 0; p < count; p++) {
    for (let i = 0; i < half; i++) {
      const angle = f((start + p) * invFreq[i]); // row p is position start + p (start > 0: incremental decoding)
      cos[p * D + i] = cos[p * D + i + half] = Math.cos(angle);
      sin[p * D + i] = sin[p * D + i + half] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor2d(cos, [count, D]), sin: tf.tensor2d(sin, [count, D]) };
}

/** q * cos + rotate_half(q) * sin, rotate_half(x) = cat(-x[..., D/2:], x[..., :D/2]). x: [B, heads, T, D], cos/sin [T, D]. */
function applyRope(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  const D = x.shape[3];
  const [x1, x2] = tf.split(x, [D / 2, D / 2], 3); // 2 x [B, heads, T, D/2]
  const rotated = tf.concat([tf.neg(x2), x1], 3); // [B, heads, T, D]
  return tf.add(tf.mul(x, cos), tf.mul(rotated, sin)); // cos/sin [T, D] broadcast over [B, heads]
}

/**
 * The one Llama / Qwen2 stack, for the full forward and the KV-cached step alike: new tokens [B, Tn] at positions
 * Tp.. (RoPE offset), attending to `past` keys/values (k after RoPE, before repeat_kv) plus their own under `mask`
 * ([B or 1, 1, Tn, Tp+Tn], or null when every key is visible). Returns the final hidden state [B*Tn, C] (after the
 * final norm) and each layer's k/v. Inside tf.tidy.
 */
function decodeLlama(
  model: LlamaModel,
  inputIds: tf.Tensor2D,
  past: KvCache | null,
  mask: tf.Tensor4D | null,
  ctx: ForwardContext,
  linear: (x: tf.Tensor2D, l: Linear) => tf.Tensor2D,
  record: (x: tf.Tensor2D) => void,
): { x: tf.Tensor2D; layers: KvCache['layers'] } {
  const { config } = model;
  const [B, Tn] = inputIds.shape;
  const Tp = past?.length ?? 0;
  const H = config.numAttentionHeads;
  const K = config.numKeyValueHeads;
  const D = config.hiddenSize / H;
  const groups = H / K;
  const eps = config.rmsNormEps;
  /** repeat_kv: [B, K, T, D] -> [B, H, T, D], query head h reads kv head floor(h / groups). */
  const kvHeadOf = Array.from({ length: H }, (_, h) => Math.floor(h / groups)); // [H], e.g. [0, 0, 1, 1]
  const repeatKv = (x: tf.Tensor4D): tf.Tensor4D => (groups === 1 ? x : tf.gather(x, kvHeadOf, 1)); // [B, K, T, D] -> [B, H, T, D]

  let x = embeddingLookup(model.embedTokens, tf.reshape(inputIds, [B * Tn])); // [B*Tn, C]
  const { cos, sin } = ropeTable(Tn, D, config.ropeTheta, Tp, config.ropeScaling); // [Tn, D] each, positions Tp..Tp+Tn-1
  const scale = Math.sqrt(D);
  const layers: KvCache['layers'] = [];
  model.layers.forEach((layer, i) => {
    record(x); // hidden_states.i is the input of layer i
    // Attention: RMSNorm, q/k/v (+ Qwen2 biases), RoPE on q and k, GQA, causal softmax, o_proj, residual.
    const h = rmsNorm(x, layer.inputLayerNorm, eps); // [B*Tn, C]
    const q = applyRope(toHeads(linear(h, layer.qProj), B, Tn, H, D), cos, sin); // [B*Tn, H*D] -> [B, H, Tn, D]
    const kNew = applyRope(toHeads(linear(h, layer.kProj), B, Tn, K, D), cos, sin); // [B*Tn, K*D] -> [B, K, Tn, D]
    const vNew = toHeads(linear(h, layer.vProj), B, Tn, K, D); // [B*Tn, K*D] -> [B, K, Tn, D]
    const k = past ? tf.concat([past.layers[i].k, kNew], 2) : kNew; // [B, K, Tp+Tn, D]
    const v = past ? tf.concat([past.layers[i].v, vNew], 2) : vNew; // [B, K, Tp+Tn, D]
    layers.push({ k, v });
    const stock = () => {
      const raw = tf.div(batchMatMul(q, repeatKv(k), false, true), scale); // [B, H, Tn, D] @ [B, H, D, Tp+Tn] -> [B, H, Tn, Tp+Tn]
      const probs = dropout(ctx, tf.softmax(mask ? tf.add(raw, mask) : raw), config.attentionDropout); // [B, H, Tn, Tp+Tn]
      return batchMatMul<tf.Rank.R4>(probs, repeatKv(v)); // [B, H, Tn, Tp+Tn] @ [B, H, Tp+Tn, D] -> [B, H, Tn, D]
    };
    const fused = webGpuKernelsActive() ? tryFusedAttention(ctx, q, repeatKv(k), repeatKv(v), mask, 1 / scale, config.attentionDropout) : null;
    const attended = fromHeads(fused ?? stock(), B, Tn, H, D); // [B, H, Tn, D] -> [B*Tn, H*D]
    const afterAttn = tf.add<tf.Tensor2D>(x, linear(attended, layer.oProj)); // [B*Tn, H*D] @ [H*D, C] -> [B*Tn, C]
    // MLP: RMSNorm, down(silu(gate(x)) * up(x)), residual.
    const h2 = rmsNorm(afterAttn, layer.postAttentionLayerNorm, eps); // [B*Tn, C]
    const gated = tf.mul<tf.Tensor2D>(silu(linear(h2, layer.gateProj)), linear(h2, layer.upProj)); // [B*Tn, C] @ [C, I] -> [B*Tn, I]
    x = tf.add<tf.Tensor2D>(afterAttn, linear(gated, layer.downProj)); // [B*Tn, I] @ [I, C] -> [B*Tn, C]
  });
  x = rmsNorm(x, model.norm, eps); // [B*Tn, C]
  record(x); // the last hidden state is after the final norm
  return { x, layers };
}

/** Llama / Qwen2 as transformers 4.40 (eager). Logits: CAUSAL_LM [B, T, V]; SEQ_CLS [B, L] at the last real token. */
export function forwardLlama(model: LlamaModel, inputs: ModelInputs, options: ForwardOptions = {}): ModelOutput {
  const { config } = model;
  const { B, T, C, ctx, hiddenStates, linear, record } = beginForward(config, inputs, options);
  const mask = causalMask(inputs.attentionMask); // [B, 1, T, T], 0 or float32 min
  const { x } = decodeLlama(model, inputs.inputIds, null, mask, ctx, linear, record);
  const lastHiddenState = tf.reshape(x, [B, T, C]) as tf.Tensor3D; // [B, T, C]
  if (model.task === 'CAUSAL_LM') {
    const logits = tf.reshape(frozenMatMulTransposed(x, model.lmHead!, model.transientPacking), [B, T, config.vocabSize]); // [B*T, C] @ [C, V] -> [B, T, V]
    return { logits, hiddenStates, lastHiddenState };
  }
  const idx = lastTokenIndex(inputs.inputIds, inputs.attentionMask, config.padTokenId); // [B]
  const logits = linear(gatherRows(x, idx, T), model.score!); // [B, C] @ [C, L] -> [B, L]
  return { logits, hiddenStates, lastHiddenState };
}

/** Incremental Llama / Qwen2 LM step (eval, no dropout): the same stack as forwardLlama on new tokens with the cache. Inside tf.tidy. */
export function forwardStepLlama(
  model: LlamaModel,
  inputIds: tf.Tensor2D,
  past: KvCache | null,
  options: Pick<ForwardOptions, 'adapter'> = {},
): DecoderStepOutput {
  const { config } = model;
  if (model.task !== 'CAUSAL_LM') throw new Error('assertion failed: forwardStep needs a CAUSAL_LM model');
  const [B, Tn] = inputIds.shape;
  const Tp = past?.length ?? 0;
  if (Tp + Tn > config.maxTokens) throw new Error(`assertion failed: ${Tp + Tn} tokens exceed max_position_embeddings ${config.maxTokens}`);
  const ctx = createForwardContext(false, 0);
  const linear = (x: tf.Tensor2D, l: Linear) => applyLinear(x, l, options.adapter ?? null, ctx);
  const { x, layers } = decodeLlama(model, inputIds, past, stepCausalMask(Tn, Tp), ctx, linear, () => {});
  const logits = tf.reshape(frozenMatMulTransposed(x, model.lmHead!, model.transientPacking), [B, Tn, config.vocabSize]) as tf.Tensor3D; // [B, Tn, V]
  return { logits, cache: { layers, length: Tp + Tn } };
}
