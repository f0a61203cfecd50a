// DistilBertForSequenceClassification in tfjs-core ops: weights from HF names and one readable forward pass.
// tfjs-core, lib/ and model/ only. Shapes: B batch, T tokens, C dim, H heads, D = C / H, I hidden_dim, L labels.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../../../lib/result';
import type { DistilBertConfig, ModelConfig } from '../../config';
import {
  beginForward,
  createWeightReader,
  detectPrefix,
  dropout,
  embeddingLookup,
  FLOAT32_MIN,
  fromHeads,
  geluErf,
  layerNorm,
  type LayerNormWeights,
  notFamilyError,
  toHeads,
  weightsError,
} from '../../layers';
import { batchMatMul } from '../../kernels/matmul';
import type { NamedTensor } from '../../safetensors';
import type { ForwardOptions, Linear, LoadModelOptions, ModelInputs, ModelOutput, SequenceModel } from '../../types';

export type DistilBertLayerWeights = {
  qLin: Linear; // [C, C]
  kLin: Linear; // [C, C]
  vLin: Linear; // [C, C]
  outLin: Linear; // [C, C]
  saLayerNorm: LayerNormWeights;
  lin1: Linear; // [C, I]
  lin2: Linear; // [I, C]
  outputLayerNorm: LayerNormWeights;
};

export type DistilBertModel = SequenceModel & {
  family: 'distilbert';
  config: DistilBertConfig;
  wordEmbeddings: tf.Tensor2D; // [V, C]
  positionEmbeddings: tf.Tensor2D; // [maxPos, C]
  embeddingsLayerNorm: LayerNormWeights;
  layers: DistilBertLayerWeights[];
  preClassifier: Linear; // [C, C], 'pre_classifier'
  classifier: Linear; // [C, L], 'classifier'
};

/** DistilBERT from 'distilbert.'-prefixed (…ForSequenceClassification / MaskedLM) or bare weights; fresh head when missing. */
export function tryLoadDistilBertModel(
  tensors: Map<string, NamedTensor>,
  config: ModelConfig,
  options: LoadModelOptions = {},
): Result<DistilBertModel, string> {
  if (config.modelType !== 'distilbert') return err(`model_type "${config.modelType}" is not distilbert.`);
  if ((options.task ?? 'SEQ_CLS') !== 'SEQ_CLS') return err('distilbert supports only SEQ_CLS (sequence classification).');
  const probe = 'embeddings.word_embeddings.weight';
  const filePrefix = detectPrefix(tensors, 'distilbert.', probe);
  if (filePrefix === null) return err(notFamilyError(tensors, `distilbert.${probe}`, 'DistilBERT'));
  const { hiddenSize: C, intermediateSize: I, numLabels: L } = config;
  const r = createWeightReader(tensors, { file: filePrefix, model: 'distilbert.' }, options);
  const ln = (path: string): LayerNormWeights => ({ gamma: r.plain(`${path}.weight`, [C]), beta: r.plain(`${path}.bias`, [C]) });
  const linear = (path: string, inF: number, outF: number) => r.linear(path, inF, outF, { bias: true });
  const layers: DistilBertLayerWeights[] = [];
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `transformer.layer.${i}`;
    layers.push({
      qLin: linear(`${p}.attention.q_lin`, C, C),
      kLin: linear(`${p}.attention.k_lin`, C, C),
      vLin: linear(`${p}.attention.v_lin`, C, C),
      outLin: linear(`${p}.attention.out_lin`, C, C),
      saLayerNorm: ln(`${p}.sa_layer_norm`),
      lin1: linear(`${p}.ffn.lin1`, C, I),
      lin2: linear(`${p}.ffn.lin2`, I, C),
      outputLayerNorm: ln(`${p}.output_layer_norm`),
    });
  }
  const wordEmbeddings = r.plain<tf.Rank.R2>('embeddings.word_embeddings.weight', [config.vocabSize, C]);
  const positionEmbeddings = r.plain<tf.Rank.R2>('embeddings.position_embeddings.weight', [config.maxPositionEmbeddings, C]);
  const embeddingsLayerNorm = ln('embeddings.LayerNorm');
  const headOpts = { bias: true, std: config.initializerRange, seed: options.seed ?? 0 };
  const pre = r.head('pre_classifier', C, C, headOpts);
  const cls = r.head('classifier', C, L, { ...headOpts, seed: headOpts.seed + 1 });
  if (r.problems.length > 0) {
    tf.dispose(r.created);
    return err(weightsError(r.problems));
  }
  const linears: Linear[] = [];
  for (const l of layers) linears.push(l.qLin, l.kLin, l.vLin, l.outLin, l.lin1, l.lin2);
  linears.push(pre.linear, cls.linear);
  const model: DistilBertModel = {
    family: 'distilbert',
    task: 'SEQ_CLS',
    config,
    wordEmbeddings,
    positionEmbeddings,
    embeddingsLayerNorm,
    layers,
    preClassifier: pre.linear,
    classifier: cls.linear,
    // PEFT matches modules_to_save by plain suffix: 'pre_classifier' ends with 'classifier', so both are saved.
    headModules: [pre.linear, cls.linear],
    headSource: cls.source !== 'checkpoint' ? cls.source : pre.source,
    linears,
    forward: (inputs, opts) => forwardDistilBert(model, inputs, opts),
    dispose: () => tf.dispose(r.created),
  };
  return ok(model);
}

/** DistilBertForSequenceClassification as transformers 4.40 (eager attention, masked_fill with float32 min). */
export function forwardDistilBert(model: DistilBertModel, inputs: ModelInputs, options: ForwardOptions = {}): ModelOutput & { logits: tf.Tensor2D } {
  const { config } = model;
  const { B, T, C, H, D, ctx, hiddenStates, linear, record } = beginForward(config, inputs, options);
  const eps = config.layerNormEps;

  // Embeddings: word + position (arange), LayerNorm, dropout.
  const words = tf.reshape(embeddingLookup(model.wordEmbeddings, tf.reshape(inputs.inputIds, [B * T])), [B, T, C]); // [B, T, C]
  const positions = tf.slice(model.positionEmbeddings, [0, 0], [T, C]); // [T, C]
  let x = dropout(ctx, layerNorm(tf.reshape(tf.add(words, positions), [B * T, C]), model.embeddingsLayerNorm, eps), config.hiddenDropoutProb); // [B*T, C]
  record(x);

  // scores.masked_fill(mask == 0, finfo.min): keep real keys, fill padded ones.
  const keyIsReal = tf.reshape(tf.cast(inputs.attentionMask, 'bool'), [B, 1, 1, T]); // [B, 1, 1, T]
  const scale = 1 / Math.sqrt(D);
  for (const layer of model.layers) {
    const q = tf.mul(toHeads(linear(x, layer.qLin), B, T, H, D), scale); // [B, H, T, D], q / sqrt(D) before the matmul
    const k = toHeads(linear(x, layer.kLin), B, T, H, D); // [B, H, T, D]
    const v = toHeads(linear(x, layer.vLin), B, T, H, D); // [B, H, T, D]
    const raw = batchMatMul(q, k, false, true); // [B, H, T, D] @ [B, H, D, T] -> [B, H, T, T]
    const scores = tf.where(tf.broadcastTo(keyIsReal, raw.shape), raw, tf.fill(raw.shape, FLOAT32_MIN)); // [B, H, T, T]
    const probs = dropout(ctx, tf.softmax(scores), config.attentionProbsDropoutProb); // [B, H, T, T]
    const context = fromHeads(batchMatMul(probs, v), B, T, H, D); // [B, H, T, T] @ [B, H, T, D] -> [B*T, C]
    const sa = layerNorm(tf.add(linear(context, layer.outLin), x), layer.saLayerNorm, eps); // [B*T, C], post-LN
    const inner = geluErf(linear(sa, layer.lin1)); // [B*T, C] @ [C, I] -> [B*T, I]
    const ffn = dropout(ctx, linear(inner, layer.lin2), config.hiddenDropoutProb); // [B*T, I] @ [I, C] -> [B*T, C]
    x = layerNorm(tf.add(ffn, sa), layer.outputLayerNorm, eps); // [B*T, C]
    record(x);
  }

  const lastHiddenState = tf.reshape(x, [B, T, C]) as tf.Tensor3D; // [B, T, C]
  const first = tf.reshape<tf.Rank.R2>(tf.slice(lastHiddenState, [0, 0, 0], [B, 1, C]), [B, C]); // [B, C], [CLS]
  const pre = dropout(ctx, tf.relu(linear(first, model.preClassifier)), config.classifierDropout); // [B, C] @ [C, C] -> [B, C]
  const logits = linear(pre, model.classifier); // [B, C] @ [C, L] -> [B, L]
  return { logits, hiddenStates, lastHiddenState };
}
