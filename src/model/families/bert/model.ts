// BertForSequenceClassification and RobertaForSequenceClassification in tfjs-core ops: one shared post-LN
// encoder, weight loading from HF names, and the two heads. tfjs-core, lib/ and model/ only.
// Shapes: B batch, T tokens, C hidden, H heads, D = C / H head dim, I intermediate, L labels, V vocab.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../../../lib/result';
import type { BertConfig, ModelConfig } from '../../config';
import {
  beginForward,
  createWeightReader,
  detectPrefix,
  dropout,
  embeddingLookup,
  fromHeads,
  geluErf,
  layerNorm,
  type LayerNormWeights,
  notFamilyError,
  paddingMask,
  toHeads,
  tryFusedAttention,
  weightsError,
} from '../../layers';
import { batchMatMul } from '../../kernels/matmul';
import type { NamedTensor } from '../../safetensors';
import type { AdapterHooks, ForwardOptions, HeadSource, Linear, LoadModelOptions, ModelInputs, ModelOutput, SequenceModel } from '../../types';

export { transpose2d, type LayerNormWeights } from '../../layers';
export type { ForwardContext, Linear } from '../../types';
/** @deprecated use AdapterHooks from model/types. */
export type BertAdapterHooks = AdapterHooks;
export type BertInputs = ModelInputs;
export type BertForwardOptions = ForwardOptions;
export type BertOutput = ModelOutput & { logits: tf.Tensor2D };

export type BertLayerWeights = {
  query: Linear; // [C, C]
  key: Linear; // [C, C]
  value: Linear; // [C, C]
  attentionOutput: Linear; // [C, C]
  attentionLayerNorm: LayerNormWeights;
  intermediate: Linear; // [C, I]
  output: Linear; // [I, C]
  outputLayerNorm: LayerNormWeights;
};

export type BertModel = SequenceModel & {
  family: 'bert' | 'roberta';
  config: BertConfig;
  wordEmbeddings: tf.Tensor2D; // [V, C]
  positionEmbeddings: tf.Tensor2D; // [maxPos, C]
  tokenTypeEmbeddings: tf.Tensor2D; // [typeVocab, C]
  embeddingsLayerNorm: LayerNormWeights;
  layers: BertLayerWeights[];
  /** BERT's pooler (dense + tanh on [CLS]); null for RoBERTa (its head has its own dense). */
  pooler: Linear | null;
  /** RoBERTa's classifier.dense [C, C] (dense + tanh on <s>); null for BERT. */
  classifierDense: Linear | null;
  /** The output layer: BERT 'classifier' [C, L], RoBERTa 'classifier.out_proj' [C, L]. */
  classifier: Linear;
};

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Build a BERT or RoBERTa classifier from HF weights (…ForSequenceClassification names, or a bare base model
 * without the 'bert.' / 'roberta.' prefix). A missing head, or one with another number of labels than
 * config.numLabels, is replaced by a fresh head (normal(0, initializer_range), zero bias; seeded).
 */
export function tryLoadBertModel(tensors: Map<string, NamedTensor>, config: ModelConfig, options: LoadModelOptions = {}): Result<BertModel, string> {
  if (config.modelType !== 'bert' && config.modelType !== 'roberta') {
    return err(`tryLoadBertModel: model_type "${config.modelType}" is not BERT or RoBERTa; use tryLoadModel.`);
  }
  if ((options.task ?? 'SEQ_CLS') !== 'SEQ_CLS') return err(`${config.modelType} supports only SEQ_CLS (sequence classification).`);
  const family = config.modelType;
  const modelPrefix = `${family}.`;
  const probe = 'embeddings.word_embeddings.weight';
  const filePrefix = detectPrefix(tensors, modelPrefix, probe);
  if (filePrefix === null) return err(notFamilyError(tensors, modelPrefix + probe, family === 'bert' ? 'BERT' : 'RoBERTa'));
  const { hiddenSize: C, intermediateSize: I, numLabels: L } = config;
  const r = createWeightReader(tensors, { file: filePrefix, model: modelPrefix }, options);
  const layerNormAt = (path: string): LayerNormWeights => ({ gamma: r.plain(`${path}.weight`, [C]), beta: r.plain(`${path}.bias`, [C]) });
  const linear = (path: string, inF: number, outF: number) => r.linear(path, inF, outF, { bias: true });

  const wordEmbeddings = r.plain<tf.Rank.R2>('embeddings.word_embeddings.weight', [config.vocabSize, C]);
  const positionEmbeddings = r.plain<tf.Rank.R2>('embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, C]);
  const tokenTypeEmbeddings = r.plain<tf.Rank.R2>('embeddings.token_type_embeddings.weight', [config.typeVocabSize, C]);
  const embeddingsLayerNorm = layerNormAt('embeddings.LayerNorm');
  const layers: BertLayerWeights[] = [];
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}`;
    layers.push({
      query: linear(`${p}.attention.self.query`, C, C),
      key: linear(`${p}.attention.self.key`, C, C),
      value: linear(`${p}.attention.self.value`, C, C),
      attentionOutput: linear(`${p}.attention.output.dense`, C, C),
      attentionLayerNorm: layerNormAt(`${p}.attention.output.LayerNorm`),
      intermediate: linear(`${p}.intermediate.dense`, C, I),
      output: linear(`${p}.output.dense`, I, C),
      outputLayerNorm: layerNormAt(`${p}.output.LayerNorm`),
    });
  }
  const headOpts = { bias: true, std: config.initializerRange, seed: options.seed ?? 0 };
  let pooler: Linear | null = null;
  let classifierDense: Linear | null = null;
  let classifier: Linear;
  let headSource: HeadSource;
  let freshPooler = false;
  if (family === 'bert') {
    if (r.has(`${filePrefix}pooler.dense.weight`)) pooler = linear('pooler.dense', C, C);
    else {
      // BertForMaskedLM checkpoints have no pooler: HF creates a fresh one (N(0, initializer_range), zero bias).
      // It is trained and saved with the head (modules_to_save 'pooler'), so PEFT restores the same pooler.
      pooler = r.head(`${modelPrefix}pooler.dense`, C, C, { ...headOpts, seed: headOpts.seed + 2 }).linear;
      freshPooler = true;
    }
    ({ linear: classifier, source: headSource } = r.head('classifier', C, L, headOpts));
  } else {
    const dense = r.head('classifier.dense', C, C, headOpts);
    const out = r.head('classifier.out_proj', C, L, { ...headOpts, seed: headOpts.seed + 1 });
    classifierDense = dense.linear;
    classifier = out.linear;
    headSource = out.source !== 'checkpoint' ? out.source : dense.source;
  }
  if (r.problems.length > 0) {
    tf.dispose(r.created);
    return err(weightsError(r.problems));
  }
  const linears: Linear[] = [];
  for (const l of layers) linears.push(l.query, l.key, l.value, l.attentionOutput, l.intermediate, l.output);
  if (pooler) linears.push(pooler);
  if (classifierDense) linears.push(classifierDense);
  linears.push(classifier);
  const model: BertModel = {
    family,
    task: 'SEQ_CLS',
    config,
    wordEmbeddings,
    positionEmbeddings,
    tokenTypeEmbeddings,
    embeddingsLayerNorm,
    layers,
    pooler,
    classifierDense,
    classifier,
    headSource,
    linears,
    headModules: classifierDense ? [classifierDense, classifier] : freshPooler && pooler ? [pooler, classifier] : [classifier],
    extraModulesToSave: freshPooler ? ['pooler'] : undefined,
    forward: (inputs, opts) => forwardBert(model, inputs, opts),
    dispose: () => tf.dispose(r.created),
  };
  return ok(model);
}

// ---------------------------------------------------------------------------------------------
// Forward pass (call inside tf.tidy; nothing here disposes)

/** Logits and hidden states of Bert/RobertaForSequenceClassification, as HF computes them (eager attention). */
export function forwardBert(model: BertModel, inputs: ModelInputs, options: ForwardOptions = {}): BertOutput {
  const { config } = model;
  const { B, T, C, H, D, ctx, hiddenStates, linear, record } = beginForward(config, inputs, options);
  const eps = config.layerNormEps;

  // Embeddings: word + token_type + position (HF's summation order), then LayerNorm.
  const ids = tf.reshape(inputs.inputIds, [B * T]); // [B*T]
  const typeIds = inputs.tokenTypeIds ? tf.reshape(inputs.tokenTypeIds, [B * T]) : tf.zeros([B * T], 'int32'); // [B*T]
  const words = embeddingLookup(model.wordEmbeddings, ids); // [B*T, C]
  const types = tf.gather(model.tokenTypeEmbeddings, typeIds); // [B*T, C]
  let embedded: tf.Tensor3D;
  if (model.family === 'roberta') {
    // RoBERTa: position ids = padding_idx + cumsum(ids != pad) on real tokens, padding_idx on pads.
    const notPad = tf.cast(tf.notEqual(inputs.inputIds, config.padTokenId), 'int32'); // [B, T]
    const positionIds = tf.cast(tf.add(tf.mul(tf.cumsum(notPad, 1), notPad), config.padTokenId), 'int32'); // [B, T]
    const positions = tf.gather(model.positionEmbeddings, tf.reshape(positionIds, [B * T])); // [B*T, C]
    embedded = tf.reshape(tf.add(tf.add(words, types), positions), [B, T, C]); // [B, T, C]
  } else {
    const positions = tf.slice(model.positionEmbeddings, [0, 0], [T, C]); // [T, C], position ids = arange(T)
    embedded = tf.add(tf.reshape(tf.add(words, types), [B, T, C]), positions); // [B, T, C]
  }
  let x = dropout(ctx, layerNorm(tf.reshape(embedded, [B * T, C]), model.embeddingsLayerNorm, eps), config.hiddenDropoutProb); // [B*T, C]
  record(x);

  const additiveMask = paddingMask(inputs.attentionMask); // [B, 1, 1, T], broadcast over heads and queries
  const scale = 1 / Math.sqrt(D);
  for (const layer of model.layers) {
    // Self-attention.
    const q = toHeads(linear(x, layer.query), B, T, H, D); // [B*T, C] -> [B, H, T, D]
    const k = toHeads(linear(x, layer.key), B, T, H, D); // [B, H, T, D]
    const v = toHeads(linear(x, layer.value), B, T, H, D); // [B, H, T, D]
    const stock = () => {
      const scores = tf.add(tf.mul(batchMatMul(q, k, false, true), scale), additiveMask); // [B, H, T, D] @ [B, H, D, T] -> [B, H, T, T]
      const probs = dropout(ctx, tf.softmax(scores), config.attentionProbsDropoutProb); // [B, H, T, T]
      return batchMatMul<tf.Rank.R4>(probs, v); // [B, H, T, T] @ [B, H, T, D] -> [B, H, T, D]
    };
    const attended = tryFusedAttention(ctx, q, k, v, additiveMask, scale, config.attentionProbsDropoutProb) ?? stock(); // [B, H, T, D]
    const merged = fromHeads(attended, B, T, H, D); // [B, H, T, D] -> [B*T, C]
    const attnOut = dropout(ctx, linear(merged, layer.attentionOutput), config.hiddenDropoutProb); // [B*T, C]
    const h = layerNorm(tf.add(attnOut, x), layer.attentionLayerNorm, eps); // [B*T, C], post-LN residual
    // Feed-forward.
    const inner = geluErf(linear(h, layer.intermediate)); // [B*T, C] @ [C, I] -> [B*T, I]
    const ffOut = dropout(ctx, linear(inner, layer.output), config.hiddenDropoutProb); // [B*T, I] @ [I, C] -> [B*T, C]
    x = layerNorm(tf.add(ffOut, h), layer.outputLayerNorm, eps); // [B*T, C]
    record(x);
  }

  const lastHiddenState = tf.reshape(x, [B, T, C]) as tf.Tensor3D; // [B*T, C] -> [B, T, C]
  const first = tf.reshape<tf.Rank.R2>(tf.slice(lastHiddenState, [0, 0, 0], [B, 1, C]), [B, C]); // [B, C], [CLS] / <s>
  let pooled: tf.Tensor2D;
  if (model.pooler) {
    // BERT: pooler dense + tanh, dropout, classifier.
    pooled = dropout(ctx, tf.tanh(linear(first, model.pooler)), config.classifierDropout); // [B, C]
  } else {
    // RoBERTa head: dropout, dense, tanh, dropout, out_proj.
    const dense = linear(dropout(ctx, first, config.classifierDropout), model.classifierDense!); // [B, C] @ [C, C] -> [B, C]
    pooled = dropout(ctx, tf.tanh(dense), config.classifierDropout); // [B, C]
  }
  const logits = linear(pooled, model.classifier); // [B, C] @ [C, L] -> [B, L]
  return { logits, hiddenStates, lastHiddenState };
}

/** Mean of the hidden vectors of real tokens: [B, T, C] with mask [B, T] -> [B, C] (sentence embeddings). */
export function meanPoolHidden(hidden: tf.Tensor3D, attentionMask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const mask = tf.expandDims(tf.cast(attentionMask, 'float32'), 2); // [B, T, 1]
    const summed = tf.sum(tf.mul(hidden, mask), 1); // [B, C]
    const counts = tf.maximum(tf.sum(mask, 1), 1e-9); // [B, 1]
    return tf.div(summed, counts) as tf.Tensor2D;
  });
}
