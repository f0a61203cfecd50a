// Nothing is lost: after a reload the dataset and the finished runs are still there, runs can be
// opened, compared, downloaded and deleted.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

test('runs survive a reload and can be opened, compared, downloaded and deleted', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  for (const lr of [0.02, 0.001]) {
    await studio.setNumber('Learning rate', lr);
    await studio.startButton.click();
    await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps/, { timeout: 120_000 });
  }

  await page.reload();
  await studio.goto('runs');
  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(2);
  await expect(runs.first()).toContainText('finished');
  await expect(page.getByText('sentiment-200.csv').first()).toBeVisible();

  // The dataset is reopened from IndexedDB, not dropped again.
  await page.getByRole('button', { name: 'Open' }).first().click();
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');

  await runs.first().getByRole('button', { name: 'Open' }).click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.locator('.recharts-line')).toHaveCount(3);
  const [download] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: 'Download adapter' }).first().click()]);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  expect(Object.keys(zip)).toContain('adapter_model.safetensors');

  await runs.nth(0).getByRole('checkbox').check();
  await runs.nth(1).getByRole('checkbox').check();
  await expect(page.getByTestId('compare-view')).toContainText('Comparing 2 runs');
  await expect(page.getByRole('table', { name: 'Run comparison' })).toContainText('0.001');

  await runs.first().getByRole('button', { name: 'Delete' }).click();
  await runs.first().getByRole('button', { name: 'Really delete?' }).click();
  await expect(page.getByText(/Run deleted; .* freed/)).toBeVisible();
  await expect(runs).toHaveCount(1);
});
