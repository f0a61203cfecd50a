// Fidelity of every family against HF transformers 4.40 / PEFT 0.11.1 (shared/fixtures/reference/*): base outputs,
// PEFT adapter outputs, merge_and_unload weights and outputs, and the PEFT export round trip.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareArrays,
  forwardReference,
  loadReferenceFixture,
  loadReferenceModel,
  logFixtureCheck,
  REFERENCE_FOLDERS,
  relLossCheck,
  useCpuBackend,
  type ReferenceFixture,
} from '../test/fixtures';
import { mergeLoraWeights, type LoraAdapter } from './lora';
import { exportPeftAdapter, tryImportPeftAdapter } from './peftAdapter';
import { tryParseSafetensors, type NamedTensor } from './safetensors';
import type { SequenceModel } from './types';

const TOL = { atol: 1e-4, rtol: 1e-4 };

beforeAll(async () => {
  await useCpuBackend();
});

/** Compare logits (token-level for LMs: real positions only), every hidden state and the loss with expected tensors under `prefix`. */
async function checkOutputs(
  fx: ReferenceFixture,
  label: string,
  model: SequenceModel,
  adapter: LoraAdapter | null,
  expected: Map<string, NamedTensor>,
  prefix: string,
  expectedLoss: number,
) {
  const out = tf.tidy(() => forwardReference(model, fx, { adapter }));
  const mask = fx.batch.attentionMask;
  const tokenMask = (width: number) => (i: number) => mask[Math.floor(i / width)] === 1;
  const wantLogits = expected.get(`${prefix}logits`)!;
  expect(out.logits.shape).toEqual(wantLogits.shape);
  const lm = model.task === 'CAUSAL_LM';
  const e = compareArrays(await out.logits.data(), wantLogits.data, TOL, lm ? tokenMask(wantLogits.shape[2]) : undefined);
  logFixtureCheck(fx.name, `${label} logits`, e);
  expect(e.worst).toBeLessThanOrEqual(1);
  const C = model.config.hiddenSize;
  expect(out.hiddenStates.length).toBe(model.config.numHiddenLayers + 1);
  let worstHidden = { maxAbs: 0, worst: 0 };
  for (let i = 0; i < out.hiddenStates.length; i++) {
    const h = compareArrays(await out.hiddenStates[i].data(), expected.get(`${prefix}hidden_states.${i}`)!.data, TOL, tokenMask(C));
    if (h.worst > 1) console.log(`hidden_states.${i} worst ${h.worst}`);
    expect(h.worst, `${label} hidden_states.${i}`).toBeLessThanOrEqual(1);
    worstHidden = { maxAbs: Math.max(worstHidden.maxAbs, h.maxAbs), worst: Math.max(worstHidden.worst, h.worst) };
  }
  const last = compareArrays(await out.lastHiddenState.data(), expected.get(`${prefix}last_hidden_state`)!.data, TOL, tokenMask(C));
  expect(last.worst).toBeLessThanOrEqual(1);
  logFixtureCheck(fx.name, `${label} hidden states (all ${out.hiddenStates.length})`, worstHidden);
  expect(relLossCheck(fx.name, `${label} loss`, (await out.loss.data())[0], expectedLoss)).toBeLessThanOrEqual(1e-5);
  tf.dispose([out.logits, out.loss, out.lastHiddenState, ...out.hiddenStates]);
}

describe.each(REFERENCE_FOLDERS)('%s fixture', (name) => {
  const fx = loadReferenceFixture(name);
  let model: SequenceModel;
  const importAdapter = (m: SequenceModel = model): LoraAdapter => {
    const imported = tryImportPeftAdapter(m, fx.adapterFiles);
    if (!imported.ok) throw new Error(imported.error);
    return imported.value;
  };

  beforeAll(() => {
    model = loadReferenceModel(fx);
  });

  it('base model: logits, every hidden state and the loss equal HF', async () => {
    expect(model.headSource).toBe(fx.task === 'SEQ_CLS' ? 'checkpoint' : 'none');
    await checkOutputs(fx, 'base', model, null, fx.expectedTensors, '', fx.expected.loss);
  });

  it('PEFT adapter: outputs with the adapter equal PeftModel.from_pretrained', async () => {
    const adapter = importAdapter();
    expect(Object.fromEntries(adapter.peftTensors.map((p) => [p.key, p.peftShape]))).toEqual(fx.adapterExpected.adapter_keys);
    await checkOutputs(fx, 'adapter', model, adapter, fx.adapterExpectedTensors, '', fx.adapterExpected.loss);
    adapter.dispose();
  });

  it('merge: merge_and_unload weights (1e-6) and the merged model outputs', async () => {
    const adapter = importAdapter();
    const merged = mergeLoraWeights(model, adapter);
    expect([...merged.keys()].sort()).toEqual([...fx.mergedChangedWeights.keys()].sort());
    const mergedTensors = new Map<string, NamedTensor>(fx.weights);
    let worst = { maxAbs: 0, worst: 0 };
    for (const [key, t] of merged) {
      const want = fx.mergedChangedWeights.get(key)!;
      expect(t.shape, key).toEqual(want.shape);
      const data = (await t.data()) as Float32Array;
      const e = compareArrays(data, want.data, { atol: 1e-6, rtol: 0 });
      expect(e.worst, key).toBeLessThanOrEqual(1);
      worst = { maxAbs: Math.max(worst.maxAbs, e.maxAbs), worst: Math.max(worst.worst, e.worst) };
      mergedTensors.set(key, { shape: [...t.shape], dtype: 'F32', data });
    }
    logFixtureCheck(fx.name, `merged weights (${merged.size} tensors, atol 1e-6)`, worst);
    tf.dispose([...merged.values()]);
    const mergedModel = loadReferenceModel(fx, mergedTensors);
    await checkOutputs(fx, 'merged', mergedModel, null, fx.adapterExpectedTensors, 'merged.', fx.adapterExpected.merged_loss);
    mergedModel.dispose();
    adapter.dispose();
  });

  it('export round trip: same keys, shapes, F32 tensor bytes and adapter_config.json', async () => {
    const adapter = importAdapter();
    const original = JSON.parse(fx.adapterFiles['adapter_config.json']);
    const files = await exportPeftAdapter(adapter, { baseModelNameOrPath: original.base_model_name_or_path });
    const ours = tryParseSafetensors(files['adapter_model.safetensors']);
    const theirs = tryParseSafetensors(fx.adapterFiles['adapter_model.safetensors']);
    if (!ours.ok || !theirs.ok) throw new Error('unparseable safetensors');
    expect(ours.value.metadata).toEqual({ format: 'pt' });
    expect([...ours.value.tensors.keys()].sort()).toEqual([...theirs.value.tensors.keys()].sort());
    for (const [key, t] of theirs.value.tensors) {
      const mine = ours.value.tensors.get(key)!;
      expect([mine.dtype, mine.shape], key).toEqual([t.dtype, t.shape]);
      expect(
        Buffer.from(mine.data.buffer, mine.data.byteOffset, mine.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
        key,
      ).toBe(true);
    }
    const sameFile = Buffer.from(files['adapter_model.safetensors']).equals(Buffer.from(fx.adapterFiles['adapter_model.safetensors']));
    const config = JSON.parse(files['adapter_config.json']);
    expect(Object.keys(config)).toEqual(Object.keys(original));
    expect({ ...config, target_modules: [...config.target_modules].sort() }).toEqual({ ...original, target_modules: [...original.target_modules].sort() });
    expect(config.task_type).toBe(fx.task);
    expect(config.modules_to_save).toEqual(fx.task === 'CAUSAL_LM' ? null : ['classifier', 'score']);
    expect(config.fan_in_fan_out).toBe(name.startsWith('gpt2'));
    const sameText = files['adapter_config.json'] === fx.adapterFiles['adapter_config.json'];
    console.log(
      `[fixture] ${name} | export round trip | 0.00e+0 | 0.000 | safetensors file byte-identical: ${sameFile}, adapter_config.json text-identical: ${sameText}`,
    );
    expect(sameFile && sameText).toBe(true);
    adapter.dispose();
  });
});
