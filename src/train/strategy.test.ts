// Strategies (head only, LoRA + embeddings, full fine-tuning): what trains, how it exports (PEFT keys and
// modules_to_save as PEFT writes them; a save_pretrained folder that loads back with identical logits).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { loadReferenceFixture } from '../test/fixtures';
import { loadTinyBertClassifier, syntheticExamples } from '../test/tinyTraining';
import { createAdamW } from './adamw';
import { padBatch } from './batches';
import { evaluateLogits, trainStep } from './classifierStep';
import { tryParseModelConfig } from '../model/config';
import { exportFullModel } from '../model/fullModelExport';
import { tryLoadModel } from '../model/loadModel';
import { readPeftWeights, tryCreateLoraAdapter } from '../model/lora';
import { exportPeftAdapter } from '../model/peftAdapter';
import { tryParseSafetensors } from '../model/safetensors';
import { tryApplyStrategy, type FineTuneStrategy } from '../model/strategy';
import type { SequenceModel } from '../model/types';

const examples = syntheticExamples(16, { seed: 3, numClasses: 3, labelOf: (w) => w[0] % 3 });
const batch = padBatch(examples, 0);

function setup(strategy: FineTuneStrategy) {
  const model = loadTinyBertClassifier(3, 0);
  const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['query', 'value'], seed: 0 });
  if (!created.ok) throw new Error(created.error);
  const adapter = created.value;
  const applied = tryApplyStrategy(model, adapter, strategy);
  if (!applied.ok) throw new Error(applied.error);
  const trainable = new Set(adapter.trainableVariables);
  const optimizer = createAdamW(
    adapter.peftTensors.filter((p) => trainable.has(p.variable)).map((p) => ({ name: p.key, variable: p.variable })),
    { weightDecay: 0, noDecay: adapter.noDecayVariables },
  );
  const train = (steps: number) => {
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const loss = trainStep(model, adapter, optimizer, batch, { lr: 1e-2, seed: s, training: false });
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    return losses;
  };
  const dispose = () => {
    optimizer.dispose();
    adapter.dispose();
    model.dispose();
  };
  return { model, adapter, state: applied.value, train, dispose };
}

const logitsOf = (model: SequenceModel, adapter: Parameters<typeof evaluateLogits>[1]) => {
  const t = evaluateLogits(model, adapter, batch);
  const out = t.dataSync().slice();
  t.dispose();
  return out;
};

describe('fine-tuning strategies', () => {
  it('head only trains the classifier alone; its PEFT export has LoRA B zero (the probe exactly)', async () => {
    const s = setup('head');
    const before = await readPeftWeights(s.adapter);
    const losses = s.train(5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    const after = await readPeftWeights(s.adapter);
    for (const [k, v] of Object.entries(after)) {
      const changed = v.data.some((x, i) => x !== before[k].data[i]);
      expect(changed, k).toBe(k.includes('classifier'));
      if (k.endsWith('lora_B.weight')) expect(v.data.every((x) => x === 0)).toBe(true);
    }
    s.dispose();
  });

  it('LoRA + embeddings trains the word embeddings and exports them as PEFT modules_to_save', async () => {
    const s = setup('lora-embeddings');
    const n0 = tf.memory().numTensors;
    const losses = s.train(5);
    expect(tf.memory().numTensors).toBe(n0);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    const files = await exportPeftAdapter(s.adapter, { baseModelNameOrPath: 'tiny', taskType: 'SEQ_CLS', extraModulesToSave: s.state.extraModulesToSave });
    const config = JSON.parse(files['adapter_config.json']) as { modules_to_save: string[] };
    expect(config.modules_to_save).toEqual(['word_embeddings', 'classifier', 'score']);
    const parsed = tryParseSafetensors(files['adapter_model.safetensors']);
    if (!parsed.ok) throw new Error(parsed.error);
    const emb = parsed.value.tensors.get('base_model.model.bert.embeddings.word_embeddings.weight');
    expect(emb?.shape).toEqual([1000, 32]);
    expect([...parsed.value.tensors.keys()].some((k) => k.endsWith('lora_A.weight'))).toBe(true);
    s.dispose();
  });

  it('full fine-tuning trains every weight; the save_pretrained folder loads back with identical logits', async () => {
    const s = setup('full');
    expect(s.state.fullModel).toBe(true);
    const n0 = tf.memory().numTensors;
    const losses = s.train(6);
    expect(tf.memory().numTensors).toBe(n0);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    const trained = logitsOf(s.model, s.adapter);
    const files = await exportFullModel(s.adapter, {
      family: 'bert',
      baseConfig: loadReferenceFixture('bert').configJson as Record<string, unknown>,
      labelNames: ['a', 'b', 'c'],
      tokenizerFiles: { 'tokenizer.json': '{}' },
    });
    const configJson = JSON.parse(files['config.json'] as string) as Record<string, unknown>;
    expect(configJson.architectures).toEqual(['BertForSequenceClassification']);
    expect(configJson.id2label).toEqual({ 0: 'a', 1: 'b', 2: 'c' });
    expect(configJson.label2id).toEqual({ a: 0, b: 1, c: 2 });
    const parsed = tryParseSafetensors(files['model.safetensors'] as Uint8Array);
    if (!parsed.ok) throw new Error(parsed.error);
    const keys = [...parsed.value.tensors.keys()];
    expect(keys).toContain('bert.encoder.layer.0.attention.self.query.weight');
    expect(keys).toContain('bert.embeddings.LayerNorm.weight');
    expect(keys).toContain('classifier.weight');
    expect(keys.some((k) => k.includes('lora') || k.startsWith('base_model'))).toBe(false);
    // HF layout: nn.Linear weights are [out, in].
    expect(parsed.value.tensors.get('classifier.weight')!.shape).toEqual([3, 32]);
    const cfg = tryParseModelConfig(configJson);
    if (!cfg.ok) throw new Error(cfg.error);
    expect(cfg.value.id2label).toEqual(['a', 'b', 'c']);
    const reloaded = tryLoadModel(parsed.value.tensors, cfg.value, { task: 'SEQ_CLS' });
    if (!reloaded.ok) throw new Error(reloaded.error);
    expect(reloaded.value.headSource).toBe('checkpoint');
    const again = logitsOf(reloaded.value, null);
    again.forEach((x, i) => expect(Math.abs(x - trained[i])).toBeLessThan(1e-5));
    reloaded.value.dispose();
    s.dispose();
  });
});
