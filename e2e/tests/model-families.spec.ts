// Real checkpoint loading in the browser: a GPT-2 and a Llama fixture picked by id from the mock hub and trained as
// classifiers end to end (adapter keys checked), the sharded / BF16 / F16 / tied-head variants, a local folder, the
// pre-download estimate and the won't-fit refusal. Prints step time and tokens/s per family.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, E2E_DIR } from '../fixtures/paths';
import type { StudioPage } from '../pages/StudioPage';
import { tryParseSafetensors } from '../../src/model/safetensors';

const CSV = readFileSync(dataFile('sentiment-200.csv'));
const hubQuery = (backend: string, extra = '') => `?backend=${backend}&hub=${encodeURIComponent(HUB_URL)}${extra}`;
const repoDir = (id: string) => path.join(E2E_DIR, 'hub', '.data', id, 'resolve', 'main');

/** Loads `modelId` (free entry), checks the estimate shown before the download, and waits for the summary. */
async function loadFromHub(studio: StudioPage, modelId: string): Promise<void> {
  await studio.useHubModel(modelId);
  await expect(studio.page.getByTestId('model-estimate')).toHaveAttribute('data-verdict', /fits|tight/);
  await expect(studio.modelSummary).toContainText(`${modelId}:`);
}

/** Trains 1 epoch (12 steps of 16) and returns the downloaded adapter's config and tensor shapes; logs speed. */
async function trainAndDownload(studio: StudioPage, family: string, backend: string) {
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Batch size', 16);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.01);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(new RegExp(`Run (finished|early-stopped) after \\d+ steps on ${backend}`), { timeout: 200_000 });
  const outcome = (await studio.outcome.textContent()) ?? '';
  const start = Number(await studio.chart.getAttribute('data-train-loss-start'));
  const end = Number(await studio.chart.getAttribute('data-train-loss-end'));
  expect(Number.isFinite(start) && Number.isFinite(end)).toBe(true);
  expect(outcome).not.toMatch(/NaN|Infinity/);
  const speed = /(\d+) ms\/step, (\d+) tokens\/s/.exec(outcome);
  console.log(`[speed] ${family} on ${backend}: ${speed?.[1]} ms/step, ${speed?.[2]} tokens/s (loss ${start.toFixed(4)} -> ${end.toFixed(4)})`);

  await studio.goto('results');
  const [download] = await Promise.all([studio.page.waitForEvent('download'), studio.downloadButton.click()]);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const config = JSON.parse(strFromU8(zip['adapter_config.json']));
  const parsed = tryParseSafetensors(zip['adapter_model.safetensors']);
  if (!parsed.ok) throw new Error(parsed.error);
  const shapes = Object.fromEntries([...parsed.value.tensors].map(([k, t]) => [k, t.shape]));
  for (const t of parsed.value.tensors.values()) expect(t.data.every(Number.isFinite)).toBe(true);
  return { config, shapes };
}

test('GPT-2 fixture: picked from the mock hub, trained as a classifier on WebGPU, PEFT adapter with c_attn fan_in_fan_out', async ({ studio }) => {
  test.setTimeout(300_000);
  await studio.open(hubQuery('webgpu'));
  await expect(studio.backendName).toHaveText('webgpu');
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.splitTotals).toContainText('180 train / 20 validation');
  await loadFromHub(studio, 'fixtures/gpt2');
  await expect(studio.modelSummary).toContainText('gpt2, 2 layers, hidden 32');
  const { config, shapes } = await trainAndDownload(studio, 'gpt2', 'webgpu');
  expect(config).toMatchObject({ task_type: 'SEQ_CLS', fan_in_fan_out: true, target_modules: ['c_attn'], base_model_name_or_path: 'fixtures/gpt2' });
  expect(shapes['base_model.model.score.weight']).toEqual([2, 32]);
  for (const layer of [0, 1]) {
    expect(shapes[`base_model.model.transformer.h.${layer}.attn.c_attn.lora_A.weight`]).toEqual([8, 32]);
    expect(shapes[`base_model.model.transformer.h.${layer}.attn.c_attn.lora_B.weight`]).toEqual([96, 8]);
  }
  expect(Object.keys(shapes)).toHaveLength(5);
});

test('Llama fixture: picked from the mock hub, trained as a classifier on wasm, q_proj/v_proj adapter with score', async ({ studio }) => {
  test.setTimeout(300_000);
  await studio.open(hubQuery('wasm'));
  await expect(studio.backendName).toHaveText('wasm');
  await studio.dropFile('sentiment-200.csv', CSV);
  await loadFromHub(studio, 'fixtures/llama');
  await expect(studio.modelSummary).toContainText('llama, 2 layers, hidden 64');
  const { config, shapes } = await trainAndDownload(studio, 'llama', 'wasm');
  expect(config).toMatchObject({ task_type: 'SEQ_CLS', fan_in_fan_out: false });
  expect(new Set(config.target_modules)).toEqual(new Set(['q_proj', 'v_proj']));
  expect(shapes['base_model.model.score.weight']).toEqual([2, 64]);
  expect(shapes['base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight']).toEqual([8, 64]);
  expect(shapes['base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight']).toEqual([64, 8]);
  expect(shapes['base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight']).toEqual([32, 8]); // 2 kv heads × 16
  expect(Object.keys(shapes)).toHaveLength(9);
});

test('sharded, BF16, F16 and tied-head checkpoints load; a missing tokenizer is named', async ({ studio, page }) => {
  test.setTimeout(180_000);
  await studio.open(hubQuery('wasm'));
  const variants: Array<[string, RegExp]> = [
    ['fixtures/llama-sharded', /3 files, stored as F32/],
    ['fixtures/bert-bf16', /1 file, stored as BF16 \(converted to F32\)/],
    ['fixtures/gpt2-f16', /stored as F16 \(converted to F32\), LM head tied to the embeddings \(absent\)/],
    ['fixtures/qwen2-tied-explicit', /LM head tied to the embeddings \(deduplicated\)/],
  ];
  for (const [id, checkpoint] of variants) {
    await loadFromHub(studio, id);
    await expect(page.getByTestId('model-checkpoint')).toContainText(checkpoint);
    console.log(`[variant] ${id}: ${await page.getByTestId('model-checkpoint').textContent()}`);
  }
  const downloads = page.getByTestId('model-downloads');
  await studio.useHubModel('fixtures/llama-sharded');
  await expect(studio.modelSummary).toBeVisible();
  for (const shard of ['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors']) {
    await expect(downloads).toContainText(shard);
  }
  await studio.useHubModel('fixtures/gpt2-no-tokenizer');
  await expect(studio.modelError).toContainText('fixtures/gpt2-no-tokenizer has no tokenizer.json and no tokenizer_config.json');
});

test('a model too large for the device is refused before the download, with the reason', async ({ studio, page }) => {
  await studio.open(hubQuery('wasm'));
  await studio.useHubModel('fixtures/too-large');
  await expect(page.getByTestId('model-verdict')).toHaveText("won't fit");
  await expect(studio.modelError).toContainText("fixtures/too-large won't fit");
  await expect(studio.modelError).toContainText('Nothing was downloaded');
  await expect(page.getByTestId('model-downloads')).not.toContainText('model.safetensors');

  // A 0.1 MB buffer limit (?maxBufferMB): the llama fixture's 256 kB embedding no longer fits one binding.
  await studio.open(hubQuery('wasm', '&maxBufferMB=0.1'));
  await studio.useHubModel('fixtures/llama');
  await expect(studio.modelError).toContainText(/(lm_head|model\.embed_tokens)\.weight, 1000×64 in F32\) is 256\.0 kB > maxStorageBufferBindingSize 104\.9 kB/);
  console.log(`[too-large] ${await studio.modelError.textContent()}`);
});

test('a local model folder (picked files) loads without the hub', async ({ studio, page }) => {
  await studio.open('?backend=wasm');
  await studio.goto('model');
  await page.getByLabel('Local model folder').check();
  const dir = repoDir('fixtures/gpt2-seqcls');
  await page.getByLabel('Model files', { exact: true }).setInputFiles(readdirSync(dir).map((f) => path.join(dir, f)));
  await expect(page.getByTestId('local-model-files')).toContainText('model.safetensors');
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByTestId('model-estimate')).toHaveAttribute('data-verdict', 'fits');
  await expect(page.getByTestId('model-estimate')).toContainText('from the safetensors headers');
  await expect(studio.modelSummary).toContainText('gpt2, 2 layers, hidden 32');
});

test('the offline demo model still loads from the app (no shard index there) and trains', async ({ studio }) => {
  await studio.open('?backend=wasm');
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps on wasm/, { timeout: 120_000 });
});
