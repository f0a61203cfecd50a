// Tests for the family dispatcher, LoRA target presets, fresh decoder classification heads and hub-style weights.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardReference, loadReferenceFixture, loadReferenceModel, useCpuBackend } from '../test/fixtures';
import { tryParseModelConfig } from './config';
import { taskForArchitecture, tryLoadModel } from './loadModel';
import { tryCreateLoraAdapter } from './lora';
import { exportPeftAdapter } from './peftAdapter';
import { defaultTargetModules, loraTargetPresets } from './targets';

beforeAll(useCpuBackend);

const parse = (json: unknown) => {
  const c = tryParseModelConfig(json);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

describe('tryLoadModel', () => {
  it('dispatches on model_type and refuses tasks a family lacks', () => {
    const fx = loadReferenceFixture('distilbert');
    const lm = tryLoadModel(fx.weights, parse(fx.configJson), { task: 'CAUSAL_LM' });
    expect(!lm.ok && lm.error).toMatch(/distilbert models support SEQ_CLS, not CAUSAL_LM/);
    const gpt2 = loadReferenceFixture('gpt2');
    const wrong = tryLoadModel(fx.weights, parse(gpt2.configJson), { task: 'CAUSAL_LM' });
    expect(!wrong.ok && wrong.error).toMatch(/not a GPT2 checkpoint/);
    expect(taskForArchitecture('GPT2LMHeadModel')).toBe('CAUSAL_LM');
    expect(taskForArchitecture('Qwen2ForCausalLM')).toBe('CAUSAL_LM');
    expect(taskForArchitecture('BertForSequenceClassification')).toBe('SEQ_CLS');
  });

  it('loads hub-style bare GPT-2 keys (no "transformer.") and gives an LM checkpoint a seeded fresh score head', async () => {
    const fx = loadReferenceFixture('gpt2');
    const bare = new Map([...fx.weights].map(([k, v]) => [k.replace(/^transformer\./, ''), v]));
    const config = parse(fx.configJson);
    const lm = tryLoadModel(bare, config, { task: 'CAUSAL_LM' });
    const cls = tryLoadModel(bare, config, { task: 'SEQ_CLS', seed: 3 });
    if (!lm.ok || !cls.ok) throw new Error('load failed');
    expect(cls.value.headSource).toBe('fresh-missing');
    expect(cls.value.headModules.map((h) => [h.path, h.w.shape, h.b])).toEqual([['score', [32, 2], undefined]]);
    expect(lm.value.linears[0].path).toBe('transformer.h.0.attn.c_attn');
    // The classifier pools the token before the first pad (999): rows of length 12, 7, 10, 4.
    const out = tf.tidy(() => {
      const r = forwardReference(cls.value, { ...fx, task: 'SEQ_CLS', batch: { ...fx.batch, labels: Int32Array.from([0, 1, 1, 0]) } });
      const rows = tf.gather(tf.reshape(r.lastHiddenState, [4 * 12, 32]), [11, 12 + 6, 24 + 9, 36 + 3]);
      return [r.logits, tf.matMul(rows, cls.value.headModules[0].w)];
    });
    expect(Array.from(await out[0].data())).toEqual(Array.from(await out[1].data()));
    tf.dispose(out);
    lm.value.dispose();
    cls.value.dispose();
  });

  it('Llama SEQ_CLS: score on the last real token, and PEFT SEQ_CLS export with score', async () => {
    const fx = loadReferenceFixture('llama');
    const model = tryLoadModel(fx.weights, parse(fx.configJson), { seed: 1 });
    if (!model.ok) throw new Error(model.error);
    expect(model.value.task).toBe('SEQ_CLS');
    const adapter = tryCreateLoraAdapter(model.value, {
      r: 2,
      loraAlpha: 4,
      loraDropout: 0,
      targetModules: loraTargetPresets('llama')[2].targetModules,
      seed: 0,
    });
    if (!adapter.ok) throw new Error(adapter.error);
    expect(adapter.value.layers.length).toBe(2 * 7);
    const files = await exportPeftAdapter(adapter.value, { baseModelNameOrPath: 'x/llama' });
    const config = JSON.parse(files['adapter_config.json']);
    expect(config).toMatchObject({ task_type: 'SEQ_CLS', modules_to_save: ['classifier', 'score'], fan_in_fan_out: false });
    adapter.value.dispose();
    model.value.dispose();
  });

  it('keepBackwardWeights gives identical logits for Conv1D and bias-free layers', async () => {
    for (const name of ['gpt2', 'qwen2'] as const) {
      const fx = loadReferenceFixture(name);
      const plain = loadReferenceModel(fx);
      const fast = tryLoadModel(fx.weights, parse(fx.configJson), { task: 'CAUSAL_LM', keepBackwardWeights: true });
      if (!fast.ok) throw new Error(fast.error);
      const [a, b] = [plain, fast.value].map((m) => tf.tidy(() => forwardReference(m, fx, { keepHiddenStates: false }).logits));
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      tf.dispose([a, b]);
      plain.dispose();
      fast.value.dispose();
    }
  });
});

describe('LoRA target presets', () => {
  it('gives PEFT defaults and presets that match real layers of every family', () => {
    expect(defaultTargetModules('distilbert')).toEqual(['q_lin', 'v_lin']);
    expect(defaultTargetModules('gpt2')).toEqual(['c_attn']);
    expect(defaultTargetModules('qwen2')).toEqual(['q_proj', 'v_proj']);
    const counts: Record<string, number[]> = {};
    for (const name of ['bert', 'distilbert', 'roberta', 'gpt2', 'llama'] as const) {
      const fx = loadReferenceFixture(name);
      const model = loadReferenceModel(fx);
      counts[name] = loraTargetPresets(model.family).map((p) => {
        const a = tryCreateLoraAdapter(model, { r: 2, loraAlpha: 2, loraDropout: 0, targetModules: p.targetModules, seed: 0 });
        if (!a.ok) throw new Error(a.error);
        const n = a.value.layers.length;
        expect(a.value.layers.some((l) => model.headModules.some((h) => h.path === l.path))).toBe(false);
        a.value.dispose();
        return n;
      });
      model.dispose();
    }
    expect(counts).toEqual({ bert: [4, 8, 12], distilbert: [4, 8, 12], roberta: [4, 8, 12], gpt2: [2, 4, 8], llama: [4, 8, 14] });
  });
});
