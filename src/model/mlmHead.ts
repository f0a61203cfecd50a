// The masked-LM head of a BERT / RoBERTa / DistilBERT checkpoint (transform dense + GELU + LayerNorm, decoder tied
// to the word embeddings, output bias), for the forgetting probe's pseudo-perplexity. tfjs-core and model/ only.
import * as tf from '@tensorflow/tfjs-core';
import { geluErf, layerNorm, transpose2d, type LayerNormWeights } from './layers';
import type { NamedTensor } from './safetensors';
import type { SequenceModel } from './types';

export type MlmHead = {
  /** Which checkpoint layout it came from, e.g. 'cls.predictions'. */
  source: string;
  dense: { w: tf.Tensor2D; b: tf.Tensor1D }; // [C, C] as [in, out], [C]
  layerNorm: LayerNormWeights;
  bias: tf.Tensor1D; // [V]
  eps: number;
  dispose(): void;
};

/** HF names of the three MLM heads: BertForMaskedLM, RobertaForMaskedLM, DistilBertForMaskedLM. */
const MLM_LAYOUTS = [
  { source: 'cls.predictions', dense: 'cls.predictions.transform.dense', norm: 'cls.predictions.transform.LayerNorm', bias: 'cls.predictions.bias' },
  { source: 'lm_head', dense: 'lm_head.dense', norm: 'lm_head.layer_norm', bias: 'lm_head.bias' },
  { source: 'vocab_transform', dense: 'vocab_transform', norm: 'vocab_layer_norm', bias: 'vocab_projector.bias' },
] as const;

// A released tensor (its values moved to the device bank, model/weightBank.ts) has empty data: not usable here.
const fits = (t: NamedTensor | undefined, shape: number[]): t is NamedTensor =>
  !!t && t.shape.join() === shape.join() && t.data.length === t.shape.reduce((a, d) => a * d, 1);

/** The checkpoint's MLM head, or null when it has none (then the probe falls back to embedding drift). */
export function findMlmHead(tensors: Map<string, NamedTensor>, dims: { C: number; V: number; eps: number }): MlmHead | null {
  const { C, V } = dims;
  for (const l of MLM_LAYOUTS) {
    const get = (name: string) =>
      tensors.get(name) ?? tensors.get(name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'));
    const [w, b, g, beta, bias] = [`${l.dense}.weight`, `${l.dense}.bias`, `${l.norm}.weight`, `${l.norm}.bias`, l.bias].map(get);
    if (!fits(w, [C, C]) || !fits(b, [C]) || !fits(g, [C]) || !fits(beta, [C]) || !fits(bias, [V])) continue;
    const created = [
      tf.tensor2d(transpose2d(w.data, C, C), [C, C]), // HF [out, in] -> [in, out]
      tf.tensor1d(b.data),
      tf.tensor1d(g.data),
      tf.tensor1d(beta.data),
      tf.tensor1d(bias.data),
    ] as const;
    return {
      source: l.source,
      dense: { w: created[0], b: created[1] },
      layerNorm: { gamma: created[2], beta: created[3] },
      bias: created[4],
      eps: dims.eps,
      dispose: () => tf.dispose([...created]),
    };
  }
  return null;
}

/** Token logits at the given hidden vectors: [N, C] -> [N, V] (HF's BertLMPredictionHead). Call inside tf.tidy. */
export function mlmLogits(head: MlmHead, hidden: tf.Tensor2D, wordEmbeddings: tf.Tensor2D): tf.Tensor2D {
  const h = geluErf(tf.add(tf.matMul(hidden, head.dense.w), head.dense.b)); // [N, C] @ [C, C] -> [N, C]
  const normed = layerNorm(h, head.layerNorm, head.eps); // [N, C]
  return tf.add(tf.matMul(normed, wordEmbeddings, false, true), head.bias); // [N, C] @ [C, V] -> [N, V]
}

/** The word-embedding table [V, C] of an encoder model (the MLM decoder is tied to it), or null. */
export function wordEmbeddingsOf(model: SequenceModel): tf.Tensor2D | null {
  const w = (model as SequenceModel & { wordEmbeddings?: tf.Tensor2D }).wordEmbeddings;
  return w ?? null;
}
