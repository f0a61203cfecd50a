// The family registry: every family's tensor table is exactly what its loader reads (random weights made from the
// table load with no problem, and the model's tensors hold that many parameters), buffers are skipped, a BERT
// without pooler gets a fresh one (trained, saved as modules_to_save), and a llama3-scaled decoder runs, its KV step
// equal to its full forward.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpointWeights } from '../checkpoint';
import { tryParseModelConfig, withLabels, type LlamaConfig, type ModelConfig } from '../config';
import { tryLoadModel } from '../loadModel';
import { tryCreateLoraAdapter } from '../lora';
import { configParameterCount } from '../memoryEstimate';
import { buildPeftLoraConfig } from '../peftAdapter';
import { serializeSafetensors } from '../safetensors';
import { defaultTargetModules } from '../targets';
import { FAMILIES, family } from '.';
import { randomWeights } from './random';
import { loadedElementCount } from './tables';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small = { vocab_size: 50, max_position_embeddings: 16, num_hidden_layers: 2, num_attention_heads: 2, hidden_size: 8, intermediate_size: 16 };
const CONFIGS: Record<string, Record<string, unknown>> = {
  bert: { model_type: 'bert', ...small },
  roberta: { model_type: 'roberta', ...small, max_position_embeddings: 20 },
  distilbert: { model_type: 'distilbert', vocab_size: 50, max_position_embeddings: 16, n_layers: 2, n_heads: 2, dim: 8, hidden_dim: 16 },
  gpt2: { model_type: 'gpt2', vocab_size: 50, n_positions: 16, n_layer: 2, n_head: 2, n_embd: 8 },
  llama: { model_type: 'llama', ...small, num_key_value_heads: 1, rope_theta: 10000 },
  qwen2: { model_type: 'qwen2', ...small, num_key_value_heads: 1, rope_theta: 10000, tie_word_embeddings: true },
};

const parse = (json: Record<string, unknown>): ModelConfig => {
  const c = tryParseModelConfig(json);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

/** float32 elements allocated since `before` (the model's tensors; tied heads once). */
function modelParameterCount(before: number): number {
  return tf.memory().numBytes / 4 - before;
}

describe('family registry', () => {
  it('lists each family once, with tasks, LoRA presets and a tokenizer quirk set', () => {
    expect(FAMILIES.map((f) => f.modelType)).toEqual(['bert', 'roberta', 'distilbert', 'gpt2', 'llama', 'qwen2']);
    for (const f of FAMILIES) {
      expect(f.tasks).toContain('SEQ_CLS');
      expect(defaultTargetModules(f.modelType as never)).toEqual([...f.loraTargets.default]);
      expect(f.tasks.includes('CAUSAL_LM')).toBe(f.kind === 'decoder');
    }
  });

  for (const [name, json] of Object.entries(CONFIGS)) {
    it(`${name}: random weights from the table load cleanly, and the table counts what the loader builds`, () => {
      const config = withLabels(parse(json), ['a', 'b', 'c']);
      const tensors = randomWeights(config, 3, 0.02);
      const f = family(config.modelType);
      const before = tf.memory().numBytes / 4;
      const built = tryLoadModel(tensors, config, { task: 'SEQ_CLS', seed: 1 });
      if (!built.ok) throw new Error(built.error);
      const heads = f.headTable(config, 'SEQ_CLS', 3).reduce((a, t) => a + t.shape.reduce((x, d) => x * d, 1), 0);
      // RoBERTa's file may hold a pooler its classifier does not load; the table lists what the model uses.
      expect(modelParameterCount(before)).toBe(loadedElementCount(f.tensorTable(config), 'SEQ_CLS') + heads);
      expect(configParameterCount(config)).toBe(f.tensorTable(config).reduce((a, t) => a + t.shape.reduce((x, d) => x * d, 1), 0));
      expect(built.value.headSource).toBe('fresh-missing');
      built.value.dispose();
      for (const t of f.tensorTable(config)) expect(tensors.get(t.name)?.shape).toEqual(t.shape);
    });
  }

  it('skips GPT-2 attn.bias / masked_bias and rotary inv_freq buffers and does not count them', async () => {
    for (const name of ['gpt2', 'llama'] as const) {
      const config = parse(CONFIGS[name]);
      const tensors = randomWeights(config, 1, 0.02);
      const withBuffers: Record<string, { shape: number[]; data: Float32Array }> = {};
      for (const [k, t] of tensors) withBuffers[k] = { shape: t.shape, data: t.data };
      if (name === 'gpt2') {
        withBuffers['transformer.h.0.attn.bias'] = { shape: [1, 1, 16, 16], data: new Float32Array(256).fill(1) };
        withBuffers['transformer.h.0.attn.masked_bias'] = { shape: [], data: new Float32Array([-1e4]) };
      } else withBuffers['model.layers.0.self_attn.rotary_emb.inv_freq'] = { shape: [2], data: new Float32Array([1, 0.01]) };
      const file = serializeSafetensors(withBuffers, { format: 'pt' });
      const source = {
        fetchFile: (f: string) => (f === 'model.safetensors' ? Promise.resolve(file.slice().buffer) : Promise.reject(new Error('404'))),
        isNotFound: (e: unknown) => e instanceof Error && e.message === '404',
      };
      const loaded = await loadCheckpointWeights(source, name, config);
      if (!loaded.ok) throw new Error(loaded.error);
      expect(loaded.value.skippedBuffers).toBe(name === 'gpt2' ? 2 : 1);
      let count = 0;
      for (const t of loaded.value.tensors.values()) count += t.data.length;
      expect(count).toBe(configParameterCount(config));
    }
  });

  it('a BERT checkpoint without pooler (BertForMaskedLM) gets a fresh seeded pooler that is trained and saved', () => {
    const config = withLabels(parse(CONFIGS.bert), ['a', 'b']);
    const tensors = randomWeights(config, 5, 0.02);
    const full = new Map(tensors);
    tensors.delete('bert.pooler.dense.weight');
    tensors.delete('bert.pooler.dense.bias');
    const a = tryLoadModel(tensors, config, { seed: 7 });
    const b = tryLoadModel(tensors, config, { seed: 7 });
    const withPooler = tryLoadModel(full, config, { seed: 7 });
    if (!a.ok || !b.ok || !withPooler.ok) throw new Error('load failed');
    const pooler = a.value.linears.find((l) => l.path === 'bert.pooler.dense')!;
    const w = Array.from(pooler.w.dataSync());
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length);
    expect(std).toBeGreaterThan(0.01); // N(0, 0.02) as HF's _init_weights, not zeros
    expect(std).toBeLessThan(0.03);
    expect(Array.from(pooler.b!.dataSync()).every((x) => x === 0)).toBe(true);
    expect(Array.from(b.value.linears.find((l) => l.path === 'bert.pooler.dense')!.w.dataSync())).toEqual(w); // seeded
    expect(a.value.headModules.map((h) => h.path)).toEqual(['bert.pooler.dense', 'classifier']);
    expect(withPooler.value.headModules.map((h) => h.path)).toEqual(['classifier']);
    const lora = tryCreateLoraAdapter(a.value, { r: 2, loraAlpha: 4, loraDropout: 0, targetModules: ['query', 'value'], seed: 1 });
    if (!lora.ok) throw new Error(lora.error);
    expect(buildPeftLoraConfig(lora.value, { baseModelNameOrPath: 'x' }).modules_to_save).toEqual(['classifier', 'score', 'pooler']);
    expect(lora.value.peftTensors.map((t) => t.key)).toContain('base_model.model.bert.pooler.dense.weight');
    lora.value.dispose();
    for (const m of [a, b, withPooler]) m.value.dispose();
  });

  it('a Llama 3-style decoder (rope_scaling llama3) runs, and its KV-cached steps equal the full forward', () => {
    const config = parse({
      ...CONFIGS.llama,
      max_position_embeddings: 64,
      rope_theta: 500000,
      rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8 },
    });
    const built = tryLoadModel(randomWeights(config, 2, 0.2), config, { task: 'CAUSAL_LM' });
    if (!built.ok) throw new Error(built.error);
    const model = built.value;
    const ids = [3, 9, 4, 17, 22, 5, 8, 40, 2, 11, 6, 30];
    const [full, stepped, plainDiff] = tf.tidy(() => {
      const T = ids.length;
      const f = model.forward({ inputIds: tf.tensor2d(ids, [1, T], 'int32'), attentionMask: tf.ones([1, T]) as tf.Tensor2D }).logits;
      const s1 = model.forwardStep!(tf.tensor2d(ids.slice(0, 5), [1, 5], 'int32'), null);
      const s2 = model.forwardStep!(tf.tensor2d(ids.slice(5), [1, T - 5], 'int32'), s1.cache);
      const s = tf.concat([s1.logits, s2.logits], 1);
      // The scaling changes the outputs (positions beyond the original context of 8).
      const plainConfig = { ...(config as LlamaConfig), ropeScaling: null };
      const plain = tryLoadModel(randomWeights(plainConfig, 2, 0.2), plainConfig, { task: 'CAUSAL_LM' });
      if (!plain.ok) throw new Error(plain.error);
      const p = plain.value.forward({ inputIds: tf.tensor2d(ids, [1, T], 'int32'), attentionMask: tf.ones([1, T]) as tf.Tensor2D }).logits;
      const diff = tf.max(tf.abs(tf.sub(p, f)));
      plain.value.dispose();
      return [f, s, diff];
    });
    expect(stepped.shape).toEqual(full.shape);
    const fd = full.dataSync();
    const sd = stepped.dataSync();
    let worst = 0;
    for (let i = 0; i < fd.length; i++) worst = Math.max(worst, Math.abs(fd[i] - sd[i]));
    expect(worst).toBeLessThan(1e-4);
    expect(plainDiff.dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([full, stepped, plainDiff]);
    model.dispose();
  });
});
