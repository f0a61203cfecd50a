// Causal-LM runs are resumable like classification runs (issue 10): a run cut off by a reload mid-way is listed as
// interrupted, resumes from its latest checkpoint (optimizer moments, data position, lr schedule) and finishes
// with every step stored exactly once; the final adapter downloads as a CAUSAL_LM zip.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('intent-instructions.csv'));
const steps = (attr: string | null) => (attr ? attr.split(',').map(Number) : []);
// 108 training rows / batch 8 = 14 steps per epoch.
const EPOCHS = 5;
const TOTAL = 14 * EPOCHS;

test('reload mid causal-LM run, resume from the checkpoint, finish with contiguous unique steps', async ({ studio, page }) => {
  test.setTimeout(420_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('intent-instructions.csv', CSV);
  await expect(page.getByTestId('task-picker')).toHaveAttribute('data-task', 'instruction');
  await studio.useHubModel('fixtures/gpt2');
  await expect(studio.modelSummary).toContainText('gpt2');
  await studio.setNumber('Epochs', EPOCHS);
  await studio.setNumber('Batch size', 8);
  await studio.setNumber('Max tokens', 64);
  await studio.setNumber('Learning rate', 0.01);
  await studio.setNumber('LoRA rank r', 4);
  await studio.setNumber('Validate every N steps (0 = 4x per epoch)', 4);
  await studio.setNumber('Exact-match samples', 0);
  await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
  // The classifier-only few-shot setting is not offered for a causal-LM task (the LM options have their own).
  await expect(page.getByTestId('lm-options').getByLabel('Few-shot k')).toHaveCount(1);
  await expect(page.getByLabel('Few-shot k')).toHaveCount(1);
  await studio.startButton.click();

  // Pause and resume work for LM runs too.
  await expect.poll(async () => Number(await studio.chart.getAttribute('data-train-points')), { timeout: 180_000, intervals: [100] }).toBeGreaterThanOrEqual(2);
  const trainPanel = page.locator('section[aria-labelledby="train-title"]');
  await trainPanel.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('train-paused')).toHaveAttribute('data-reason', 'user', { timeout: 60_000 });
  const pausedAt = Number(await studio.chart.getAttribute('data-train-points'));
  await page.waitForTimeout(1500);
  expect(Number(await studio.chart.getAttribute('data-train-points'))).toBe(pausedAt);
  await trainPanel.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('train-paused')).toHaveCount(0);

  // Mid-run: a few evaluations (and so checkpoints) exist; then the tab goes away.
  await expect.poll(async () => Number(await studio.chart.getAttribute('data-eval-points')), { timeout: 180_000, intervals: [100] }).toBeGreaterThanOrEqual(4);
  await page.reload();

  await studio.goto('runs');
  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText('interrupted');
  await runs.first().getByRole('button', { name: 'Resume' }).click();
  await studio.goto('train');
  await expect(studio.outcome).toContainText(new RegExp(`Run finished after ${TOTAL} steps`), { timeout: 300_000 });
  const from = Number((await studio.outcome.textContent())?.match(/Resumed from the checkpoint at step (\d+)/)?.[1]);
  console.log(`[check] LM run resumed from step ${from} of ${TOTAL}`);
  expect(from).toBeGreaterThanOrEqual(4);
  expect(from).toBeLessThan(TOTAL);
  await studio.goto('runs');
  await expect(runs.first()).toContainText('finished');

  await runs.first().getByRole('button', { name: 'Open' }).click();
  const detail = page.getByTestId('run-detail');
  await expect(detail).toHaveAttribute('data-train-steps', new RegExp(`,${TOTAL}$`));
  expect(steps(await detail.getAttribute('data-train-steps'))).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  const evalSteps = steps(await detail.getAttribute('data-eval-steps'));
  expect(new Set(evalSteps).size).toBe(evalSteps.length);
  expect([...evalSteps].sort((a, b) => a - b)).toEqual(evalSteps);
  expect(evalSteps[0]).toBe(0);
  expect(evalSteps.at(-1)).toBe(TOTAL);

  await studio.goto('results');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download adapter (PEFT zip)' }).click()]);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  expect(Object.keys(zip).sort()).toEqual(['README.md', 'adapter_config.json', 'adapter_model.safetensors', 'chat_template.jinja']);
  expect(JSON.parse(strFromU8(zip['adapter_config.json']))).toMatchObject({ task_type: 'CAUSAL_LM', base_model_name_or_path: 'fixtures/gpt2' });
});
