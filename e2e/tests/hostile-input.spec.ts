// The bad-input suite (issue 13): every kind of broken or hostile input, each asserting the message or the
// correct result, that the page keeps working and that nothing stored is lost. Inputs: e2e/data/bad/ (small,
// committed) and e2e/data/bad/generate.ts (large or binary, built here). Prints the suite's counts.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';
import type { StudioPage } from '../pages/StudioPage';
import * as bad from '../data/bad/generate';

const GOOD = readFileSync(dataFile('sentiment-200.csv'));
const tally = { tried: 0, clearError: 0, handled: 0 };
test.afterAll(() => console.log(`[bad-input suite] inputs tried ${tally.tried}, clear error ${tally.clearError}, handled ${tally.handled}`));

async function refused(studio: StudioPage, name: string, bytes: Buffer, message: RegExp, kept = '200 rows, 2 labels') {
  tally.tried++;
  await studio.dropFile(name, bytes);
  await expect(studio.datasetError).toContainText(message);
  await expect(studio.datasetStats).toContainText(kept); // what was on the page is still there
  tally.clearError++;
}

const savedCount = async (page: Page) => Number((await page.getByText(/^Saved datasets \(\d+\)$/).textContent())!.match(/\d+/)![0]);

test('data files: binary, wide, mis-encoded and malformed files are refused clearly and never clear the page', async ({ studio, page }) => {
  test.setTimeout(180_000);
  await studio.open('?backend=wasm');
  await studio.dropFile('sentiment-200.csv', GOOD);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await studio.goto('runs');
  await expect.poll(() => savedCount(page)).toBe(1);

  const t0 = Date.now();
  await refused(studio, 'wide.csv', bad.wideCsv(50_000), /50,000 columns; the studio reads at most 256/);
  console.log(`[wide] refused in ${Date.now() - t0} ms; options on the page: ${await page.locator('option').count()}`);
  expect(await page.locator('option').count()).toBeLessThan(600);
  await refused(studio, 'photo-renamed.txt', bad.badFile('photo-renamed.txt'), /PNG image, not text/);
  await refused(studio, 'random.txt', bad.randomBinary(4096), /not look like a UTF-8 text file/);
  await refused(studio, 'random.jsonl', bad.randomBinary(4096), /not look like a UTF-8 text file/);
  await refused(studio, 'photo.csv', bad.badFile('photo-renamed.txt'), /PNG image, not text/);
  await refused(studio, 'sheet.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0]), /zip archive \(or an \.xlsx/);
  await refused(studio, 'broken.json', Buffer.from('{ "text": "a", "label": '), /No JSON objects found|invalid JSON/);
  await refused(studio, 'utf32.csv', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), /UTF-32/);

  // Nothing stored was lost, and a reload still lists the dataset.
  await page.reload();
  await studio.goto('runs');
  await expect.poll(() => savedCount(page)).toBe(1);
});

test('data files that must be read correctly: UTF-16, JSON shapes, label variants, emoji and other scripts', async ({ studio, page }) => {
  test.setTimeout(180_000);
  await studio.open('?backend=wasm');
  const handled = async (name: string, bytes: Buffer, stats: string | RegExp) => {
    tally.tried++;
    await studio.dropFile(name, bytes);
    await expect(studio.datasetStats).toContainText(stats);
    await expect(studio.datasetError).toBeHidden();
    tally.handled++;
  };
  for (const endian of ['le', 'be'] as const) {
    await handled(`reviews-utf16${endian}.csv`, bad.utf16Csv(endian, 300), '300 rows, 2 labels');
    await expect(page.getByRole('table', { name: 'Labels' })).toContainText('positive');
    await expect(page.getByRole('table', { name: 'Preview' })).toContainText(/review 0 [a-z]+ [a-z]+/);
  }

  await handled('label-variants.csv', bad.badFile('label-variants.csv'), '42 rows, 6 labels');
  await studio.goto('check');
  await expect(studio.finding('label_variants')).toHaveAttribute('data-severity', 'warning');
  await expect(studio.finding('label_variants')).toHaveAttribute('data-count', '6');
  await studio.finding('label_variants').getByRole('button', { name: 'Merge the label variants' }).click();
  await studio.goto('data');
  await expect(studio.datasetStats).toContainText('42 rows, 2 labels');

  await handled('numeric-label-variants.csv', bad.badFile('numeric-label-variants.csv'), '36 rows, 5 labels');
  await studio.goto('check');
  await expect(studio.finding('label_variants')).toHaveAttribute('data-count', '5');
  await studio.finding('label_variants').getByRole('button', { name: 'Merge the label variants' }).click();
  await studio.goto('data');
  await expect(studio.datasetStats).toContainText('36 rows, 2 labels');

  for (const name of ['emoji-only.csv', 'non-latin.csv']) {
    await handled(name, bad.badFile(name), /(40|30) rows, 2 labels/);
    await expect(studio.datasetBlocking).toBeHidden();
    await studio.goto('check');
    await expect(studio.finding('no_text_column')).toHaveCount(0);
  }

  await handled('rows-left-out.csv', bad.badFile('rows-left-out.csv'), '18 rows'); // the unclosed quote on row 20 swallows the rest of the file
  const leftOut = page.getByTestId('parse-errors');
  await expect(leftOut).toContainText('4 rows left out');
  await expect(page.getByTestId('parse-errors-list').locator('li')).toHaveText([
    /^row 5: expected 2 fields but found 3/,
    /^row 9: the text is empty/,
    /^row 14: the label is missing/,
    /^row 20: a quoted field is never closed/,
  ]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('parse-errors-download').click()]);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r\n/);
  expect(csv[0]).toBe('row,reason');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['5', '9', '14', '20']);

  await handled('pretty-classification.json', bad.badFile('pretty-classification.json'), '40 rows, 2 labels');
});

test('instruction data: pretty JSON, a mixed JSONL read by majority, bad lines listed by line number', async ({ studio, page }) => {
  await studio.open('?backend=wasm');
  const lm = page.getByTestId('lm-data');
  tally.tried++;
  await studio.dropFile('pretty-instructions.json', bad.badFile('pretty-instructions.json'));
  await expect(lm).toHaveAttribute('data-examples', '24');
  tally.handled++;

  tally.tried++;
  await studio.dropFile('mixed-prompt-chat.jsonl', bad.badFile('mixed-prompt-chat.jsonl'));
  await expect(lm).toHaveAttribute('data-examples', '20');
  await expect(page.getByTestId('lm-left-out-list').locator('li')).toHaveText([/^line 5: this line is chat/, /^line 12: this line is chat/]);
  tally.handled++;

  tally.tried++;
  await studio.dropFile('bad-lines.jsonl', bad.badFile('bad-lines.jsonl'));
  await expect(lm).toHaveAttribute('data-examples', '13');
  await expect(page.getByTestId('lm-left-out-list').locator('li')).toHaveText([
    /^line 3: invalid JSON/,
    /^line 7: "completion" is missing/,
    /^line 9: expected a JSON object/,
  ]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lm-left-out-download').click()]);
  expect(readFileSync(await download.path(), 'utf8')).toMatch(/^line,reason\r\n3,/);
  tally.handled++;

  // A file that fails keeps the instruction data on the page.
  tally.tried++;
  await studio.dropFile('photo.txt', bad.badFile('photo-renamed.txt'));
  await expect(studio.datasetError).toContainText('PNG image');
  await expect(lm).toHaveAttribute('data-examples', '13');
  tally.clearError++;
});

test('project files: bombs, ../ ids, garbage checkpoints, bad splits and junk rows are refused and write nothing', async ({ studio, page }) => {
  test.setTimeout(120_000);
  await studio.open('?backend=wasm');
  await studio.dropFile('sentiment-200.csv', GOOD);
  await studio.goto('runs');
  await expect.poll(() => savedCount(page)).toBe(1);
  const importFile = (name: string, buffer: Buffer) => page.getByLabel('Project file').setInputFiles({ name, mimeType: 'application/zip', buffer });
  const cases: [string, () => Buffer, RegExp][] = [
    ['bomb.ftproject.zip', bad.zipBomb, /compressed more than 200:1 \(a zip bomb\?\)/],
    ['dotdot.ftproject.zip', bad.dotDotIds, /outside the archive|not a plain id/],
    ['garbage-checkpoint.ftproject.zip', bad.garbageCheckpoint, /checkpoint at step 3 is unusable: the adapter is not a readable zip/],
    ['split-past-rows.ftproject.zip', bad.splitPastRows, /validation list points at row 30, outside the 30 rows/],
    ['rows-of-spaces.ftproject.zip', bad.rowsOfSpaces, /dataset\/rows\.json is not valid JSON/],
    ['not-a-zip.ftproject.zip', () => bad.randomBinary(2048), /not a (readable )?zip/],
  ];
  for (const [name, make, message] of cases) {
    tally.tried++;
    await importFile(name, make());
    await expect(page.getByTestId('library-error')).toContainText(message);
    expect(await savedCount(page)).toBe(1);
    tally.clearError++;
  }
  tally.tried++;
  await importFile('good.ftproject.zip', bad.projectArchive());
  await expect(page.getByTestId('library-notice')).toContainText('Imported the project with 1 run(s).');
  await expect.poll(() => savedCount(page)).toBe(2);
  await expect(page.getByTestId('library-error')).toBeHidden();
  tally.handled++;
  await page.reload();
  await studio.goto('runs');
  await expect.poll(() => savedCount(page)).toBe(2);
});

test('local model folders: NaN weights, a config that does not match the weights and an absurd config fail at load', async ({ studio, page }) => {
  await studio.open('?backend=wasm');
  const cases: [string, ReturnType<typeof bad.nanWeightsModel>, RegExp][] = [
    ['NaN weights', bad.nanWeightsModel(), /query\.weight holds 1 NaN or infinite value/],
    ['config/weights mismatch', bad.mismatchedConfigModel(), /belong to different models|hidden size/],
    ['absurd config', bad.absurdConfigModel(), /numHiddenLayers is 100000, outside/],
  ];
  await studio.goto('model');
  await page.getByLabel('Local model folder').check();
  for (const [name, files, message] of cases) {
    tally.tried++;
    await page.getByLabel('Model files', { exact: true }).setInputFiles(files);
    await page.getByRole('button', { name: 'Load model' }).click();
    await expect(studio.modelError, name).toContainText(message);
    console.log(`[model] ${name}: ${await studio.modelError.textContent()}`);
    tally.clearError++;
  }
  await expect(page.getByRole('heading', { name: 'Fine-tuning Studio' })).toBeVisible();
});
