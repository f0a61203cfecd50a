// The whole LoRA training step's loss and gradients for a micro BERT classifier and a micro Llama LM (odd sizes,
// padded batch), on the current backend: run on webgpu (the WGSL kernels inside the models and losses) and on the
// CPU backend, the kernelCheck request compares them. tfjs-core, model/ and train/ only.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../lib/rng';
import { tryParseModelConfig, withLabels } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import { tryCreateLoraAdapter } from '../model/lora';
import { randomBert } from '../model/randomBert';
import { randomLlama } from '../model/randomLlama';
import { computeCausalLmLossAndGrads } from './causalLmStep';
import { computeLossAndGrads } from './classifierStep';

export const STEP_CHECK_FAMILIES = ['bert', 'llama'] as const;

/** Loss and every LoRA/head gradient (by PEFT key) of one step of a micro model; LoRA B starts random, not zero. */
export async function stepArrays(family: (typeof STEP_CHECK_FAMILIES)[number], seed: number): Promise<Record<string, Float32Array>> {
  const llama = family === 'llama';
  const d = { vocabSize: 97, maxPositions: 64, hidden: 24, layers: 2, heads: 3, intermediate: 40 };
  const { tensors, configJson } = llama ? randomLlama(d, seed) : randomBert(d, seed);
  const parsed = tryParseModelConfig(configJson);
  if (!parsed.ok) throw new Error(parsed.error);
  const config = llama ? parsed.value : withLabels(parsed.value, ['a', 'b', 'c']);
  const built = tryLoadModel(tensors, config, { task: llama ? 'CAUSAL_LM' : 'SEQ_CLS', seed, keepBackwardWeights: true });
  if (!built.ok) throw new Error(built.error);
  const model = built.value;
  const lora = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: llama ? ['q_proj', 'v_proj'] : ['query', 'value'], seed });
  if (!lora.ok) throw new Error(lora.error);
  const adapter = lora.value;
  const rng = createRng(seed + 5);
  for (const l of adapter.layers) {
    const b = tf.tensor2d(
      Float32Array.from({ length: l.loraB.size }, () => rng.normal() * 0.3),
      l.loraB.shape,
    );
    l.loraB.assign(b);
    b.dispose();
  }
  const B = 3;
  const T = 11;
  const lengths = [11, 7, 2];
  const inputIds = Int32Array.from({ length: B * T }, () => 1 + Math.floor(rng.next() * 96));
  const attentionMask = Int32Array.from({ length: B * T }, (_, i) => (i % T < lengths[Math.floor(i / T)] ? 1 : 0));
  const labels = llama ? Int32Array.from(inputIds, (id, i) => (attentionMask[i] ? id : -100)) : Int32Array.from([0, 2, 1]);
  const got = tf.tidy(() => {
    const opts = { training: true, seed };
    const r = llama
      ? computeCausalLmLossAndGrads(model, adapter, { B, T, inputIds, attentionMask, labels }, opts)
      : computeLossAndGrads(model, adapter, { B, T, inputIds, attentionMask, labels }, opts);
    return { loss: r.loss, grads: r.grads };
  });
  const out: Record<string, Float32Array> = { loss: Float32Array.from(await got.loss.data()) };
  for (const p of adapter.peftTensors) {
    const g = got.grads[p.variable.name];
    if (g) out[`d ${p.key.replace(/^base_model\.model\./, '')}`] = Float32Array.from(await g.data());
  }
  tf.dispose([got.loss, ...Object.values(got.grads)]);
  adapter.dispose();
  model.dispose();
  return out;
}
