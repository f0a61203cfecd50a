// GPT2LMHeadModel and GPT2ForSequenceClassification in tfjs-core ops: Conv1D weights ([in, out] as HF stores
// them), pre-LN blocks, tanh GELU, causal mask, tied LM head. tfjs-core, lib/ and model/ only.
// Shapes: B batch, T tokens, C n_embd, H heads, D = C / H, I n_inner, L labels, V vocab.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../../../lib/result';
import type { Gpt2Config, ModelConfig } from '../../config';
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
  geluErf,
  geluTanh,
  lastTokenIndex,
  layerNorm,
  type LayerNormWeights,
  notFamilyError,
  toHeads,
  tryFusedAttention,
  weightsError,
} from '../../layers';
import { stepCausalMask } from '../../kvCache';
import { batchMatMul } from '../../kernels/matmul';
import type { NamedTensor } from '../../safetensors';
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

export type Gpt2BlockWeights = {
  ln1: LayerNormWeights;
  cAttn: Linear; // Conv1D [C, 3C]
  cProjAttn: Linear; // Conv1D [C, C]
  ln2: LayerNormWeights;
  cFc: Linear; // Conv1D [C, I]
  cProjMlp: Linear; // Conv1D [I, C]
};

export type Gpt2Model = SequenceModel & {
  family: 'gpt2';
  config: Gpt2Config;
  wte: tf.Tensor2D; // [V, C], also the tied LM head
  wpe: tf.Tensor2D; // [maxPos, C]
  blocks: Gpt2BlockWeights[];
  lnF: LayerNormWeights;
  /** SEQ_CLS: 'score' [C, L], no bias; null for CAUSAL_LM. */
  score: Linear | null;
};

/** GPT-2 from 'transformer.'-prefixed or bare (hub gpt2) weights; SEQ_CLS gets `score` (fresh when missing). */
export function tryLoadGpt2Model(tensors: Map<string, NamedTensor>, config: ModelConfig, options: LoadModelOptions = {}): Result<Gpt2Model, string> {
  if (config.modelType !== 'gpt2') return err(`model_type "${config.modelType}" is not gpt2.`);
  const task = options.task ?? 'SEQ_CLS';
  const filePrefix = detectPrefix(tensors, 'transformer.', 'wte.weight');
  if (filePrefix === null) return err(notFamilyError(tensors, 'transformer.wte.weight', 'GPT2'));
  const { hiddenSize: C, intermediateSize: I, numLabels: L } = config;
  const r = createWeightReader(tensors, { file: filePrefix, model: 'transformer.' }, options);
  const ln = (path: string): LayerNormWeights => ({ gamma: r.plain(`${path}.weight`, [C]), beta: r.plain(`${path}.bias`, [C]) });
  const conv1d = (path: string, inF: number, outF: number) => r.linear(path, inF, outF, { bias: true, conv1d: true });
  const wte = r.plain<tf.Rank.R2>('wte.weight', [config.vocabSize, C]);
  const wpe = r.plain<tf.Rank.R2>('wpe.weight', [config.maxPositionEmbeddings, C]);
  const blocks: Gpt2BlockWeights[] = [];
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `h.${i}`;
    blocks.push({
      ln1: ln(`${p}.ln_1`),
      cAttn: conv1d(`${p}.attn.c_attn`, C, 3 * C),
      cProjAttn: conv1d(`${p}.attn.c_proj`, C, C),
      ln2: ln(`${p}.ln_2`),
      cFc: conv1d(`${p}.mlp.c_fc`, C, I),
      cProjMlp: conv1d(`${p}.mlp.c_proj`, I, C),
    });
  }
  const lnF = ln('ln_f');
  let score: Linear | null = null;
  let headSource: HeadSource = 'none';
  if (task === 'SEQ_CLS') {
    ({ linear: score, source: headSource } = r.head('score', C, L, { bias: false, std: config.initializerRange, seed: options.seed ?? 0 }));
  }
  if (r.problems.length > 0) {
    tf.dispose(r.created);
    return err(weightsError(r.problems));
  }
  const linears: Linear[] = [];
  for (const b of blocks) linears.push(b.cAttn, b.cProjAttn, b.cFc, b.cProjMlp);
  if (score) linears.push(score);
  const model: Gpt2Model = {
    family: 'gpt2',
    task,
    config,
    wte,
    wpe,
    blocks,
    lnF,
    score,
    headSource,
    transientPacking: options.transientPacking,
    linears,
    headModules: score ? [score] : [],
    forward: (inputs, opts) => forwardGpt2(model, inputs, opts),
    forwardStep: task === 'CAUSAL_LM' ? (ids, past, opts) => forwardStepGpt2(model, ids, past, opts) : undefined,
    dispose: () => tf.dispose(r.created),
  };
  return ok(model);
}

/**
 * The one GPT-2 stack, for the full forward and the KV-cached step alike: new tokens [B, Tn] at positions Tp..
 * (wpe offset), attending to `past` keys/values plus their own under `mask` ([B or 1, 1, Tn, Tp+Tn], or null when
 * every key is visible). Returns the final hidden state [B*Tn, C] (after ln_f) and each layer's k/v. Inside tf.tidy.
 */
function decodeGpt2(
  model: Gpt2Model,
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
  const C = config.hiddenSize;
  const H = config.numAttentionHeads;
  const D = C / H;
  const eps = config.layerNormEps;
  const act = config.hiddenAct === 'gelu' ? geluErf : geluTanh;

  // Embeddings: wte(ids) + wpe(Tp..Tp+Tn-1), dropout.
  const words = tf.reshape(embeddingLookup(model.wte, tf.reshape(inputIds, [B * Tn])), [B, Tn, C]); // [B, Tn, C]
  const positions = tf.slice(model.wpe, [Tp, 0], [Tn, C]); // [Tn, C]
  let x = dropout(ctx, tf.reshape(tf.add(words, positions), [B * Tn, C]), config.embdDropout) as tf.Tensor2D; // [B*Tn, C]
  const layers: KvCache['layers'] = [];
  model.blocks.forEach((block, layerIdx) => {
    record(x); // hidden_states.i is the input of block i
    // Attention: ln_1, c_attn -> q, k, v, causal softmax over past + new keys, c_proj, residual.
    const qkv = linear(layerNorm(x, block.ln1, eps), block.cAttn); // [B*Tn, C] @ [C, 3C] -> [B*Tn, 3C]
    const [qFlat, kFlat, vFlat] = tf.split(qkv, 3, 1) as tf.Tensor2D[]; // 3 x [B*Tn, C]
    const q = toHeads(qFlat, B, Tn, H, D); // [B, H, Tn, D]
    const kNew = toHeads(kFlat, B, Tn, H, D); // [B, H, Tn, D]
    const vNew = toHeads(vFlat, B, Tn, H, D); // [B, H, Tn, D]
    const k = past ? tf.concat([past.layers[layerIdx].k, kNew], 2) : kNew; // [B, H, Tp+Tn, D]
    const v = past ? tf.concat([past.layers[layerIdx].v, vNew], 2) : vNew; // [B, H, Tp+Tn, D]
    layers.push({ k, v });
    const divisor = Math.sqrt(D) * (config.scaleAttnByInverseLayerIdx ? layerIdx + 1 : 1);
    const stock = () => {
      const raw = tf.div(batchMatMul(q, k, false, true), divisor); // [B, H, Tn, D] @ [B, H, D, Tp+Tn] -> [B, H, Tn, Tp+Tn]
      const probs = dropout(ctx, tf.softmax(mask ? tf.add(raw, mask) : raw), config.attnDropout); // [B, H, Tn, Tp+Tn]
      return batchMatMul<tf.Rank.R4>(probs, v); // [B, H, Tn, Tp+Tn] @ [B, H, Tp+Tn, D] -> [B, H, Tn, D]
    };
    const fused = tryFusedAttention(ctx, q, k, v, mask, 1 / divisor, config.attnDropout); // webgpu only
    const attended = fromHeads(fused ?? stock(), B, Tn, H, D); // [B, H, Tn, D] -> [B*Tn, C]
    const attnOut = dropout(ctx, linear(attended, block.cProjAttn), config.residDropout); // [B*Tn, C]
    const h = tf.add<tf.Tensor2D>(x, attnOut); // [B*Tn, C]
    // MLP: ln_2, c_fc, gelu_new, c_proj, residual.
    const inner = act(linear(layerNorm(h, block.ln2, eps), block.cFc)); // [B*Tn, C] @ [C, I] -> [B*Tn, I]
    const mlpOut = dropout(ctx, linear(inner, block.cProjMlp), config.residDropout); // [B*Tn, I] @ [I, C] -> [B*Tn, C]
    x = tf.add<tf.Tensor2D>(h, mlpOut); // [B*Tn, C]
  });
  x = layerNorm(x, model.lnF, eps); // [B*Tn, C]
  record(x); // the last hidden state is after ln_f
  return { x, layers };
}

/** GPT-2 as transformers 4.40 (eager attention). Logits: CAUSAL_LM [B, T, V]; SEQ_CLS [B, L] at the last real token. */
export function forwardGpt2(model: Gpt2Model, inputs: ModelInputs, options: ForwardOptions = {}): ModelOutput {
  const { config } = model;
  const { B, T, C, ctx, hiddenStates, linear, record } = beginForward(config, inputs, options);
  const mask = causalMask(inputs.attentionMask); // [B, 1, T, T], 0 or float32 min
  const { x } = decodeGpt2(model, inputs.inputIds, null, mask, ctx, linear, record);
  const lastHiddenState = tf.reshape(x, [B, T, C]) as tf.Tensor3D; // [B, T, C]
  if (model.task === 'CAUSAL_LM') {
    const logits = tf.reshape(frozenMatMulTransposed(x, model.wte, model.transientPacking), [B, T, config.vocabSize]); // [B*T, C] @ [C, V] -> [B, T, V]
    return { logits, hiddenStates, lastHiddenState };
  }
  const idx = lastTokenIndex(inputs.inputIds, inputs.attentionMask, config.padTokenId); // [B]
  const pooled = gatherRows(x, idx, T); // [B, C]
  const logits = linear(pooled, model.score!); // [B, C] @ [C, L] -> [B, L]
  return { logits, hiddenStates, lastHiddenState };
}

/** Incremental GPT-2 LM step (eval, no dropout): the same stack as forwardGpt2 on new tokens with the cache. Inside tf.tidy. */
export function forwardStepGpt2(
  model: Gpt2Model,
  inputIds: tf.Tensor2D,
  past: KvCache | null,
  options: Pick<ForwardOptions, 'adapter'> = {},
): DecoderStepOutput {
  const { config } = model;
  if (model.task !== 'CAUSAL_LM') throw new Error('assertion failed: forwardStep needs a CAUSAL_LM model');
  const [B, Tn] = inputIds.shape;
  const Tp = past?.length ?? 0;
  if (Tp + Tn > config.maxTokens) throw new Error(`assertion failed: ${Tp + Tn} tokens exceed n_positions ${config.maxTokens}`);
  const ctx = createForwardContext(false, 0);
  const linear = (x: tf.Tensor2D, l: Linear) => applyLinear(x, l, options.adapter ?? null, ctx);
  const { x, layers } = decodeGpt2(model, inputIds, past, stepCausalMask(Tn, Tp), ctx, linear, () => {});
  const logits = tf.reshape(frozenMatMulTransposed(x, model.wte, model.transientPacking), [B, Tn, config.vocabSize]) as tf.Tensor3D; // [B, Tn, V]
  return { logits, cache: { layers, length: Tp + Tn } };
}
