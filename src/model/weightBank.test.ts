// The shared device weights: JS data released, models built from the bank match models built from JS weights, and
// neither a model's dispose nor full fine-tuning frees the bank.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardReference, loadReferenceFixture, useCpuBackend, type ReferenceFolder } from '../test/fixtures';
import { tryParseModelConfig, withLabels } from './config';
import { tryLoadModel } from './loadModel';
import { tryCreateLoraAdapter } from './lora';
import { tryApplyStrategy } from './strategy';
import { defaultTargetModules } from './targets';
import { bankBytes, bankUsable, bankWeights, disposeBank } from './weightBank';

beforeAll(useCpuBackend);

const parse = (json: unknown) => {
  const c = tryParseModelConfig(json);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

const logitsOf = (folder: ReferenceFolder, bank?: Map<string, tf.Tensor>, keepBackwardWeights = false) => {
  const fx = loadReferenceFixture(folder);
  return { fx, config: parse(fx.configJson), bank, keepBackwardWeights };
};

describe('bankWeights', () => {
  for (const folder of ['bert', 'gpt2', 'qwen2'] as const) {
    it(`${folder}: releases the JS copy and builds models equal to the JS-built one`, () => {
      const { fx, config } = logitsOf(folder);
      const reference = tryLoadModel(loadReferenceFixture(folder).weights, config, { task: fx.task });
      if (!reference.ok) throw new Error(reference.error);
      const expected = tf.tidy(() => forwardReference(reference.value, fx).logits.arraySync());
      reference.value.dispose();

      const jsBytes = [...fx.weights.values()].reduce((a, t) => a + t.data.byteLength, 0);
      const banked = bankWeights(fx.weights, config);
      if (!banked.ok) throw new Error(banked.error);
      const { bank } = banked.value;
      const left = [...fx.weights.values()].reduce((a, t) => a + t.data.byteLength, 0);
      expect(left).toBe(0); // every fixture tensor is read by some task: nothing stays in JS
      expect(bankBytes(bank)).toBe(jsBytes); // one device copy, no more
      const before = tf.memory().numTensors;
      for (const keep of [false, true]) {
        const m = tryLoadModel(fx.weights, config, { task: fx.task, bank, keepBackwardWeights: keep });
        if (!m.ok) throw new Error(m.error);
        const got = tf.tidy(() => forwardReference(m.value, fx).logits.arraySync());
        expect(got).toEqual(expected); // same values, read from the device instead of JS
        m.value.dispose();
      }
      expect(tf.memory().numTensors).toBe(before); // a model's dispose leaves the bank alone
      expect(bankUsable(banked.value)).toBe(true);
      disposeBank(bank);
      expect(tf.memory().numTensors).toBe(before - [...fx.weights.keys()].length);
    });
  }

  it('full fine-tuning trains its own variables and leaves the bank intact for the next run', () => {
    const fx = loadReferenceFixture('bert');
    const config = withLabels(parse(fx.configJson), ['a', 'b']);
    const banked = bankWeights(fx.weights, config);
    if (!banked.ok) throw new Error(banked.error);
    const { bank } = banked.value;
    const key = 'bert.embeddings.word_embeddings.weight';
    const original = bank.get(key)!.arraySync();
    const m = tryLoadModel(fx.weights, config, { bank, seed: 1 });
    if (!m.ok) throw new Error(m.error);
    const lora = tryCreateLoraAdapter(m.value, { r: 2, loraAlpha: 4, loraDropout: 0, targetModules: defaultTargetModules(m.value.family), seed: 1 });
    if (!lora.ok) throw new Error(lora.error);
    const applied = tryApplyStrategy(m.value, lora.value, 'full');
    if (!applied.ok) throw new Error(applied.error);
    const v = lora.value.trainableVariables.find((x) => x.shape.join() === bank.get(key)!.shape.join())!;
    v.assign(tf.zerosLike(v));
    lora.value.dispose();
    m.value.dispose();
    expect(bank.get(key)!.isDisposed).toBe(false);
    expect(bank.get(key)!.arraySync()).toEqual(original);
    disposeBank(bank);
  });

  it('says when a tensor was released and no bank holds it', () => {
    const fx = loadReferenceFixture('bert');
    const config = parse(fx.configJson);
    const banked = bankWeights(fx.weights, config);
    if (!banked.ok) throw new Error(banked.error);
    disposeBank(banked.value.bank);
    const again = tryLoadModel(fx.weights, config, {});
    expect(!again.ok && again.error).toMatch(/released from memory; load the model again/);
  });
});
