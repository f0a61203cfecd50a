// Issue 14, installable and offline: after the first visit the service worker holds the app shell, the worker, the
// WASM binaries and the demo model; with the network cut the studio reloads, trains and downloads the adapter.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

test.use({ serviceWorkers: 'allow' });

test('offline after the first visit: reload, train on the demo model, download', async ({ studio, page, context }) => {
  test.setTimeout(240_000);
  await studio.open('?backend=wasm');
  const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href)).json());
  expect(manifest).toMatchObject({ name: 'Fine-tuning Studio', display: 'standalone' });
  // Wait until the service worker is active (it activates once everything is precached); it serves the next load.
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), { timeout: 60_000 }).toBe('activated');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Fine-tuning Studio' })).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps on wasm/, { timeout: 180_000 });
  await studio.goto('results');
  const [download] = await Promise.all([page.waitForEvent('download'), studio.downloadButton.click()]);
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  expect(Object.keys(zip)).toContain('adapter_model.safetensors');
  await context.setOffline(false);
});
