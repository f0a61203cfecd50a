// Issue 14: from a finished run, the training report (one self-contained HTML file + its JSON twin) and the Python
// recipe download; the HTML opens with every network request blocked and holds the curves and tables; the recipe
// carries the exact split and every setting. The same downloads work for the run reopened in the runs view.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, screenshotFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

async function download(page: Page, scope: ReturnType<Page['getByTestId']>, name: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), scope.getByRole('button', { name }).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

test('report (HTML offline + JSON) and Python recipe from a finished run and from the runs view', async ({ studio, page, context }) => {
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
  const exports = page.getByTestId('run-exports');
  const html = await download(page, exports, 'Download report (HTML)');
  const json = await download(page, exports, 'Download report (JSON)');
  expect(html.name).toMatch(/^training-report-.*\.html$/);
  const report = JSON.parse(json.bytes.toString('utf8'));
  expect(report).toMatchObject({
    format: 'finetune-studio-report/1',
    model: { id: 'studio-test/micro-bert', revision: expect.stringMatching(/^[0-9a-f]{40}$/) },
    split: { train: 180, validation: 20, leakageAcknowledged: false },
    hardware: { backend: 'wasm' },
  });
  expect(report.hyperparameters).toMatchObject({ epochs: 2, maxSeqLength: 32, learningRate: 0.02 });
  expect(report.evaluation.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(20);
  expect(report.baselines.length).toBeGreaterThanOrEqual(1);

  // The HTML in a page that may not fetch anything: every request is recorded and refused.
  const viewer = await context.newPage();
  const requests: string[] = [];
  await viewer.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  await viewer.setContent(html.bytes.toString('utf8'));
  await expect(viewer.getByRole('heading', { name: /Training report/ })).toBeVisible();
  await expect(viewer.locator('svg polyline.curve')).toHaveCount(report.curves.length);
  expect(report.curves.length).toBeGreaterThanOrEqual(4);
  await expect(viewer.locator('table[data-table="confusion"] tbody tr')).toHaveCount(2);
  await expect(viewer.locator('table[data-table="per-class"]')).toContainText('precision');
  await expect(viewer.locator('table[data-table="hyperparameters"]')).toContainText('learningRate');
  await expect(viewer.locator('table[data-table="curves"] tbody tr')).toHaveCount(
    new Set(report.curves.flatMap((c: { points: { step: number }[] }) => c.points.map((p) => p.step))).size,
  );
  await viewer.screenshot({ path: screenshotFile('training-report.png'), fullPage: false });
  expect(requests).toEqual([]);
  await viewer.close();

  // The recipe: the exact split rows and every setting.
  const recipe = await download(page, exports, 'Download Python recipe (zip)');
  const zip = unzipSync(new Uint8Array(recipe.bytes));
  expect(Object.keys(zip).sort()).toEqual(
    [
      'README.md',
      'accelerate/deepspeed_zero2.yaml',
      'accelerate/fsdp.yaml',
      'data/train.csv',
      'data/validation.csv',
      'requirements.txt',
      'studio_settings.json',
      'train.py',
    ].map((f) => `recipe/${f}`),
  );
  const rows = (f: string) => Papa.parse<string[]>(strFromU8(zip[`recipe/data/${f}`]).trimEnd()).data.slice(1);
  const train = rows('train.csv');
  const validation = rows('validation.csv');
  expect([train.length, validation.length]).toEqual([180, 20]);
  const source = Papa.parse<string[]>(CSV.toString('utf8').trimEnd())
    .data.slice(1)
    .map((r) => r.join('\u0000'));
  expect(new Set([...train, ...validation].map((r) => r.join('\u0000')))).toEqual(new Set(source));
  const settings = JSON.parse(strFromU8(zip['recipe/studio_settings.json']));
  expect(settings).toMatchObject({ modelId: 'studio-test/micro-bert', targetModules: ['query', 'value'], labelNames: ['0', '1'] });
  expect(settings.trainConfig).toEqual(report.hyperparameters);
  expect(strFromU8(zip['recipe/train.py'])).toContain(JSON.stringify(settings, null, 2));

  // The same run reopened in the runs view: report and recipe again.
  await studio.goto('runs');
  await page.getByTestId('run-row').first().getByRole('button', { name: 'Open' }).click();
  const stored = page.getByTestId('open-run-exports');
  const storedJson = JSON.parse((await download(page, stored, 'Download report (JSON)')).bytes.toString('utf8'));
  expect(storedJson.run.id).toBe(report.run.id);
  expect(storedJson.curves.find((c: { name: string }) => c.name === 'training loss').points.length).toBe(report.curves[0].points.length);
  const storedRecipe = unzipSync(new Uint8Array((await download(page, stored, 'Download Python recipe (zip)')).bytes));
  expect(JSON.parse(strFromU8(storedRecipe['recipe/studio_settings.json'])).trainConfig).toEqual(settings.trainConfig);
});
