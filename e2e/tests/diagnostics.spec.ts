// Issue 5 in the browser: the studio watches a run and says what goes wrong, in banners with advice.
// Tiny and deterministic: the mock hub's micro-bert on the WASM backend, small CSVs made here with a seeded RNG.
import { expect, HUB_URL, test } from '../fixtures/studio';
import type { StudioPage } from '../pages/StudioPage';
import { screenshotFile } from '../fixtures/paths';

const WORDS = (
  'apple river stone cloud lamp paper green window music table garden yellow silver orange basket candle forest ' +
  'pencil bottle rocket planet mirror jacket ladder hammer pillow carpet button castle desert island market ' +
  'meadow needle ocean pepper pocket puzzle rabbit saddle shadow spider summer tunnel valley wagon winter'
).split(' ');

/** A seeded LCG, so every run of the spec trains on the same rows. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows of `words` random words each. noise = 1: labels are coin flips (only memorisable); 0: the label is whether the text has "apple". */
function makeCsv(rows: number, seed: number, noise: number, words = 4): Buffer {
  const r = rng(seed);
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const ws = Array.from({ length: words }, () => WORDS[1 + Math.floor(r() * (WORDS.length - 1))]);
    const positive = r() < 0.5;
    if (positive) ws[Math.floor(r() * words)] = 'apple';
    const label = r() < noise ? (r() < 0.5 ? 1 : 0) : positive ? 1 : 0;
    lines.push(`${ws.join(' ')},${label}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

async function setUp(studio: StudioPage, fileName: string, csv: Buffer, settings: Record<string, number>, validationShare = 0.2) {
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile(fileName, csv);
  await expect(studio.splitTotals).toBeVisible();
  await studio.page.getByLabel('Validation share').selectOption(String(validationShare));
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Max tokens', 16);
  for (const [label, value] of Object.entries(settings)) await studio.setNumber(label, value);
}

const trainPanel = (studio: StudioPage) => studio.page.locator('section[aria-labelledby="train-title"]');

test('memorising noisy labels: overfitting banner, early stopping, the best point marked and restored', async ({ studio, page }) => {
  test.setTimeout(300_000);
  // 40 rows of random words with coin-flip labels: nothing generalises, so whatever the adapter learns is memorisation.
  // Validation loss dips for a few epochs (the classifier head finds the label balance) and then climbs.
  const settings = { Epochs: 80, 'Batch size': 4, 'Learning rate': 0.01, 'LoRA rank r': 16, 'LoRA dropout': 0, 'Weight decay': 0, Patience: 10 };
  await setUp(studio, 'noisy-labels.csv', makeCsv(40, 7, 1, 5), settings, 0.3);
  await studio.startButton.click();

  await expect(studio.outcome).toContainText('Run early-stopped', { timeout: 240_000 });
  const overfit = page.getByTestId('diagnostic-overfitting');
  await expect(overfit).toBeVisible();
  await expect(overfit).toContainText(/Overfitting since step \d+/);
  const early = page.getByTestId('diagnostic-early-stopping');
  await expect(early).toContainText('restored');
  await expect(studio.outcome).toContainText(/Best adapter restored \(step \d+\)/);
  await expect(page.getByTestId('restored-best')).toContainText('was restored');

  // The best point is marked on the chart, and it is the evaluation with the lowest validation loss.
  const bestStep = Number(await studio.chart.getAttribute('data-best-step'));
  await expect(studio.chart.locator('.recharts-reference-dot')).toHaveCount(1);
  await expect(page.getByTestId('best-point')).toContainText(`step ${bestStep}`);
  const outcomeText = (await studio.outcome.textContent()) ?? '';
  const bestValLoss = Number(/best validation loss ([\d.]+)/.exec(outcomeText)?.[1]);
  await expect(page.getByTestId('best-point')).toContainText(bestValLoss.toFixed(4));

  // Evaluation detail (the Results step): per-class table and a confusion matrix with the label names.
  await studio.goto('results');
  await expect(page.getByRole('table', { name: 'Confusion matrix' })).toContainText('0');
  await expect(page.getByRole('table', { name: 'Per-class metrics' })).toBeVisible();
  await expect(page.getByTestId('padding-waste')).toContainText('padding waste');
  // micro-bert is random, not pretrained: there is no general English to forget, so no probe (issue 12).
  await expect(page.getByTestId('probe-chart')).toHaveCount(0);
  await studio.goto('train');
  await trainPanel(studio).screenshot({ path: screenshotFile('diagnostics-overfitting.png') });

  // The log-scale toggle redraws the same two loss lines on a log axis.
  await studio.chart.getByLabel('Log scale').check();
  await expect(studio.chart).toHaveAttribute('data-log-scale', 'true');
  await expect(studio.chart.locator('.recharts-line')).toHaveCount(3);
});

test('a learning rate of 1e-7 raises the underfitting banner', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await setUp(studio, 'learnable.csv', makeCsv(120, 11, 0), { Epochs: 2, 'Batch size': 8, 'Learning rate': 1e-7 });
  await studio.startButton.click();
  const banner = page.getByTestId('diagnostic-underfitting');
  await expect(banner).toBeVisible({ timeout: 180_000 });
  await expect(banner).toContainText('Raise the learning rate');
  await expect(studio.outcome).toBeVisible({ timeout: 180_000 });
  await banner.screenshot({ path: screenshotFile('diagnostics-underfitting.png') });
});

test('an absurd learning rate: NaN/Inf caught, rolled back and paused; "Resume at lr/10" continues', async ({ studio, page }) => {
  test.setTimeout(300_000);
  // 9.9: the worker refuses learning rates of 10 and above; 9.9 explodes the loss within a few steps. Validating only at
  // epoch ends keeps the rollback point at step 0 (an evaluation of the already-blown-up adapter would become the "good" state).
  await setUp(studio, 'learnable.csv', makeCsv(120, 11, 0), {
    Epochs: 2,
    'Batch size': 8,
    'Learning rate': 9.9,
    'Validate every N steps (0 = 4x per epoch)': 1000,
  });
  await studio.startButton.click();
  const banner = page.getByTestId('diagnostic-non-finite-loss');
  await expect(banner).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('train-paused')).toHaveAttribute('data-reason', 'non-finite-loss');
  await expect(page.getByTestId('rollback-info')).toContainText(/Rolled back from step \d+ to step \d+/);
  await expect(banner).toContainText('lower it');
  await banner.screenshot({ path: screenshotFile('diagnostics-nan-rollback.png') });

  // Each resume divides the learning rate by 10 until the run trains on (9.9 -> 0.99 -> 0.099 ...).
  const advice = page.getByTestId('nan-advice');
  const resume = banner.getByRole('button', { name: 'Resume at lr/10' });
  for (let i = 0; i < 5 && !(await studio.outcome.isVisible()); i++) {
    const lr = Number(await advice.getAttribute('data-learning-rate'));
    await resume.click();
    // Either it diverges again (paused, at the lower rate) or it trains to the end.
    await expect
      .poll(async () => (await studio.outcome.isVisible()) || ((await resume.isVisible()) && Number(await advice.getAttribute('data-learning-rate')) < lr), {
        timeout: 120_000,
      })
      .toBe(true);
  }
  await expect(studio.outcome).toContainText('Run ', { timeout: 120_000 });
  await expect(studio.outcome).not.toContainText('failed');
  const step = Number(await page.getByTestId('train-step').textContent());
  expect(step).toBeGreaterThan(1);
});

test('hyperparameter search: the table holds every trial with its config and metric; "Use best" fills the form', async ({ studio, page }) => {
  test.setTimeout(300_000);
  await setUp(studio, 'learnable.csv', makeCsv(120, 11, 0), {});
  await page.getByLabel('Search Learning rates').fill('0.03, 0.003, 0.0003');
  await page.getByLabel('Search Batch sizes').fill('16');
  await page.getByLabel('Search Epochs to try').fill('1');
  await page.getByLabel('Search LoRA ranks').fill('4');
  await page.getByLabel('Search LoRA alphas').fill('8');
  await studio.setNumber('Max trials', 3);
  await page.getByRole('button', { name: 'Run search' }).click();
  await expect(page.getByTestId('search-done')).toContainText('3 trials', { timeout: 240_000 });

  const table = page.getByTestId('search-results');
  const rows = table.getByTestId('search-trial');
  await expect(rows).toHaveCount(3);
  for (const lr of ['0.03', '0.003', '0.0003']) await expect(table).toContainText(lr);
  const metrics = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-metric'))));
  expect(metrics.every(Number.isFinite)).toBe(true);
  expect([...metrics].sort((a, b) => b - a)).toEqual(metrics); // sorted by the validation metric, best first
  await expect(page.getByTestId('search-curves').locator('.recharts-line')).toHaveCount(3);

  const bestLr = (await rows.first().locator('td').nth(2).textContent())!.trim();
  await page.getByRole('button', { name: 'Use best' }).click();
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue(bestLr);
  await expect(page.getByLabel('LoRA rank r', { exact: true })).toHaveValue('4');
  await page.getByTestId('search-panel').screenshot({ path: screenshotFile('diagnostics-search.png') });
});
