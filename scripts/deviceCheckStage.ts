// Stages part (a) of scripts/device-check.sh (run here, where Node and the fixtures are): for every reference
// fixture model, the model folder, an adapter exported by the studio (the reference adapter with seeded noise
// added to every LoRA and head tensor, so B != 0 and nothing equals the fixture), the batch, and the studio's
// logits for that batch with the adapter (tfjs CPU backend). device_check.py loads the same folders with real
// transformers + peft and compares. Usage: tsx scripts/deviceCheckStage.ts <out-dir>/fixtures
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRng } from '../src/lib/rng';
import { tryParseModelConfig } from '../src/model/config';
import { tryLoadModel } from '../src/model/loadModel';
import { exportPeftAdapter, tryImportPeftAdapter } from '../src/model/peftAdapter';
import { tryParseSafetensors } from '../src/model/safetensors';

const FOLDERS = ['bert', 'distilbert', 'roberta', 'gpt2', 'gpt2-seqcls', 'llama', 'qwen2'] as const;
const LM = new Set(['gpt2', 'llama', 'qwen2']);
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = process.env.FIXTURES_DIR ?? path.resolve(here, '../../shared/fixtures/reference');
const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/deviceCheckStage.ts <out-dir>');

await tf.setBackend('cpu');
for (const name of FOLDERS) {
  const src = path.join(fixtures, name);
  const dst = path.join(out, name);
  mkdirSync(path.join(dst, 'model'), { recursive: true });
  mkdirSync(path.join(dst, 'adapter'), { recursive: true });
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(path.join(src, f), path.join(dst, 'model', f));
  const configJson = JSON.parse(readFileSync(path.join(src, 'config.json'), 'utf8')) as Record<string, unknown>;
  const config = tryParseModelConfig(configJson);
  if (!config.ok) throw new Error(`${name}: ${config.error}`);
  const weights = tryParseSafetensors(new Uint8Array(readFileSync(path.join(src, 'model.safetensors'))));
  if (!weights.ok) throw new Error(`${name}: ${weights.error}`);
  const task = LM.has(name) ? 'CAUSAL_LM' : 'SEQ_CLS';
  const model = tryLoadModel(weights.value.tensors, config.value, { task });
  if (!model.ok) throw new Error(`${name}: ${model.error}`);
  const adapter = tryImportPeftAdapter(model.value, {
    'adapter_config.json': readFileSync(path.join(src, 'adapter', 'adapter_config.json'), 'utf8'),
    'adapter_model.safetensors': new Uint8Array(readFileSync(path.join(src, 'adapter', 'adapter_model.safetensors'))),
  });
  if (!adapter.ok) throw new Error(`${name}: ${adapter.error}`);
  const rng = createRng(7);
  for (const p of adapter.value.peftTensors) {
    const noise = Float32Array.from({ length: p.variable.size }, () => 0.05 * rng.normal());
    p.variable.assign(tf.tidy(() => tf.add(p.variable, tf.tensor(noise, p.variable.shape))));
  }
  const files = await exportPeftAdapter(adapter.value, { baseModelNameOrPath: `../model`, taskType: task });
  writeFileSync(path.join(dst, 'adapter', 'adapter_config.json'), files['adapter_config.json']);
  writeFileSync(path.join(dst, 'adapter', 'adapter_model.safetensors'), files['adapter_model.safetensors']);
  const inputs = JSON.parse(readFileSync(path.join(src, 'inputs.json'), 'utf8')) as {
    input_ids: number[][];
    attention_mask: number[][];
    token_type_ids?: number[][];
  };
  const B = inputs.input_ids.length;
  const T = inputs.input_ids[0].length;
  const logits = tf.tidy(
    () =>
      model.value.forward(
        {
          inputIds: tf.tensor2d(inputs.input_ids.flat(), [B, T], 'int32'),
          attentionMask: tf.tensor2d(inputs.attention_mask.flat(), [B, T], 'float32'),
          tokenTypeIds: inputs.token_type_ids ? tf.tensor2d(inputs.token_type_ids.flat(), [B, T], 'int32') : undefined,
        },
        { adapter: adapter.value, training: false, keepHiddenStates: false },
      ).logits,
  );
  writeFileSync(
    path.join(dst, 'inputs.json'),
    JSON.stringify({ input_ids: inputs.input_ids, attention_mask: inputs.attention_mask, token_type_ids: inputs.token_type_ids ?? null }),
  );
  writeFileSync(path.join(dst, 'studio_logits.json'), JSON.stringify({ task, shape: logits.shape, data: Array.from(await logits.data()) }));
  console.log(`staged ${name}: ${task}, logits [${logits.shape.join(', ')}]`);
  tf.dispose([logits]);
  adapter.value.dispose();
  model.value.dispose();
}
