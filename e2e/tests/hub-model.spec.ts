// Loading a Hugging Face checkpoint by model id from the locally served mock hub, and the bad cases.
import { readFileSync } from 'node:fs';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

test('the bert fixture loads by model id, trains, and a second load comes from the browser cache', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await studio.useHubModel('fixtures/bert');
  await expect(studio.modelSummary).toContainText('fixtures/bert: bert, 2 layers, hidden 32, 4 heads');
  await expect(page.getByTestId('model-downloads')).toContainText('model.safetensors');

  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps on wasm/, { timeout: 180_000 });

  await studio.page.reload();
  await studio.useHubModel('fixtures/bert');
  await expect(studio.modelSummary).toContainText('fixtures/bert');
  await expect(page.getByTestId('model-downloads')).toContainText('from browser cache');
});

test('an unsupported architecture and a checkpoint without safetensors get clear messages', async ({ studio }) => {
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.useHubModel('fixtures/unsupported-arch');
  await expect(studio.modelError).toContainText('"t5"');
  await expect(studio.modelError).toContainText('bert');

  await studio.useHubModel('fixtures/bert-no-safetensors');
  await expect(studio.modelError).toContainText('model.safetensors');

  await studio.useHubModel('nobody/does-not-exist');
  await expect(studio.modelError).toContainText('not found');

  // The page still works afterwards.
  await studio.useHubModel('fixtures/bert');
  await expect(studio.modelSummary).toContainText('fixtures/bert');
});
