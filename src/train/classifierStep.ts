// One training step of a LoRA-adapted sequence classifier (any family, task SEQ_CLS): loss, gradients of the
// adapter only, clip, AdamW. Depends only on tfjs-core, model/ and lib/; no readbacks (no dataSync) inside a step.
import * as tf from '@tensorflow/tfjs-core';
// NOTE: tfjs-core registers no gradients by itself (the @tensorflow/tfjs umbrella does this import).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { LoraAdapter } from '../model/lora';
import type { ModelInputs, SequenceModel } from '../model/types';
import type { AdamW } from './adamw';
import { softmaxCrossEntropy } from './loss';

/** A tokenized batch, row-major: B sequences of T tokens. */
export type ClassifierBatch = {
  inputIds: Int32Array; // [B*T]
  attentionMask: Int32Array | Float32Array | Uint8Array; // [B*T], 1 = real token
  tokenTypeIds?: Int32Array; // [B*T], zeros when absent
  labels: Int32Array; // [B], class ids
  B: number;
  T: number;
};

export type StepOptions = {
  /** Dropout on (base dropouts and LoRA dropout). */
  training: boolean;
  /** Seeds the dropout masks of this step; use the step index. */
  seed: number;
};

export type TrainStepOptions = {
  lr: number;
  seed: number;
  /** Clip the gradients to this global L2 norm first (torch clip_grad_norm_), if set. */
  maxGradNorm?: number;
  /** Defaults to true. */
  training?: boolean;
};

/** The batch as tensors (call inside tf.tidy). */
export function batchToTensors(batch: ClassifierBatch): ModelInputs & { labels: tf.Tensor1D } {
  const { B, T } = batch;
  return {
    inputIds: tf.tensor2d(batch.inputIds, [B, T], 'int32'),
    attentionMask: tf.tensor2d(Float32Array.from(batch.attentionMask), [B, T], 'float32'),
    tokenTypeIds: batch.tokenTypeIds ? tf.tensor2d(batch.tokenTypeIds, [B, T], 'int32') : undefined,
    labels: tf.tensor1d(batch.labels, 'int32'),
  };
}

/**
 * Mean cross-entropy and its gradient for exactly the adapter's trainable variables (grads keyed by
 * variable.name). Call inside tf.tidy; the frozen base weights get no gradient.
 */
export function computeLossAndGrads(
  model: SequenceModel,
  adapter: LoraAdapter,
  batch: ClassifierBatch,
  options: StepOptions,
): { loss: tf.Scalar; grads: tf.NamedTensorMap } {
  assertClassifier(model);
  const inputs = batchToTensors(batch);
  const { value, grads } = tf.variableGrads(() => {
    const { logits } = model.forward(inputs, {
      adapter,
      training: options.training,
      seed: options.seed,
      keepHiddenStates: false,
    });
    return softmaxCrossEntropy(logits as tf.Tensor2D, inputs.labels);
  }, adapter.trainableVariables);
  return { loss: value, grads };
}

/** Scale all gradients so their global L2 norm is at most maxNorm (torch: coef = max/(norm+1e-6), clamped to 1). */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(tf.addN(squares)); // scalar
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1); // scalar
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, coef)]));
}

/**
 * forward + backward + optional clipping + AdamW update, all in one tf.tidy. Returns the loss before the
 * update as a kept scalar: read it with `await loss.data()` when needed, then `loss.dispose()`.
 */
export function trainStep(model: SequenceModel, adapter: LoraAdapter, optimizer: AdamW, batch: ClassifierBatch, options: TrainStepOptions): tf.Scalar {
  return tf.tidy(() => {
    const { loss, grads } = computeLossAndGrads(model, adapter, batch, {
      training: options.training ?? true,
      seed: options.seed,
    });
    const clipped = options.maxGradNorm != null ? clipByGlobalNorm(grads, options.maxGradNorm) : grads;
    optimizer.step(clipped, options.lr);
    return loss;
  });
}

/** Logits [B, L] without gradients or dropout (eval). The caller disposes the result. */
export function evaluateLogits(model: SequenceModel, adapter: LoraAdapter | null, batch: ClassifierBatch): tf.Tensor2D {
  assertClassifier(model);
  return tf.tidy(() => model.forward(batchToTensors(batch), { adapter, training: false, keepHiddenStates: false }).logits as tf.Tensor2D);
}

/** Mean eval loss (a kept scalar, like trainStep's) and logits [B, L]; the caller disposes both. */
export function evaluateBatch(model: SequenceModel, adapter: LoraAdapter | null, batch: ClassifierBatch): { loss: tf.Scalar; logits: tf.Tensor2D } {
  assertClassifier(model);
  return tf.tidy(() => {
    const inputs = batchToTensors(batch);
    const logits = model.forward(inputs, { adapter, training: false, keepHiddenStates: false }).logits as tf.Tensor2D;
    return { loss: softmaxCrossEntropy(logits, inputs.labels), logits };
  });
}

function assertClassifier(model: SequenceModel): void {
  if (model.task !== 'SEQ_CLS') throw new Error(`assertion failed: a ${model.task} model has no classifier step; use train/causalLmStep`);
}
