// Tests for PEFT import/export against the real PEFT 0.11.1 adapter fixture (outputs, merge, byte round-trip).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareArrays, forwardFixtureBatch, loadBertFixture, logErrors, tokenMask, useCpuBackend } from '../test/fixtures';
import { tryLoadBertModel, type BertModel } from './families/bert/model';
import { tryParseBertConfig, type BertConfig } from './config';
import { mergeLoraWeights, tryCreateLoraAdapter, type LoraAdapter } from './lora';
import { exportPeftAdapter, tryImportPeftAdapter } from './peftAdapter';
import { tryParseSafetensors, type NamedTensor } from './safetensors';

const TOL = { atol: 1e-4, rtol: 1e-4 };
const fx = loadBertFixture();
let config: BertConfig;
let model: BertModel;

beforeAll(async () => {
  await useCpuBackend();
  const parsed = tryParseBertConfig(fx.configJson);
  if (!parsed.ok) throw new Error(parsed.error);
  config = parsed.value;
  const loaded = tryLoadBertModel(fx.weights, config);
  if (!loaded.ok) throw new Error(loaded.error);
  model = loaded.value;
});

function importFixture(): LoraAdapter {
  const imported = tryImportPeftAdapter(model, fx.adapterFiles);
  if (!imported.ok) throw new Error(imported.error);
  return imported.value;
}

/** Compare logits, hidden states (real tokens) and loss of `m` (+ adapter) with expected tensors under `prefix`. */
async function checkOutputs(label: string, m: BertModel, adapter: LoraAdapter | null, prefix: string, expectedLoss: number) {
  const out = tf.tidy(() => forwardFixtureBatch(m, fx.batch, { adapter }));
  const e = logErrors(`${label} logits`, compareArrays(await out.logits.data(), fx.adapterExpectedTensors.get(`${prefix}logits`)!.data, TOL));
  expect(e.worst).toBeLessThanOrEqual(1);
  const mask = tokenMask(fx.batch.attentionMask, config.hiddenSize);
  for (let i = 0; i < out.hiddenStates.length; i++) {
    const h = logErrors(
      `${label} hidden_states.${i}`,
      compareArrays(await out.hiddenStates[i].data(), fx.adapterExpectedTensors.get(`${prefix}hidden_states.${i}`)!.data, TOL, mask),
    );
    expect(h.worst).toBeLessThanOrEqual(1);
  }
  const loss = (await out.loss.data())[0];
  const rel = Math.abs(loss - expectedLoss) / expectedLoss;
  console.log(`[check] ${label} loss: ${loss} vs ${expectedLoss}, rel ${rel.toExponential(2)}`);
  expect(rel).toBeLessThanOrEqual(1e-5);
  tf.dispose([out.logits, out.loss, out.lastHiddenState, out.attentionMask, ...out.hiddenStates]);
}

describe('PEFT adapter import', () => {
  it('reproduces the PEFT outputs with the adapter applied', async () => {
    const adapter = importFixture();
    expect(adapter.config).toMatchObject({ r: 4, loraAlpha: 8, loraDropout: 0, initLoraWeights: false });
    await checkOutputs('adapter', model, adapter, '', fx.adapterExpected.loss);
    adapter.dispose();
  });

  it('merges into the same weights as merge_and_unload(), and the merged model gives merged.logits', async () => {
    const adapter = importFixture();
    const merged = mergeLoraWeights(model, adapter);
    expect([...merged.keys()].sort()).toEqual([...fx.mergedChangedWeights.keys()].sort());
    const mergedTensors = new Map<string, NamedTensor>(fx.weights);
    for (const [name, t] of merged) {
      const expected = fx.mergedChangedWeights.get(name)!;
      expect(t.shape).toEqual(expected.shape);
      const data = (await t.data()) as Float32Array;
      const e = logErrors(`merged weight ${name}`, compareArrays(data, expected.data, { atol: 1e-6, rtol: 0 }));
      expect(e.worst).toBeLessThanOrEqual(1);
      mergedTensors.set(name, { shape: [...t.shape], dtype: 'F32', data });
    }
    tf.dispose([...merged.values()]);
    const mergedModel = tryLoadBertModel(mergedTensors, config);
    if (!mergedModel.ok) throw new Error(mergedModel.error);
    await checkOutputs('merged', mergedModel.value, null, 'merged.', fx.adapterExpected.merged_loss);
    mergedModel.value.dispose();
    adapter.dispose();
  });

  it('explains adapters that do not fit', () => {
    const badConfig = tryImportPeftAdapter(model, {
      ...fx.adapterFiles,
      'adapter_config.json': fx.adapterFiles['adapter_config.json'].replace('"r": 4', '"r": 8'),
    });
    expect(!badConfig.ok && badConfig.error).toMatch(/lora_A\.weight" has shape \[4,32\], expected \[8,32\]/);
    const dora = tryImportPeftAdapter(model, {
      ...fx.adapterFiles,
      'adapter_config.json': fx.adapterFiles['adapter_config.json'].replace('"use_dora": false', '"use_dora": true'),
    });
    expect(!dora.ok && dora.error).toMatch(/use_dora/);
    const notJson = tryImportPeftAdapter(model, { ...fx.adapterFiles, 'adapter_config.json': '{' });
    expect(!notJson.ok && notJson.error).toMatch(/not valid JSON/);
    const truncated = tryImportPeftAdapter(model, {
      ...fx.adapterFiles,
      'adapter_model.safetensors': fx.adapterFiles['adapter_model.safetensors'].slice(0, 100),
    });
    expect(!truncated.ok && truncated.error).toMatch(/adapter_model\.safetensors: safetensors/);
  });
});

describe('PEFT adapter export', () => {
  it('round-trips the fixture: identical safetensors bytes and config fields', async () => {
    const adapter = importFixture();
    const files = await exportPeftAdapter(adapter, { baseModelNameOrPath: 'shared/fixtures/reference/bert', taskType: 'SEQ_CLS' });
    const original = fx.adapterFiles['adapter_model.safetensors'];
    expect(Buffer.from(files['adapter_model.safetensors']).equals(Buffer.from(original))).toBe(true);
    expect(JSON.parse(files['adapter_config.json'])).toEqual(JSON.parse(fx.adapterFiles['adapter_config.json']));
    // PEFT writes json.dumps(indent=2, sort_keys=True); ours is the same text.
    expect(files['adapter_config.json']).toBe(fx.adapterFiles['adapter_config.json']);
    adapter.dispose();
  });

  it('exports a fresh adapter with PEFT keys, F32 tensors and format metadata', async () => {
    const created = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0.1, targetModules: ['query', 'key', 'value'], seed: 5 });
    if (!created.ok) throw new Error(created.error);
    const files = await exportPeftAdapter(created.value, { baseModelNameOrPath: 'my-org/bert-tiny', taskType: 'SEQ_CLS' });
    const config = JSON.parse(files['adapter_config.json']);
    expect(Object.keys(config)).toEqual(Object.keys(JSON.parse(fx.adapterFiles['adapter_config.json'])));
    expect(config).toMatchObject({
      r: 8,
      lora_alpha: 16,
      lora_dropout: 0.1,
      init_lora_weights: true,
      target_modules: ['query', 'key', 'value'],
      inference_mode: true,
    });
    const parsed = tryParseSafetensors(files['adapter_model.safetensors']);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.metadata).toEqual({ format: 'pt' });
    expect(parsed.value.tensors.size).toBe(2 * 3 * 2 + 2);
    expect(parsed.value.tensors.get('base_model.model.bert.encoder.layer.1.attention.self.key.lora_A.weight')?.shape).toEqual([8, 32]);
    // Import what we exported: same weights.
    const again = tryImportPeftAdapter(model, files);
    if (!again.ok) throw new Error(again.error);
    const files2 = await exportPeftAdapter(again.value, { baseModelNameOrPath: 'my-org/bert-tiny', taskType: 'SEQ_CLS' });
    expect(Buffer.from(files2['adapter_model.safetensors']).equals(Buffer.from(files['adapter_model.safetensors']))).toBe(true);
    created.value.dispose();
    again.value.dispose();
  });
});
