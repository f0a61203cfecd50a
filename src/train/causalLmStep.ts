// One training step of a LoRA-adapted causal LM (gpt2, llama, qwen2 with task CAUSAL_LM): next-token loss
// with -100 masking, gradients of the adapter only, clip, AdamW. tfjs-core, model/ and lib/; no readbacks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { LoraAdapter } from '../model/lora';
import type { ModelInputs, SequenceModel } from '../model/types';
import type { AdamW } from './adamw';
import { IGNORE_INDEX, causalLmLoss } from './causalLmLoss';
import { clipByGlobalNorm, type StepOptions, type TrainStepOptions } from './classifierStep';

/** A tokenized LM batch, row-major: B right-padded sequences of T tokens; labels as HF's (unshifted, -100 = no loss). */
export type CausalLmBatch = {
  inputIds: Int32Array; // [B*T]
  attentionMask: Int32Array | Float32Array | Uint8Array; // [B*T], 1 = real token
  labels: Int32Array; // [B*T], usually input_ids with -100 on padding (and on a prompt)
  B: number;
  T: number;
};

/** HF-style labels: input_ids, with -100 on padding and on the first `promptLength` tokens of each row. */
export function causalLmLabels(inputIds: Int32Array, attentionMask: ArrayLike<number>, promptLength = 0, T = inputIds.length): Int32Array {
  return inputIds.map((id, i) => (attentionMask[i] === 1 && i % T >= promptLength ? id : IGNORE_INDEX));
}

function toInputs(batch: CausalLmBatch): ModelInputs {
  const { B, T } = batch;
  return {
    inputIds: tf.tensor2d(batch.inputIds, [B, T], 'int32'),
    attentionMask: tf.tensor2d(Float32Array.from(batch.attentionMask), [B, T], 'float32'),
  };
}

function assertCausalLm(model: SequenceModel): void {
  if (model.task !== 'CAUSAL_LM') throw new Error(`assertion failed: a ${model.task} model has no LM head; load it with task CAUSAL_LM`);
}

/** Loss and its gradient for exactly the adapter's trainable variables (keyed by variable.name). Call inside tf.tidy. */
export function computeCausalLmLossAndGrads(
  model: SequenceModel,
  adapter: LoraAdapter,
  batch: CausalLmBatch,
  options: StepOptions,
): { loss: tf.Scalar; grads: tf.NamedTensorMap } {
  assertCausalLm(model);
  const inputs = toInputs(batch);
  const { value, grads } = tf.variableGrads(() => {
    const { logits } = model.forward(inputs, { adapter, training: options.training, seed: options.seed, keepHiddenStates: false });
    return causalLmLoss(logits as tf.Tensor3D, batch.labels);
  }, adapter.trainableVariables);
  return { loss: value, grads };
}

/** forward + backward + optional clipping + AdamW, in one tf.tidy; returns the loss before the update (caller disposes). */
export function causalLmTrainStep(model: SequenceModel, adapter: LoraAdapter, optimizer: AdamW, batch: CausalLmBatch, options: TrainStepOptions): tf.Scalar {
  return tf.tidy(() => {
    const { loss, grads } = computeCausalLmLossAndGrads(model, adapter, batch, { training: options.training ?? true, seed: options.seed });
    optimizer.step(options.maxGradNorm != null ? clipByGlobalNorm(grads, options.maxGradNorm) : grads, options.lr);
    return loss;
  });
}

/** Eval loss (kept scalar) and logits [B, T, V] without dropout; the caller disposes both. */
export function evaluateCausalLm(model: SequenceModel, adapter: LoraAdapter | null, batch: CausalLmBatch): { loss: tf.Scalar; logits: tf.Tensor3D } {
  assertCausalLm(model);
  return tf.tidy(() => {
    const logits = model.forward(toInputs(batch), { adapter, training: false, keepHiddenStates: false }).logits as tf.Tensor3D;
    return { loss: causalLmLoss(logits, batch.labels), logits };
  });
}
