// The forgetting probe on tiny reference models: with an all-zero adapter (B = 0) or strength 0 the value equals
// the base exactly; after hard training on unrelated text it rises. Perplexity (GPT-2), pseudo-perplexity (BERT
// with a synthetic MLM head), embedding drift (BERT without one).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../lib/rng';
import { tryParseModelConfig } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import { tryCreateLoraAdapter, type LoraAdapter } from '../model/lora';
import { findMlmHead } from '../model/mlmHead';
import type { NamedTensor } from '../model/safetensors';
import type { SequenceModel } from '../model/types';
import { loadReferenceFixture, loadReferenceModel, useCpuBackend } from '../test/fixtures';
import { createTrainerParts, disposeParts, loadTinyBertClassifier, syntheticExamples } from '../test/tinyTraining';
import { createAdamW } from './adamw';
import { padBatch } from './batches';
import { trainStep } from './classifierStep';
import { createForgettingProbe, type ForgettingProbe } from './forgettingProbe';
import { PROBE_SENTENCES } from './probeSentences';

beforeAll(async () => {
  await useCpuBackend();
});

/** A stand-in tokenizer: each lower-cased word to a stable id in [200, 999]. */
const wordId = (w: string) => 200 + ([...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 800);
const words = (s: string) => s.toLowerCase().match(/[a-z']+/g) ?? [];
const SENTENCES = PROBE_SENTENCES.slice(0, 60);
const bertTokens = SENTENCES.map((s) => [101, ...words(s).map(wordId), 102]);
const gptTokens = SENTENCES.map((s) => words(s).map(wordId));

describe('probe sentences', () => {
  it('ships about 200 distinct short sentences', () => {
    expect(PROBE_SENTENCES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(PROBE_SENTENCES).size).toBe(PROBE_SENTENCES.length);
    expect(Math.max(...PROBE_SENTENCES.map((s) => words(s).length))).toBeLessThanOrEqual(16);
  });
});

/** Probe value with the adapter at B = 0, at strength 0, and after `train` (strength 1). */
async function zeroStrengthAndTrained(probe: ForgettingProbe, adapter: LoraAdapter, train: () => void) {
  const zeroB = await probe.measure(adapter);
  train();
  adapter.strength = 0;
  const strength0 = await probe.measure(adapter);
  adapter.strength = 1;
  const trained = await probe.measure(adapter);
  return { zeroB, strength0, trained };
}

/** Hard classifier training on random labels over tokens the probe barely uses. */
function trainClassifierHard(model: SequenceModel, adapter: LoraAdapter) {
  const optimizer = createAdamW(adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })));
  const batch = padBatch(syntheticExamples(16, { seed: 9, numClasses: 3, vocab: [110, 199] }), 0);
  for (let s = 0; s < 30; s++) trainStep(model, adapter, optimizer, batch, { lr: 3e-2, seed: s }).dispose();
  optimizer.dispose();
}

describe('forgetting probe, encoder without an MLM head (embedding drift)', () => {
  it('is exactly 0 for a zero adapter and strength 0, and rises after hard training', async () => {
    const model = loadTinyBertClassifier(3);
    const probe = await createForgettingProbe({ model, sentences: bertTokens, padTokenId: 0 });
    expect(probe.kind).toBe('embedding-drift');
    expect(probe.base).toBe(0);
    const parts = createTrainerParts(model);
    const before = tf.memory().numTensors;
    const v = await zeroStrengthAndTrained(probe, parts.adapter, () => trainClassifierHard(model, parts.adapter));
    console.log(`[check] embedding drift: zero-B ${v.zeroB}, strength 0 ${v.strength0}, trained ${v.trained.toFixed(4)}`);
    expect(v.zeroB).toBe(0);
    expect(v.strength0).toBe(0);
    expect(v.trained).toBeGreaterThan(0.01);
    await probe.measure(parts.adapter);
    expect(tf.memory().numTensors).toBe(before);
    probe.dispose();
    disposeParts(parts);
    model.dispose();
  });
});

/** The bert reference weights plus a seeded random BertForMaskedLM head (cls.predictions.*). */
function withSyntheticMlmHead(weights: Map<string, NamedTensor>): Map<string, NamedTensor> {
  const rng = createRng(3);
  const rand = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal() * std);
  const t = (shape: number[], data: Float32Array) => ({ shape, data, dtype: 'F32' }) as unknown as NamedTensor;
  return new Map([
    ...weights,
    ['cls.predictions.transform.dense.weight', t([32, 32], rand(32 * 32, 0.15))],
    ['cls.predictions.transform.dense.bias', t([32], rand(32, 0.02))],
    [
      'cls.predictions.transform.LayerNorm.weight',
      t(
        [32],
        Float32Array.from({ length: 32 }, () => 1),
      ),
    ],
    ['cls.predictions.transform.LayerNorm.bias', t([32], new Float32Array(32))],
    ['cls.predictions.bias', t([1000], rand(1000, 0.02))],
  ]);
}

describe('forgetting probe, encoder with an MLM head (pseudo-perplexity)', () => {
  it('equals the base for a zero adapter and strength 0, and moves after hard training', async () => {
    const fx = loadReferenceFixture('bert');
    const weights = withSyntheticMlmHead(fx.weights);
    const config = tryParseModelConfig(fx.configJson);
    if (!config.ok) throw new Error(config.error);
    const model = tryLoadModel(weights, config.value, { task: 'SEQ_CLS' });
    if (!model.ok) throw new Error(model.error);
    const head = findMlmHead(weights, { C: 32, V: 1000, eps: 1e-12 });
    expect(head?.source).toBe('cls.predictions');
    expect(findMlmHead(fx.weights, { C: 32, V: 1000, eps: 1e-12 })).toBeNull();
    const probe = await createForgettingProbe({
      model: model.value,
      sentences: bertTokens.slice(0, 20),
      padTokenId: 0,
      mlm: { head: head!, maskTokenId: 103 },
    });
    expect(probe.kind).toBe('pseudo-perplexity');
    const parts = createTrainerParts(model.value);
    const v = await zeroStrengthAndTrained(probe, parts.adapter, () => trainClassifierHard(model.value, parts.adapter));
    console.log(
      `[check] pseudo-perplexity: base ${probe.base.toFixed(3)}, zero-B ${v.zeroB.toFixed(3)}, strength 0 ${v.strength0.toFixed(3)}, trained ${v.trained.toFixed(3)}`,
    );
    expect(probe.base).toBeGreaterThan(1);
    expect(v.zeroB).toBe(probe.base);
    expect(v.strength0).toBe(probe.base);
    expect(Math.abs(v.trained - probe.base) / probe.base).toBeGreaterThan(1e-3);
    head!.dispose();
    disposeParts(parts);
    model.value.dispose();
  });
});

describe('forgetting probe, decoder (perplexity)', () => {
  it('equals the base for a zero adapter and strength 0, and rises after hard training on unrelated text', async () => {
    const model = loadReferenceModel(loadReferenceFixture('gpt2')); // CAUSAL_LM
    const probe = await createForgettingProbe({ model, sentences: gptTokens, padTokenId: 0 });
    expect(probe.kind).toBe('perplexity');
    const created = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0, targetModules: ['c_attn', 'c_proj', 'c_fc'], seed: 0 });
    if (!created.ok) throw new Error(created.error);
    const adapter = created.value;
    const train = () => {
      // "Unrelated text": token 10 over and over, which the probe sentences never use. The loss is a dense one-hot
      // cross-entropy: causalLmLoss's flat gather has a very slow gradient on the CPU backend.
      const optimizer = createAdamW(adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })));
      const [B, T, V] = [4, 12, 1000];
      for (let s = 0; s < 30; s++) {
        tf.tidy(() => {
          const inputs = { inputIds: tf.fill([B, T], 10, 'int32') as tf.Tensor2D, attentionMask: tf.ones([B, T]) as tf.Tensor2D };
          const { grads } = tf.variableGrads(() => {
            const logits = model.forward(inputs, { adapter, keepHiddenStates: false }).logits; // [B, T, V]
            const logp = tf.logSoftmax(tf.reshape(logits, [B * T, V])); // [B*T, V]
            return tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.oneHot(tf.fill([B * T], 10, 'int32') as tf.Tensor1D, V)), 1))) as tf.Scalar;
          }, adapter.trainableVariables);
          optimizer.step(grads, 3e-2);
        });
      }
      optimizer.dispose();
    };
    const v = await zeroStrengthAndTrained(probe, adapter, train);
    console.log(
      `[check] perplexity: base ${probe.base.toFixed(2)}, zero-B ${v.zeroB.toFixed(2)}, strength 0 ${v.strength0.toFixed(2)}, trained ${v.trained.toFixed(2)}`,
    );
    expect(v.zeroB).toBe(probe.base);
    expect(v.strength0).toBe(probe.base);
    // The tiny random GPT-2 (wte std 0.02) cannot get confident, so perplexity saturates near +19% here.
    expect(v.trained).toBeGreaterThan(probe.base * 1.1);
    adapter.dispose();
    model.dispose();
  });
});
