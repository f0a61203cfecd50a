// Issue 14, adapters come back in (second part): a studio adapter imported back is the starting point of a new run
// (whose first evaluation is the imported adapter's), answers in the classification playground, and is compared with
// runs as an "imported" run; a full fine-tuning export imports back as the model with identical validation metrics,
// and a plain Hugging Face *ForSequenceClassification folder (the bert fixture) imports as the model too.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, E2E_DIR } from '../fixtures/paths';
import type { StudioPage } from '../pages/StudioPage';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

type Report = {
  evaluation: { restoredBest: boolean; bestStep: number };
  run: { steps: number };
  curves: { name: string; points: { step: number; value: number }[] }[];
};

async function downloadReport(studio: StudioPage, page: Page): Promise<Report> {
  await studio.goto('results');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  return JSON.parse(readFileSync(await file.path(), 'utf8')) as Report;
}

const curve = (r: Report, name: string) => r.curves.find((c) => c.name === name)!.points;

/** The validation metrics of the weights a run exports (the restored best, else the last evaluation). */
function exportedMetrics(r: Report) {
  const step = r.evaluation.restoredBest ? r.evaluation.bestStep : r.run.steps;
  const at = (name: string) => curve(r, name).find((p) => p.step === step)!.value;
  return { valLoss: at('validation loss'), valAccuracy: at('validation accuracy'), macroF1: at('macro-F1') };
}

/** Serious or critical axe violations of the view shown (the views this issue changed, with their import content). */
async function axeSerious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function importZip(page: Page, studio: StudioPage, button: string, file: { name: string; buffer: Buffer }) {
  await studio.goto('runs');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: button }).click()]);
  await chooser.setFiles({ ...file, mimeType: 'application/zip' });
}

async function importedMetrics(page: Page) {
  const imported = page.getByTestId('imported-adapter');
  await expect(imported).toBeVisible({ timeout: 90_000 });
  return {
    valLoss: Number(await imported.getAttribute('data-val-loss')),
    valAccuracy: Number(await imported.getAttribute('data-val-accuracy')),
    macroF1: Number(await imported.getAttribute('data-macro-f1')),
  };
}

test('a run continues from an imported studio adapter; the adapter answers in the playground and is compared with runs', async ({ studio, page }) => {
  test.setTimeout(420_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Epochs', 2);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.02);
  await studio.setNumber('LoRA rank r', 4);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 180_000 });
  const first = exportedMetrics(await downloadReport(studio, page));
  const [adapterFile] = await Promise.all([page.waitForEvent('download'), studio.downloadButton.click()]);
  const zip = { name: 'sentiment-adapter.zip', buffer: readFileSync(await adapterFile.path()) };

  await importZip(page, studio, 'Import adapter zip', zip);
  const imported = await importedMetrics(page);
  expect(imported.valLoss).toBeCloseTo(first.valLoss, 5);

  // Continue training from it: the form says so and shows the adapter's rank; the run records where it came from.
  await studio.setNumber('LoRA rank r', 8); // the adapter's rank wins once "continue" is ticked
  await studio.goto('runs');
  await page.getByRole('button', { name: 'Continue training from this adapter' }).click();
  await expect(studio.view('train')).toBeVisible();
  const note = page.getByTestId('continue-from-import');
  await expect(note.getByRole('checkbox')).toBeChecked();
  expect(await axeSerious(page), 'axe on the Train step with the continue note').toEqual([]);
  await expect(note).toContainText('LoRA r 4');
  await expect(page.getByLabel('LoRA rank r', { exact: true })).toHaveValue('4');
  await studio.setNumber('Epochs', 2);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 180_000 });
  await expect(studio.outcome).toContainText('Continued from imported adapter sentiment-adapter.zip');
  const second = await downloadReport(studio, page);
  const val = curve(second, 'validation loss');
  const step0 = (name: string) => curve(second, name).find((p) => p.step === 0)!.value;
  console.log(`[continue] imported ${JSON.stringify(imported)}; new run's validation losses ${val.map((p) => `${p.step}:${p.value.toFixed(4)}`).join(' ')}`);
  // The new run's first evaluation (step 0, before any update) is the imported adapter's.
  expect(step0('validation loss')).toBeCloseTo(imported.valLoss, 5);
  expect(step0('validation accuracy')).toBe(imported.valAccuracy);
  expect(step0('macro-F1')).toBeCloseTo(imported.macroF1, 6);
  // Training goes on sanely from there: finite losses, none blowing up, the training loss not above where it began.
  expect(val.every((p) => Number.isFinite(p.value) && p.value < imported.valLoss * 1.5)).toBe(true);
  const train = curve(second, 'training loss');
  expect(train.length).toBeGreaterThan(2);
  expect(train.at(-1)!.value).toBeLessThan(train[0].value * 1.25);

  // The playground: the imported adapter and the run's adapter both classify a text.
  await studio.goto('playground');
  const play = page.getByTestId('classify-playground');
  await play.getByLabel('Text to classify').fill('an absolutely wonderful, delightful film');
  await play.getByLabel('Classify with').selectOption({ label: 'Imported adapter sentiment-adapter.zip' });
  await play.getByRole('button', { name: 'Classify' }).click();
  const result = play.getByTestId('classify-result');
  await expect(result).toContainText('imported adapter sentiment-adapter.zip');
  const probs = await play.getByRole('table', { name: 'Class probabilities' }).locator('tbody td').allTextContents();
  expect(probs).toHaveLength(2);
  expect(Math.abs(probs.reduce((s, t) => s + parseFloat(t), 0) - 100)).toBeLessThan(0.3);
  expect(['0', '1']).toContain(await result.getAttribute('data-label'));
  expect(await axeSerious(page), 'axe on the classification playground').toEqual([]);
  await play.getByLabel('Classify with').selectOption({ label: "The last run's adapter" });
  await play.getByRole('button', { name: 'Classify' }).click();
  await expect(result).toContainText('the last run');
  // The first run, stored, answers with the very adapter that was exported and imported: the same probabilities.
  const storedRun = await play.getByLabel('Classify with').locator('option', { hasText: 'Stored run' }).first().getAttribute('value');
  await play.getByLabel('Classify with').selectOption(storedRun!);
  await play.getByRole('button', { name: 'Classify' }).click();
  await expect(result).toContainText('run studio-test/micro-bert on sentiment-200.csv');
  expect(await play.getByRole('table', { name: 'Class probabilities' }).locator('tbody td').allTextContents()).toEqual(probs);

  // Compare with runs: the imported adapter is a run entry of its own, compared with the continued run.
  await studio.goto('runs');
  const rows = page.getByTestId('run-row');
  const importedRow = rows.filter({ hasText: 'imported adapter sentiment-adapter.zip, evaluated on' });
  await expect(importedRow).toHaveCount(1);
  // The continued run says where it started (its status note).
  const continuedRow = rows.filter({ hasText: 'continued from imported adapter sentiment-adapter.zip' });
  await expect(continuedRow).toHaveCount(1);
  await importedRow.getByRole('checkbox').check();
  await continuedRow.getByRole('checkbox').check();
  const compare = page.getByTestId('compare-view');
  await expect(compare).toBeVisible();
  expect(await axeSerious(page), 'axe on Runs with the import and the comparison').toEqual([]);
  await expect(compare.getByRole('table', { name: 'Run comparison' })).toContainText('imported');
  await expect(compare.getByRole('table', { name: 'Run comparison' })).toContainText(imported.valLoss.toFixed(4));
});

test('a full fine-tuning export imports back as the model with identical metrics; a plain HF classifier folder imports too', async ({ studio, page }) => {
  test.setTimeout(420_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Epochs', 2);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.01);
  await studio.goto('train');
  await page.getByLabel('Full fine-tuning', { exact: true }).check();
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 240_000 });
  const trained = exportedMetrics(await downloadReport(studio, page));
  const [modelFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download model/ }).click()]);
  await importZip(page, studio, 'Import model folder (zip)', { name: 'sentiment-full.zip', buffer: readFileSync(await modelFile.path()) });
  const got = await importedMetrics(page);
  console.log(`[import-model] trained ${JSON.stringify(trained)}; imported ${JSON.stringify(got)}`);
  expect(got.valLoss).toBeCloseTo(trained.valLoss, 5);
  expect(got.valAccuracy).toBe(trained.valAccuracy);
  expect(got.macroF1).toBeCloseTo(trained.macroF1, 6);
  await expect(studio.modelSummary).toContainText('sentiment-full');

  // The imported model's own head answers in the playground.
  await studio.goto('playground');
  const play = page.getByTestId('classify-playground');
  await play.getByLabel('Text to classify').fill('a dull and tedious film');
  await play.getByLabel('Classify with').selectOption({ label: 'Imported model sentiment-full.zip' });
  await play.getByRole('button', { name: 'Classify' }).click();
  await expect(play.getByTestId('classify-result')).toContainText('the loaded model');

  // A plain HF folder (the bert fixture, BertForSequenceClassification with LABEL_0..2) on three-label data.
  const animals = Buffer.from(
    [
      'text,label',
      ...Array.from({ length: 60 }, (_, i) => `sentence number ${i} about ${['cats', 'dogs', 'birds'][i % 3]},${['cat', 'dog', 'bird'][i % 3]}`),
    ].join('\n') + '\n',
  );
  await studio.dropFile('animals.csv', animals);
  await expect(studio.datasetStats).toContainText('60 rows, 3 labels');
  const dir = path.resolve(E2E_DIR, 'hub/.data/fixtures/bert/resolve/main');
  const folder = zipSync(Object.fromEntries(readdirSync(dir).map((f) => [`bert-classifier/${f}`, new Uint8Array(readFileSync(path.join(dir, f)))])));
  await importZip(page, studio, 'Import model folder (zip)', { name: 'bert-classifier.zip', buffer: Buffer.from(folder) });
  const plain = await importedMetrics(page);
  await expect(page.getByTestId('imported-adapter')).toContainText('LABEL_0, LABEL_1, LABEL_2');
  expect(Number.isFinite(plain.valLoss) && plain.valLoss > 0).toBe(true);
  await expect(studio.modelSummary).toContainText('bert-classifier');

  // A LoRA adapter zip given as a model folder is refused with a message that says which button to use.
  const adapterDir = path.resolve(E2E_DIR, '../../shared/fixtures/reference/bert/adapter');
  const adapter = zipSync({
    'adapter_config.json': new Uint8Array(readFileSync(path.join(adapterDir, 'adapter_config.json'))),
    'adapter_model.safetensors': new Uint8Array(readFileSync(path.join(adapterDir, 'adapter_model.safetensors'))),
  });
  await importZip(page, studio, 'Import model folder (zip)', { name: 'adapter.zip', buffer: Buffer.from(adapter) });
  await expect(page.getByTestId('import-error')).toContainText('Import adapter zip');
});
