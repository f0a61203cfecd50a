// Issue 14, adapters come back in: an adapter the studio exported imports back onto its base model with identical
// validation metrics; on another base model, or with data of other labels, it is refused with a clear message; an
// adapter PEFT wrote (the reference fixture) imports too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, E2E_DIR } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));
const OTHER_LABELS = Buffer.from(
  [
    'text,label',
    ...Array.from({ length: 60 }, (_, i) => `sentence number ${i} about ${['cats', 'dogs', 'birds'][i % 3]},${['cat', 'dog', 'bird'][i % 3]}`),
  ].join('\n') + '\n',
);

test('a studio adapter imports back with identical validation metrics; other base or labels are refused', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Epochs', 2);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.02);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 180_000 });

  await studio.goto('results');
  const [reportFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  const report = JSON.parse(readFileSync(await reportFile.path(), 'utf8'));
  // The exported adapter is the best one when the loop restored it, else the final one: its evaluation is the target.
  const step = report.evaluation.restoredBest ? report.evaluation.bestStep : report.run.steps;
  const at = (name: string) =>
    report.curves.find((c: { name: string }) => c.name === name).points.find((p: { step: number }) => p.step === step).value as number;
  const final = { valLoss: at('validation loss'), valAccuracy: at('validation accuracy'), macroF1: at('macro-F1') };
  const [adapterFile] = await Promise.all([page.waitForEvent('download'), studio.downloadButton.click()]);
  const adapterZip = { name: 'adapter.zip', mimeType: 'application/zip', buffer: readFileSync(await adapterFile.path()) };

  const importZip = async () => {
    await studio.goto('runs');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import adapter zip' }).click()]);
    await chooser.setFiles(adapterZip);
  };
  await importZip();
  const imported = page.getByTestId('imported-adapter');
  await expect(imported).toBeVisible({ timeout: 60_000 });
  const got = {
    loss: Number(await imported.getAttribute('data-val-loss')),
    acc: Number(await imported.getAttribute('data-val-accuracy')),
    f1: Number(await imported.getAttribute('data-macro-f1')),
  };
  console.log(
    `[import] run at step ${step} (restored best: ${report.evaluation.restoredBest}): loss ${final.valLoss} acc ${final.valAccuracy} f1 ${final.macroF1}; imported: loss ${got.loss} acc ${got.acc} f1 ${got.f1}`,
  );
  expect(got.loss).toBeCloseTo(final.valLoss, 5);
  expect(got.acc).toBe(final.valAccuracy);
  expect(got.f1).toBeCloseTo(final.macroF1, 6);
  await expect(page.getByRole('table', { name: 'Imported adapter compared with the last run' })).toContainText('last run');

  // Another base model: the shapes do not fit, and the message names both models.
  await studio.useHubModel('fixtures/bert');
  await expect(studio.modelSummary).toContainText('fixtures/bert');
  await importZip();
  await expect(page.getByTestId('import-error')).toContainText('does not fit fixtures/bert');
  await expect(page.getByTestId('import-error')).toContainText('studio-test/micro-bert');

  // Data with other labels: refused before any evaluation.
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.dropFile('animals.csv', OTHER_LABELS);
  await expect(studio.datasetStats).toContainText('60 rows, 3 labels');
  await importZip();
  await expect(page.getByTestId('import-error')).toContainText('other labels');
});

test('an adapter PEFT itself wrote (the reference fixture, zipped in its folder) imports onto its base and is evaluated', async ({ studio, page }) => {
  test.setTimeout(180_000);
  const dir = path.resolve(E2E_DIR, '../../shared/fixtures/reference/bert/adapter');
  const zip = zipSync({
    'bert-adapter/adapter_config.json': new Uint8Array(readFileSync(path.join(dir, 'adapter_config.json'))),
    'bert-adapter/adapter_model.safetensors': new Uint8Array(readFileSync(path.join(dir, 'adapter_model.safetensors'))),
  });
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('animals.csv', OTHER_LABELS); // three labels, as the fixture's classifier has
  await studio.useHubModel('fixtures/bert');
  await expect(studio.modelSummary).toContainText('fixtures/bert');
  await studio.goto('runs');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import adapter zip' }).click()]);
  await chooser.setFiles({ name: 'bert-adapter.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  const imported = page.getByTestId('imported-adapter');
  await expect(imported).toContainText('LoRA r 4, alpha 8 on query, value');
  await expect(imported).toContainText('shared/fixtures/reference/bert');
  const loss = Number(await imported.getAttribute('data-val-loss'));
  console.log(`[import] PEFT fixture adapter on fixtures/bert: validation loss ${loss}, accuracy ${await imported.getAttribute('data-val-accuracy')}`);
  expect(Number.isFinite(loss) && loss > 0).toBe(true);
});
