// Faults survived (issue 13): browser storage that fills up for real mid-run (a storage bucket with a small quota)
// pauses the run with the storage message, loses nothing, and the run resumes once space is back; a WebGPU device
// lost mid-run pauses it and Resume continues on WASM from the last checkpoint; a worker that dies mid-run leaves
// the run interrupted and resumable; closing the tab mid-checkpoint leaves the last checkpoint intact.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';
import { StudioPage } from '../pages/StudioPage';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

async function startRun(studio: StudioPage, page: Page, epochs: number, query = '?backend=wasm') {
  await studio.open(`${query}&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('micro-bert');
  await studio.setNumber('Epochs', epochs);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Validate every N steps (0 = 4x per epoch)', 2);
  await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
}

/** Fills the studio's test bucket (?storageQuota) with other data until even `minChunk` bytes no longer fit. */
async function fillBucket(page: Page, minChunk: number): Promise<number> {
  return page.evaluate(
    async ({ bucketName, minChunk }) => {
      type Buckets = { open(name: string): Promise<{ indexedDB: IDBFactory }> };
      const bucket = await (navigator as unknown as { storageBuckets: Buckets }).storageBuckets.open(bucketName);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = bucket.indexedDB.open('other-site-data', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('blobs');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      // Random bytes: IndexedDB compresses what it stores, and these must take their full size.
      const put = (key: number, bytes: number) =>
        new Promise<boolean>((resolve) => {
          const a = new Uint8Array(bytes);
          for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(a.subarray(i, Math.min(bytes, i + 65536)));
          const t = db.transaction('blobs', 'readwrite');
          t.objectStore('blobs').put(a, key);
          t.oncomplete = () => resolve(true);
          t.onabort = () => resolve(false);
        });
      let stored = 0;
      let key = 0;
      for (let chunk = 1 << 20; chunk >= minChunk; chunk >>= 1) while (await put(key++, chunk)) stored += chunk;
      db.close();
      return stored;
    },
    { bucketName: 'studio-quota-test', minChunk },
  );
}

/** Deletes that other data again (as a user clearing another site's or app's storage). */
const freeBucket = (page: Page) =>
  page.evaluate(async (bucketName) => {
    type Buckets = { open(name: string): Promise<{ indexedDB: IDBFactory }> };
    const bucket = await (navigator as unknown as { storageBuckets: Buckets }).storageBuckets.open(bucketName);
    await new Promise((resolve, reject) => {
      const r = bucket.indexedDB.deleteDatabase('other-site-data');
      r.onsuccess = resolve;
      r.onerror = () => reject(r.error);
    });
  }, 'studio-quota-test');

// Chromium 156 does not apply CDP Storage.overrideQuotaForOrigin to IndexedDB (measured: with the override at half
// of the usage, and even at 1 MB below 8 MB in use, 5 MB writes still commit; Storage.getUsageAndQuota reports the
// override active). A storage bucket's quota is enforced (QuotaExceededError on commit, also for a put that deletes
// as much in the same transaction), so with ?debug=1&storageQuota=N the worker keeps its database in a bucket of N
// bytes, and the test fills the rest of it with other data until not even 4 kB fit: the next checkpoint write fails
// for real in the browser, as on a full disk.
test('storage full mid-run: the run pauses with the storage message, nothing stored is lost, and it resumes once space is back', async ({ studio, page }) => {
  test.setTimeout(300_000);
  // 60 epochs (720 steps): long enough to pause mid-run on a fast machine (a step of this tiny model takes ~10 ms).
  await startRun(studio, page, 60, `?backend=wasm&debug=1&storageQuota=${2 << 20}`);
  await studio.startButton.click();
  const train = studio.view('train');
  const paused = page.getByTestId('train-paused');
  // Once the run has saved a checkpoint or two, the user pauses it while other data takes every byte left.
  await expect.poll(() => evalPoints(studio), { timeout: 120_000, intervals: [100] }).toBeGreaterThanOrEqual(2);
  // The status bar re-renders at every step: dispatch the click instead of waiting for the button to hold still.
  await page.getByRole('button', { name: 'Pause run' }).dispatchEvent('click');
  await expect(paused).toHaveAttribute('data-reason', 'user');
  const filled = await fillBucket(page, 4096);
  const stepBefore = Number((await paused.textContent())?.match(/step (\d+)/)?.[1]);
  await train.getByRole('button', { name: 'Resume', exact: true }).click();
  // The next checkpoint does not fit: the run pauses itself with the storage message.
  await expect(paused).toHaveAttribute('data-reason', 'storage', { timeout: 120_000 });
  const message = page.getByTestId('train-paused-message');
  await expect(message).toContainText(/Browser storage is full: saving the checkpoint at step \d+ .*did not fit/);
  const stepAtPause = Number((await paused.textContent())?.match(/step (\d+)/)?.[1]);
  expect(stepAtPause).toBeGreaterThan(stepBefore);
  console.log(`[quota] ${filled} B of other data filled the 2 MiB bucket; paused at step ${stepAtPause}: ${await message.textContent()}`);
  // It stays paused: nothing trains on without a place for its checkpoints.
  await page.waitForTimeout(2000);
  await expect(paused).toHaveAttribute('data-reason', 'storage');

  // Space comes back (the other data is deleted): Resume finishes the run.
  await freeBucket(page);
  // Exact and in the Train view: the header's run status has its own "Resume run" button.
  await train.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps/, { timeout: 240_000 });
  await expect(page.getByTestId('train-error')).toHaveCount(0);

  await page.reload();
  await studio.goto('runs');
  await expect(page.getByText(/^Saved datasets \(1\)$/)).toBeVisible();
  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText('finished');
});

const evalPoints = async (studio: StudioPage) => Number(await studio.chart.getAttribute('data-eval-points'));
/** The test-only fault hook of a page opened with ?debug=1 (bridge/debugHooks.ts). */
const injectFault = (page: Page, fault: 'crash' | 'device-lost') =>
  page.evaluate((f) => (globalThis as unknown as { studioDebug: { fault(f: string): Promise<null> } }).studioDebug.fault(f), fault);

test('a WebGPU device lost mid-run pauses the run with the reason, and Resume continues it on WASM from the last checkpoint', async ({ studio, page }) => {
  test.setTimeout(300_000);
  // WebGPU is forced: on this machine the only adapter is SwiftShader, and the studio would pick WASM by itself.
  await startRun(studio, page, 6, '?backend=webgpu&debug=1');
  await studio.startButton.click();
  await expect(studio.backendName).toHaveText('webgpu');
  await expect.poll(() => evalPoints(studio), { timeout: 180_000, intervals: [100] }).toBeGreaterThanOrEqual(3);
  await injectFault(page, 'device-lost');
  const paused = page.getByTestId('train-paused');
  await expect(paused).toHaveAttribute('data-reason', 'device-lost', { timeout: 60_000 });
  const message = page.getByTestId('train-paused-message');
  await expect(message).toContainText(/Training paused at step \d+: the GPU device was lost \(destroyed/);
  await expect(message).toContainText('Resume continues on WebAssembly (CPU) from the last checkpoint; nothing stored is lost.');
  console.log(`[device-lost] ${await message.textContent()}`);
  await expect(page.getByTestId('train-error')).toHaveCount(0);

  await studio.view('train').getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps on wasm/, { timeout: 240_000 });
  await expect(studio.outcome).toContainText(/Resumed from the checkpoint at step \d+\./);
  await expect(page.getByTestId('diagnostic-device-lost')).toContainText('Continued on WebAssembly after the GPU device was lost');
  console.log(`[device-lost] ${await studio.outcome.textContent()}`);

  await studio.goto('runs');
  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText('finished');
});

test('a worker that dies mid-run: the page says so, the run is interrupted, and Resume continues it from its last checkpoint', async ({ studio, page }) => {
  test.setTimeout(300_000);
  // 60 epochs (600 steps) so the crash lands mid-run even when a step takes a few milliseconds.
  await startRun(studio, page, 60, '?backend=wasm&debug=1');
  await studio.startButton.click();
  await expect.poll(() => evalPoints(studio), { timeout: 120_000, intervals: [100] }).toBeGreaterThanOrEqual(4);
  // The worker ends itself at once, as when Chrome kills it for memory: no error event, no last message.
  await injectFault(page, 'crash');
  const error = page.getByTestId('train-error');
  await expect(error).toContainText('The studio worker stopped unexpectedly', { timeout: 30_000 });
  await expect(error).toContainText('It is saved as interrupted: open Runs and press Resume to continue from its last checkpoint.');
  console.log(`[worker-crash] ${await error.textContent()}`);
  // The page stays whole: the data is still there and training can be started again.
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');

  await studio.goto('runs');
  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText('interrupted');
  await runs.first().getByRole('button', { name: 'Resume' }).click();
  await studio.goto('train');
  await expect(studio.outcome).toContainText(/Resumed from the checkpoint at step \d+/, { timeout: 240_000 });
  await studio.goto('runs');
  await expect(runs.first()).toContainText('finished');
});

test('closing the tab while checkpoints are being written leaves the last checkpoint intact and resumable', async ({ studio, page, context }) => {
  test.setTimeout(300_000);
  await startRun(studio, page, 10);
  await studio.startButton.click();
  // A checkpoint at every evaluation (every 2 steps): closing now lands during or between checkpoint writes.
  await expect.poll(async () => Number(await studio.chart.getAttribute('data-eval-points')), { timeout: 120_000, intervals: [50] }).toBeGreaterThanOrEqual(5);
  await page.close({ runBeforeUnload: false });

  const again = await context.newPage();
  await again.goto(`/?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  const studioAgain = new StudioPage(again);
  await studioAgain.goto('runs');
  const runs = again.getByTestId('run-row');
  await expect(runs).toHaveCount(1);
  await expect(runs.first()).toContainText('interrupted');
  await runs.first().getByRole('button', { name: 'Open' }).click();
  const detail = again.getByTestId('run-detail');
  const [download] = await Promise.all([again.waitForEvent('download'), detail.getByRole('button', { name: 'Download adapter', exact: true }).last().click()]);
  const { unzipSync } = await import('fflate');
  const { tryParseSafetensors } = await import('../../src/model/safetensors');
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const weights = tryParseSafetensors(zip['adapter_model.safetensors']);
  expect(weights.ok).toBe(true);
  await runs.first().getByRole('button', { name: 'Resume' }).click();
  await studioAgain.goto('train');
  await expect(again.getByTestId('train-outcome')).toContainText(/Resumed from the checkpoint at step \d+/, { timeout: 240_000 });
});
