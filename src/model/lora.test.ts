// Tests for LoRA: a fresh adapter is the identity, PEFT key names and shapes, strength, target matching.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardFixtureBatch, loadBertFixture, useCpuBackend } from '../test/fixtures';
import { tryLoadBertModel, type BertModel } from './families/bert/model';
import { tryParseBertConfig } from './config';
import { isTargetModule, mergeLoraWeights, tryCreateLoraAdapter, type LoraAdapter } from './lora';

const fx = loadBertFixture();
let model: BertModel;

const evaluateLogits = (m: BertModel, adapter: LoraAdapter | null, batch: typeof fx.batch) =>
  tf.tidy(() => forwardFixtureBatch(m, batch, { adapter, keepHiddenStates: false }).logits);

beforeAll(async () => {
  await useCpuBackend();
  const config = tryParseBertConfig(fx.configJson);
  if (!config.ok) throw new Error(config.error);
  const loaded = tryLoadBertModel(fx.weights, config.value);
  if (!loaded.ok) throw new Error(loaded.error);
  model = loaded.value;
});

describe('LoRA adapter', () => {
  it('a fresh adapter (B = 0) gives exactly the base logits', async () => {
    const adapter = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0.1, targetModules: ['query', 'value'], seed: 1 });
    expect(adapter.ok).toBe(true);
    if (!adapter.ok) return;
    const base = evaluateLogits(model, null, fx.batch);
    const withAdapter = evaluateLogits(model, adapter.value, fx.batch);
    const a = await base.data();
    const b = await withAdapter.data();
    const maxAbs = Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));
    console.log(`[check] fresh adapter vs base logits: max abs ${maxAbs}`);
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose([base, withAdapter]);
    adapter.value.dispose();
  });

  it('uses PEFT key names and shapes, and only A, B and the head are trainable', () => {
    const adapter = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['query', 'value'], seed: 1 });
    if (!adapter.ok) throw new Error(adapter.error);
    const keys = Object.fromEntries(adapter.value.peftTensors.map((p) => [p.key, p.peftShape]));
    expect(keys).toEqual(fx.adapterExpected.adapter_keys);
    expect(adapter.value.trainableVariables.length).toBe(10);
    expect(adapter.value.scaling).toBe(2);
    expect(adapter.value.layers[0].loraA.shape).toEqual([32, 4]); // [in, r]
    expect(adapter.value.layers[0].loraB.shape).toEqual([4, 32]); // [r, out]
    adapter.value.dispose();
  });

  it('initialises A like nn.Linear (U(-1/sqrt(in), 1/sqrt(in))), seeded, and B at zero', async () => {
    const make = () => tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['query'], seed: 42 });
    const a = make();
    const b = make();
    if (!a.ok || !b.ok) throw new Error('create failed');
    const aData = await a.value.layers[0].loraA.data();
    expect(Math.max(...Array.from(aData, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(32));
    expect(Array.from(aData)).toEqual(Array.from(await b.value.layers[0].loraA.data()));
    expect(Array.from(await a.value.layers[0].loraB.data()).every((x) => x === 0)).toBe(true);
    a.value.dispose();
    b.value.dispose();
  });

  it('matches target modules by suffix like PEFT, never the head', () => {
    expect(isTargetModule('bert.encoder.layer.0.attention.self.query', ['query'])).toBe(true);
    expect(isTargetModule('bert.encoder.layer.0.attention.output.dense', ['dense'])).toBe(true);
    expect(isTargetModule('bert.encoder.layer.0.attention.output.dense', ['output.dense'])).toBe(true);
    expect(isTargetModule('bert.encoder.layer.0.attention.self.query', ['uery'])).toBe(false);
    expect(isTargetModule('bert.encoder.layer.1.attention.self.key', '.*\\.1\\..*key')).toBe(true);
    const dense = tryCreateLoraAdapter(model, { r: 2, loraAlpha: 2, loraDropout: 0, targetModules: ['dense'], seed: 0 });
    if (!dense.ok) throw new Error(dense.error);
    expect(dense.value.layers.map((l) => l.path)).toContain('bert.pooler.dense');
    expect(dense.value.layers.length).toBe(2 * 3 + 1);
    dense.value.dispose();
    const none = tryCreateLoraAdapter(model, { r: 2, loraAlpha: 2, loraDropout: 0, targetModules: ['q_proj'], seed: 0 });
    expect(!none.ok && none.error).toMatch(/match no Linear/);
  });

  it('strength 0 switches the LoRA update off; merge returns HF-layout weights', async () => {
    const adapter = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['query'], seed: 3 });
    if (!adapter.ok) throw new Error(adapter.error);
    const ad = adapter.value;
    tf.tidy(() => ad.layers[0].loraB.assign(tf.onesLike(ad.layers[0].loraB)));
    const on = evaluateLogits(model, ad, fx.batch);
    ad.strength = 0;
    const off = evaluateLogits(model, ad, fx.batch);
    const base = evaluateLogits(model, null, fx.batch);
    expect(Array.from(await off.data())).toEqual(Array.from(await base.data()));
    expect(Array.from(await on.data())).not.toEqual(Array.from(await base.data()));
    ad.strength = 1;
    const merged = mergeLoraWeights(model, ad);
    expect([...merged.keys()].sort()).toEqual([
      'bert.encoder.layer.0.attention.self.query.weight',
      'bert.encoder.layer.1.attention.self.query.weight',
      'classifier.bias',
      'classifier.weight',
    ]);
    expect(merged.get('classifier.weight')!.shape).toEqual([3, 32]);
    tf.dispose([on, off, base, ...merged.values()]);
    ad.dispose();
  });
});
