// BertForSequenceClassification in tfjs-core ops: weight loading from HF names and one readable forward pass.
// Depends only on tfjs-core, lib/ and model/ (config, safetensors types); never on React, DOM, train/ or tfjs-layers.
// Shapes: B batch, T tokens, C hidden, H heads, D = C / H head dim, I intermediate, L labels, V vocab.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../lib/result';
import { createRng } from '../lib/rng';
import type { BertConfig } from './config';
import type { NamedTensor } from './safetensors';

/** A frozen nn.Linear, kept transposed so y = x @ w + b is a plain 2-D matMul. */
export type Linear = {
  /** HF module path, e.g. 'bert.encoder.layer.0.attention.self.query' (LoRA targets match on it). */
  path: string;
  w: tf.Tensor2D; // [in, out] (HF stores [out, in])
  b: tf.Tensor1D; // [out]
  /** Optional copy in HF layout [out, in]: the backward pass then uses dx = dy @ wHf, a plain matMul. */
  wHf?: tf.Tensor2D;
};
export type LayerNormWeights = { gamma: tf.Tensor1D; beta: tf.Tensor1D }; // [C], [C]

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

export type BertModel = {
  config: BertConfig;
  wordEmbeddings: tf.Tensor2D; // [V, C]
  positionEmbeddings: tf.Tensor2D; // [maxPos, C]
  tokenTypeEmbeddings: tf.Tensor2D; // [typeVocab, C]
  embeddingsLayerNorm: LayerNormWeights;
  layers: BertLayerWeights[];
  pooler: Linear; // [C, C]
  classifier: Linear; // [C, L]
  /** Where the head came from: the checkpoint, or a seeded fresh init (missing, or other num_labels). */
  headSource: 'checkpoint' | 'fresh-missing' | 'fresh-mismatched';
  /** Every Linear of the model, pooler and classifier included, in module order. */
  linears: Linear[];
  dispose(): void;
};

/** What an adapter (LoRA) plugs into the forward pass; model/ knows nothing else about it. */
export type BertAdapterHooks = {
  /** Extra output for the Linear at `path` given its input x [N, in]: [N, out], or null. */
  linearDelta(path: string, x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D | null;
  /** A trainable copy of the classification head (PEFT modules_to_save), or null for the base head. */
  classifierHead(): { w: tf.Tensor2D; b: tf.Tensor1D } | null;
};

export type ForwardContext = {
  training: boolean;
  /** A fresh seed for each dropout call, so a step is repeatable for a given step seed. */
  nextSeed(): number;
};

export type BertInputs = {
  inputIds: tf.Tensor2D; // int32 [B, T]
  attentionMask: tf.Tensor2D; // [B, T], 1 = real token, 0 = padding
  tokenTypeIds?: tf.Tensor2D; // int32 [B, T], all 0 when absent
};

export type BertForwardOptions = {
  adapter?: BertAdapterHooks | null;
  /** Training mode turns dropout on (base dropouts from the config, LoRA dropout from the adapter). */
  training?: boolean;
  seed?: number;
  /** Keep hidden_states (embeddings output + each layer), as HF's output_hidden_states. Default true. */
  keepHiddenStates?: boolean;
};

export type BertOutput = {
  logits: tf.Tensor2D; // [B, L]
  hiddenStates: tf.Tensor3D[]; // numHiddenLayers + 1 entries of [B, T, C], or [] when not kept
  lastHiddenState: tf.Tensor3D; // [B, T, C]
};

const FLOAT32_MIN = -3.4028234663852886e38; // torch.finfo(torch.float32).min

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Build a model from HF weights (BertForSequenceClassification names, or a bare BertModel without
 * the 'bert.' prefix). A missing classifier, or one with another number of labels than
 * config.numLabels, is replaced by a fresh head (normal(0, initializer_range), zero bias; seeded).
 */
export function tryLoadBertModel(
  tensors: Map<string, NamedTensor>,
  config: BertConfig,
  options: {
    /** Seeds a fresh classification head. */
    seed?: number;
    /**
     * Also keep each frozen Linear weight in HF layout [out, in] so the backward pass multiplies without
     * transposing (about 2.5x faster steps on WASM, see shared/notes/perf-baseline.md) at twice the
     * memory for those weights. Outputs and gradients are unchanged.
     */
    keepBackwardWeights?: boolean;
  } = {},
): Result<BertModel, string> {
  const prefix = tensors.has('bert.embeddings.word_embeddings.weight')
    ? 'bert.'
    : tensors.has('embeddings.word_embeddings.weight')
      ? ''
      : null;
  if (prefix === null) {
    const some = [...tensors.keys()].slice(0, 5).join(', ');
    return err(
      `weights: no "bert.embeddings.word_embeddings.weight" in the checkpoint (found ${some || 'no tensors'}); ` +
        'this is not a BERT checkpoint, pick a model whose config says model_type "bert".',
    );
  }
  const { hiddenSize: C, intermediateSize: I, numLabels: L } = config;
  const created: tf.Tensor[] = [];
  const problems: string[] = [];

  const read = (name: string, shape: number[]): NamedTensor | null => {
    const t = tensors.get(name) ?? tensors.get(name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'));
    if (!t) {
      problems.push(`missing "${name}"`);
      return null;
    }
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      problems.push(`"${name}" has shape [${t.shape}], expected [${shape}]`);
      return null;
    }
    return t;
  };
  const plain = <R extends tf.Rank>(name: string, shape: number[]): tf.Tensor<R> => {
    const t = read(name, shape);
    const tensor = tf.tensor(t ? t.data : new Float32Array(shape.reduce((a, d) => a * d, 1)), shape, 'float32');
    created.push(tensor);
    return tensor as tf.Tensor<R>;
  };
  const linear = (path: string, inF: number, outF: number, hfPath = prefix + path): Linear => {
    const w = read(`${hfPath}.weight`, [outF, inF]);
    const wT = tf.tensor2d(w ? transpose2d(w.data, outF, inF) : new Float32Array(inF * outF), [inF, outF]);
    created.push(wT);
    const l: Linear = { path: `bert.${path}`, w: wT, b: plain<tf.Rank.R1>(`${hfPath}.bias`, [outF]) };
    if (options.keepBackwardWeights && w) {
      l.wHf = tf.tensor2d(w.data, [outF, inF]);
      created.push(l.wHf);
    }
    return l;
  };
  const layerNorm = (path: string): LayerNormWeights => ({
    gamma: plain(`${prefix}${path}.weight`, [C]),
    beta: plain(`${prefix}${path}.bias`, [C]),
  });

  const wordEmbeddings = plain<tf.Rank.R2>(`${prefix}embeddings.word_embeddings.weight`, [config.vocabSize, C]);
  const positionEmbeddings = plain<tf.Rank.R2>(`${prefix}embeddings.position_embeddings.weight`, [config.maxPositionEmbeddings, C]);
  const tokenTypeEmbeddings = plain<tf.Rank.R2>(`${prefix}embeddings.token_type_embeddings.weight`, [config.typeVocabSize, C]);
  const embeddingsLayerNorm = layerNorm('embeddings.LayerNorm');
  const layers: BertLayerWeights[] = [];
  for (let i = 0; i < config.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}`;
    layers.push({
      query: linear(`${p}.attention.self.query`, C, C),
      key: linear(`${p}.attention.self.key`, C, C),
      value: linear(`${p}.attention.self.value`, C, C),
      attentionOutput: linear(`${p}.attention.output.dense`, C, C),
      attentionLayerNorm: layerNorm(`${p}.attention.output.LayerNorm`),
      intermediate: linear(`${p}.intermediate.dense`, C, I),
      output: linear(`${p}.output.dense`, I, C),
      outputLayerNorm: layerNorm(`${p}.output.LayerNorm`),
    });
  }
  const pooler = linear('pooler.dense', C, C);

  let headSource: BertModel['headSource'] = 'checkpoint';
  const headW = tensors.get('classifier.weight');
  const headB = tensors.get('classifier.bias');
  let classifier: Linear;
  if (headW && headB && headW.shape.join() === `${L},${C}` && headB.shape.join() === `${L}`) {
    classifier = linear('', C, L, 'classifier');
  } else {
    headSource = headW ? 'fresh-mismatched' : 'fresh-missing';
    classifier = freshLinear(C, L, config.initializerRange, options.seed ?? 0);
    created.push(classifier.w, classifier.b);
  }
  classifier.path = 'classifier';

  if (problems.length > 0) {
    tf.dispose(created);
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
    return err(`weights: the checkpoint does not match config.json: ${shown}. Use the config.json that came with these weights.`);
  }
  const linears: Linear[] = [];
  for (const l of layers) linears.push(l.query, l.key, l.value, l.attentionOutput, l.intermediate, l.output);
  linears.push(pooler, classifier);
  return ok({
    config,
    wordEmbeddings,
    positionEmbeddings,
    tokenTypeEmbeddings,
    embeddingsLayerNorm,
    layers,
    pooler,
    classifier,
    headSource,
    linears,
    dispose: () => tf.dispose(created),
  });
}

/** A fresh head like HF's _init_weights: weight ~ N(0, initializerRange), bias 0. */
function freshLinear(inF: number, outF: number, std: number, seed: number): Linear {
  const rng = createRng(seed);
  const w = new Float32Array(inF * outF);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
  return { path: 'classifier', w: tf.tensor2d(w, [inF, outF]), b: tf.zeros([outF]) as tf.Tensor1D };
}

/** Row-major [rows, cols] -> [cols, rows]. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Forward pass (call inside tf.tidy; nothing here disposes)

/** Logits and hidden states of BertForSequenceClassification, as HF computes them (eager attention). */
export function forwardBert(model: BertModel, inputs: BertInputs, options: BertForwardOptions = {}): BertOutput {
  const { config } = model;
  const [B, T] = inputs.inputIds.shape;
  const C = config.hiddenSize;
  const H = config.numAttentionHeads;
  const D = C / H;
  if (T > config.maxPositionEmbeddings) {
    throw new Error(`assertion failed: ${T} tokens exceed max_position_embeddings ${config.maxPositionEmbeddings}`);
  }
  let seedCounter = 0;
  const baseSeed = options.seed ?? 0;
  const ctx: ForwardContext = {
    training: options.training ?? false,
    nextSeed: () => baseSeed * 7919 + ++seedCounter,
  };
  const adapter = options.adapter ?? null;
  const keepHidden = options.keepHiddenStates ?? true;
  const hiddenStates: tf.Tensor3D[] = [];

  const dropout = <T extends tf.Tensor>(x: T, rate: number): T =>
    ctx.training && rate > 0 ? (tf.dropout(x, rate, undefined, ctx.nextSeed()) as T) : x;
  const linear = (x: tf.Tensor2D, l: Linear): tf.Tensor2D => {
    const y = l.wHf ? frozenLinear(x, l.w, l.b, l.wHf) : (tf.add(tf.matMul(x, l.w), l.b) as tf.Tensor2D); // [N, in] @ [in, out] -> [N, out]
    const delta = adapter?.linearDelta(l.path, x, ctx) ?? null; // [N, out]
    return delta ? tf.add(y, delta) : y;
  };
  const layerNorm = (x: tf.Tensor2D, ln: LayerNormWeights): tf.Tensor2D => {
    const { mean, variance } = tf.moments(x, -1, true); // [N, 1] each (biased variance, as torch)
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, config.layerNormEps)));
    return tf.add(tf.mul(normed, ln.gamma), ln.beta) as tf.Tensor2D; // [N, C]
  };
  const gelu = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))); // exact erf GELU
  const toHeads = (x: tf.Tensor2D): tf.Tensor4D => tf.transpose(tf.reshape(x, [B, T, H, D]), [0, 2, 1, 3]); // [B*T, C] -> [B, H, T, D]
  const record = (x: tf.Tensor2D) => {
    if (keepHidden) hiddenStates.push(tf.reshape(x, [B, T, C])); // [B*T, C] -> [B, T, C]
  };

  // Embeddings: word + token_type + position (HF's summation order), then LayerNorm.
  const ids = tf.reshape(inputs.inputIds, [B * T]); // [B*T]
  const typeIds = inputs.tokenTypeIds ? tf.reshape(inputs.tokenTypeIds, [B * T]) : tf.zeros([B * T], 'int32');
  const words = tf.gather(model.wordEmbeddings, ids); // [B*T, C]
  const types = tf.gather(model.tokenTypeEmbeddings, typeIds); // [B*T, C]
  const positions = tf.slice(model.positionEmbeddings, [0, 0], [T, C]); // [T, C], position ids = arange(T)
  const embedded = tf.add(tf.reshape(tf.add(words, types), [B, T, C]), positions); // [B, T, C]
  let x = dropout(layerNorm(tf.reshape(embedded, [B * T, C]), model.embeddingsLayerNorm), config.hiddenDropoutProb); // [B*T, C]
  record(x);

  // Additive mask: 0 for real keys, float32 min for padded keys.
  const keyMask = tf.mul(tf.sub(1, tf.cast(inputs.attentionMask, 'float32')), FLOAT32_MIN); // [B, T]
  const additiveMask = tf.reshape(keyMask, [B, 1, 1, T]); // [B, 1, 1, T], broadcast over heads and queries
  const scale = 1 / Math.sqrt(D);

  for (const layer of model.layers) {
    // Self-attention.
    const q = toHeads(linear(x, layer.query)); // [B, H, T, D]
    const k = toHeads(linear(x, layer.key)); // [B, H, T, D]
    const v = toHeads(linear(x, layer.value)); // [B, H, T, D]
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), additiveMask); // [B, H, T, D] @ [B, H, D, T] -> [B, H, T, T]
    const probs = dropout(tf.softmax(scores), config.attentionProbsDropoutProb); // [B, H, T, T]
    const attended = tf.matMul(probs, v); // [B, H, T, T] @ [B, H, T, D] -> [B, H, T, D]
    const merged = tf.reshape<tf.Rank.R2>(tf.transpose(attended, [0, 2, 1, 3]), [B * T, C]); // [B, T, H, D] -> [B*T, C]
    const attnOut = dropout(linear(merged, layer.attentionOutput), config.hiddenDropoutProb); // [B*T, C]
    const h = layerNorm(tf.add(attnOut, x), layer.attentionLayerNorm); // [B*T, C], post-LN residual
    // Feed-forward.
    const inner = gelu(linear(h, layer.intermediate)); // [B*T, I]
    const ffOut = dropout(linear(inner, layer.output), config.hiddenDropoutProb); // [B*T, C]
    x = layerNorm(tf.add(ffOut, h), layer.outputLayerNorm); // [B*T, C]
    record(x);
  }

  const lastHiddenState = tf.reshape(x, [B, T, C]) as tf.Tensor3D; // [B, T, C]
  // Pooler: dense + tanh on the first ([CLS]) token; then the classification head.
  const first = tf.reshape<tf.Rank.R2>(tf.slice(lastHiddenState, [0, 0, 0], [B, 1, C]), [B, C]); // [B, C]
  const pooled = dropout(tf.tanh(linear(first, model.pooler)), config.classifierDropout); // [B, C]
  const head = adapter?.classifierHead() ?? model.classifier;
  const logits = linear(pooled, { path: 'classifier', w: head.w, b: head.b }); // [B, C] @ [C, L] -> [B, L]
  return { logits, hiddenStates, lastHiddenState };
}

/** x @ w + b with a gradient for x only (w, b are frozen), computed as dy @ wHf without a transposed matMul. */
function frozenLinear(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, wHf: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad<tf.Tensor2D>((...args) => ({
    value: tf.add(tf.matMul(args[0] as tf.Tensor2D, w), b), // [N, in] @ [in, out] -> [N, out]
    gradFunc: (dy) => [tf.matMul(dy, wHf)], // [N, out] @ [out, in] -> [N, in]
  }));
  return f(x);
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
