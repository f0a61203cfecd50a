// Nothing is lost (issue 6): a run cut off by a reload is listed as interrupted, resumes from its latest checkpoint
// (same data order, optimizer moments, lr schedule), finishes, and its stored curve has every step exactly once.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));
const steps = (attr: string | null) => (attr ? attr.split(',').map(Number) : []);

test('reload mid-run, resume from the checkpoint, finish with contiguous unique steps, download the adapter', async ({ studio, page }) => {
  test.setTimeout(300_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Epochs', 10);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.01);
  await studio.setNumber('Validate every N steps (0 = 4x per epoch)', 2);
  await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
  await studio.startButton.click();

  // Mid-run: a few evaluations (and so checkpoints) exist; then the tab goes away.
  await expect.poll(async () => Number(await studio.chart.getAttribute('data-eval-points')), { timeout: 120_000, intervals: [100] }).toBeGreaterThanOrEqual(4);
  await page.reload();

  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(1);
  await studio.goto('runs');
  await expect(runs.first()).toContainText('interrupted');
  await runs.first().getByRole('button', { name: 'Resume' }).click();

  // The live chart starts with the stored points, then the new ones.
  await expect.poll(async () => Number(await studio.chart.getAttribute('data-train-points')), { timeout: 120_000 }).toBeGreaterThanOrEqual(4);
  await expect(studio.outcome).toContainText(/Run finished after 120 steps/, { timeout: 240_000 });
  expect(Number(await studio.chart.getAttribute('data-train-points'))).toBe(120);
  const from = Number((await studio.outcome.textContent())?.match(/Resumed from the checkpoint at step (\d+)/)?.[1]);
  console.log(`[check] resumed from step ${from} of 120`);
  expect(from).toBeGreaterThanOrEqual(6);
  expect(from).toBeLessThan(120);
  await expect(runs.first()).toContainText('finished');

  await runs.first().getByRole('button', { name: 'Open' }).click();
  const detail = page.getByTestId('run-detail');
  await expect(detail).toHaveAttribute('data-train-steps', /,120$/);
  const trainSteps = steps(await detail.getAttribute('data-train-steps'));
  expect(trainSteps).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  const evalSteps = steps(await detail.getAttribute('data-eval-steps'));
  expect(new Set(evalSteps).size).toBe(evalSteps.length);
  expect([...evalSteps].sort((a, b) => a - b)).toEqual(evalSteps);
  expect(evalSteps[0]).toBe(0);
  expect(evalSteps.at(-1)).toBe(120);

  // The final adapter: from the train panel, and as the run's last stored checkpoint.
  const sources = [
    ['results', page.getByRole('button', { name: 'Download adapter (PEFT zip)' })],
    ['runs', detail.getByRole('button', { name: 'Download adapter', exact: true }).last()],
  ] as const;
  for (const [step, button] of sources) {
    await studio.goto(step);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(zip)).toContain('adapter_model.safetensors');
    expect(Object.keys(zip)).toContain('adapter_config.json');
  }
});
