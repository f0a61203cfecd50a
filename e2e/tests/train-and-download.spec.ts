// The first complete path: drop a CSV, train a LoRA adapter on WebGPU in the worker, download it.
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, screenshotFile } from '../fixtures/paths';
import { tryParseSafetensors } from '../../src/model/safetensors';

const CSV = readFileSync(dataFile('sentiment-200.csv'));
const MICRO_MODEL = 'studio-test/micro-bert';

test('drop a CSV, train on WebGPU, watch the curves, download a PEFT adapter', async ({ studio, page }) => {
  test.setTimeout(300_000);
  await studio.open(`?backend=webgpu&hub=${encodeURIComponent(HUB_URL)}`);
  await expect(studio.backendName).toHaveText('webgpu');

  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await expect(studio.splitTotals).toContainText('180 train / 20 validation');
  await expect(page.getByRole('table', { name: 'Preview' })).toContainText('Good case, Excellent value.');

  await studio.useHubModel(MICRO_MODEL);
  await expect(studio.modelSummary).toContainText('1 layers, hidden 32');

  await studio.setNumber('Epochs', 3);
  await studio.setNumber('Batch size', 16);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.02);
  await studio.setNumber('LoRA rank r', 8);
  await studio.startButton.click();

  // Early stopping (on by default) may end the run before the planned 36 steps.
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps on webgpu/, { timeout: 240_000 });
  const start = Number(await studio.chart.getAttribute('data-train-loss-start'));
  const end = Number(await studio.chart.getAttribute('data-train-loss-end'));
  console.log(`training loss ${start.toFixed(4)} -> ${end.toFixed(4)}; ${await studio.outcome.textContent()}`);
  expect(end).toBeLessThan(start);
  // Validation before training and 4 times per epoch.
  expect(Number(await studio.chart.getAttribute('data-eval-points'))).toBeGreaterThanOrEqual(4);
  // Three lines drawn: training loss, validation loss, validation accuracy.
  await expect(studio.chart.locator('.recharts-line')).toHaveCount(3);
  await expect(studio.chart.locator('.recharts-line-dots circle').first()).toBeVisible();

  await page.screenshot({ path: screenshotFile('studio-after-training.png'), fullPage: true });

  await studio.goto('results');
  const [download] = await Promise.all([page.waitForEvent('download'), studio.downloadButton.click()]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  expect(Object.keys(zip).sort()).toEqual(['README.md', 'adapter_config.json', 'adapter_model.safetensors', 'label_map.json']);

  const config = JSON.parse(strFromU8(zip['adapter_config.json']));
  expect(config).toMatchObject({
    peft_type: 'LORA',
    task_type: 'SEQ_CLS',
    r: 8,
    base_model_name_or_path: MICRO_MODEL,
    modules_to_save: ['classifier', 'score'],
  });
  expect(new Set(config.target_modules)).toEqual(new Set(['query', 'value']));
  expect(JSON.parse(strFromU8(zip['label_map.json']))).toMatchObject({ id2label: { 0: '0', 1: '1' } });

  const parsed = tryParseSafetensors(zip['adapter_model.safetensors']);
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.value.metadata).toEqual({ format: 'pt' });
  const shapes = Object.fromEntries([...parsed.value.tensors].map(([k, t]) => [k, t.shape]));
  // micro-bert: hidden 32, 1 layer; 2 labels; r = 8.
  const layer = 'base_model.model.bert.encoder.layer.0.attention.self';
  expect(shapes).toEqual({
    [`${layer}.query.lora_A.weight`]: [8, 32],
    [`${layer}.query.lora_B.weight`]: [32, 8],
    [`${layer}.value.lora_A.weight`]: [8, 32],
    [`${layer}.value.lora_B.weight`]: [32, 8],
    'base_model.model.classifier.weight': [2, 32],
    'base_model.model.classifier.bias': [2],
  });
  for (const t of parsed.value.tensors.values()) expect(t.dtype).toBe('F32');
  // Trained B matrices are no longer zero.
  expect(parsed.value.tensors.get(`${layer}.value.lora_B.weight`)!.data.some((v) => v !== 0)).toBe(true);
});
