// Data audit (issue 4) in the browser: drop quality_problems.csv, see the findings PROVENANCE.md lists,
// apply the fixes, see the counts change, train on the cleaned data; and the leakage acknowledgement.
import { readFileSync } from 'node:fs';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const QUALITY_CSV = readFileSync(dataFile('quality_problems.csv'));
const LEAKY_CSV = readFileSync(dataFile('leaky-split.csv'));
const EXPECTED = JSON.parse(readFileSync('/work/shared/datasets/handmade_expected.json', 'utf8'))['quality_problems.csv'];
const MICRO_MODEL = 'studio-test/micro-bert';

test('quality_problems.csv: expected findings, fixes change the counts, train on the cleaned copy', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('quality_problems.csv', QUALITY_CSV);
  await expect(studio.datasetStats).toContainText('37 rows');
  await studio.goto('check');
  await expect(studio.qualityPanel).toBeVisible();

  const extra = (groups: number[][]) => groups.reduce((n, g) => n + g.length - 1, 0);
  const want: Record<string, number> = {
    empty_text: EXPECTED.empty_text_rows.length,
    whitespace_only_text: EXPECTED.whitespace_only_text_rows.length,
    missing_label: EXPECTED.missing_label_rows.length,
    exact_duplicates: extra(EXPECTED.exact_duplicate_groups_text_and_label),
    normalized_duplicates: EXPECTED.near_duplicate_groups.flat().length,
    conflicting_labels: EXPECTED.conflicting_label_groups.length,
    rare_labels: Object.keys(EXPECTED.singleton_labels).length,
  };
  for (const [checkId, count] of Object.entries(want)) {
    await expect(studio.finding(checkId), checkId).toHaveAttribute('data-count', String(count));
    await expect(studio.finding(checkId)).toHaveAttribute('data-severity', 'warning');
  }
  // The long row is over any small max tokens.
  await expect(studio.finding('too_long')).toHaveAttribute('data-severity', 'warning');
  for (const id of ['fuzzy_duplicates', 'control_chars', 'mojibake', 'single_label', 'too_many_labels']) {
    await expect(studio.finding(id)).toHaveAttribute('data-severity', 'ok'); // folded under "checks passed"
  }

  // Expand a finding and read one of its rows.
  await studio
    .finding('exact_duplicates')
    .getByRole('button', { name: /Exact duplicates/ })
    .click();
  const firstGroup = [...EXPECTED.exact_duplicate_groups_text_and_label].sort((a: number[], b: number[]) => a[0] - b[0])[0];
  await studio
    .finding('exact_duplicates')
    .getByRole('button', { name: new RegExp(`^row ${firstGroup[0]}\\b`) })
    .click();
  await expect(page.getByTestId('audit-row-text')).toContainText(`Row ${firstGroup[0]}`);

  // The split keeps duplicates together, so there is no leakage to acknowledge.
  await expect(studio.leakageReport).toHaveAttribute('data-rows', '0');
  await expect(studio.leakageWarning).toHaveCount(0);

  await studio.applyAllFixesButton.click();
  await expect(studio.fixResult).toContainText('37 → 20 rows');
  await expect(studio.datasetStats).toContainText('20 rows, 2 labels');
  for (const id of ['empty_text', 'missing_label', 'exact_duplicates', 'conflicting_labels', 'rare_labels']) {
    await expect(studio.finding(id)).toHaveAttribute('data-severity', 'ok');
  }
  await expect(studio.auditSplitTotals).toContainText('train /');

  // The cleaned CSV download is formula-safe text.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download cleaned CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('quality_problems-cleaned.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n').filter(Boolean)).toHaveLength(21);

  await studio.useHubModel(MICRO_MODEL);
  await expect(studio.modelSummary).toContainText('1 layers, hidden 32');
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Batch size', 8);
  // With the model loaded, lengths come from its tokenizer; the semantic check runs on its embeddings.
  await expect(studio.qualityPanel).toContainText(`from ${MICRO_MODEL}'s tokenizer`);
  await studio.goto('check');
  await studio.semanticButton.click();
  await expect(studio.leakageReport).toContainText('semantic = cosine ≥ 0.95');
  // micro-bert is a random-weight test model, so its embeddings may call unrelated texts twins: if the
  // semantic check found any, Start waits for the acknowledgement.
  const semanticRows = Number(await studio.leakageReport.getAttribute('data-rows'));
  console.log(`semantic check: ${await page.getByTestId('leak-leak_semantic').textContent()}; rows with a twin ${semanticRows}`);
  await studio.goto('train');
  if (semanticRows > 0) {
    await expect(studio.startButton).toBeDisabled();
    await studio.leakageAck.check();
  }
  await expect(studio.startButton).toBeEnabled();
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 180_000 });
  await expect(page.getByTestId('train-error')).toHaveCount(0);
});

test('leakage across a split column must be acknowledged before training, and the run records it', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('leaky-split.csv', LEAKY_CSV);
  await expect(studio.datasetStats).toContainText('33 rows');
  await studio.goto('check');
  await page.getByLabel('Split mode').selectOption('column');
  await expect(studio.auditSplitTotals).toContainText('24 train / 9 validation');
  await expect(studio.leakageReport).toHaveAttribute('data-rows', '3');
  await expect(page.getByTestId('leak-leak_exact')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('leak-leak_normalized')).toHaveAttribute('data-count', '1');
  await expect(page.getByRole('table', { name: 'Leaked pairs' })).toContainText('I loved this movie');

  await studio.useHubModel(MICRO_MODEL);
  await expect(studio.modelSummary).toContainText('1 layers, hidden 32');
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  await expect(studio.leakageWarning).toContainText('3 held-out rows');
  await expect(studio.startButton).toBeDisabled();
  await studio.leakageAck.check();
  await expect(studio.startButton).toBeEnabled();
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 180_000 });
  await expect(studio.outcomeLeakage).toContainText('3 held-out rows (33.3 %)');

  // Back to a group-aware split: the copies stay together and the warning goes away.
  await studio.goto('check');
  await page.getByLabel('Split mode').selectOption('group');
  await expect(studio.leakageReport).toHaveAttribute('data-rows', '0');
  await expect(studio.leakageWarning).toHaveCount(0);
});
