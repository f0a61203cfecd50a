// A 200 MB CSV streams through the worker with a progress bar and leaves the tab responsive.
// Slow (about a minute); runs only with BIG_FILE=1: BIG_FILE=1 npx playwright test -c e2e big-file.spec.ts
import { expect, test } from '../fixtures/studio';

test('a 200 MB CSV streams in, gets a report, and the page stays responsive', async ({ studio, page }) => {
  test.skip(!process.env.BIG_FILE, 'set BIG_FILE=1 to run the 200 MB streaming check');
  test.setTimeout(600_000);
  await studio.open('?backend=cpu');
  const sizeMB = await page.evaluate(() => {
    const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(' ');
    const parts: string[] = ['text,label\n'];
    let bytes = 0;
    let i = 0;
    while (bytes < 200 * 1024 * 1024) {
      let chunk = '';
      for (let k = 0; k < 5000; k++, i++) {
        // Pseudo-words from a 50k vocabulary, so rows are distinct like real text (a 19-word vocabulary
        // makes every row a near duplicate of every other, the MinHash worst case).
        const w = (n: number) => (n % 3 === 0 ? words[(i + n) % words.length] : (((i + 1) * 2654435761 + n * 40503) >>> 0) % 50000).toString(36);
        chunk += `"review ${i}: ${w(1)} ${w(2)} ${w(3)} ${w(4)} ${w(5)}, the ${w(6)} was ${w(7)} and ${w(8)}",${i % 3 === 0 ? 'pos' : 'neg'}\n`;
      }
      parts.push(chunk);
      bytes += chunk.length;
    }
    const dt = new DataTransfer();
    dt.items.add(new File(parts, 'big.csv', { type: 'text/csv' }));
    (window as unknown as { __bigDrop: DataTransfer }).__bigDrop = dt;
    return bytes / 1024 / 1024;
  });
  console.log(`built ${sizeMB.toFixed(0)} MB in the page`);
  await studio.goto('data');
  const started = Date.now();
  const dataTransfer = await page.evaluateHandle(() => (window as unknown as { __bigDrop: DataTransfer }).__bigDrop);
  await studio.dropzone.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('parse-progress')).toBeVisible();
  // The main thread answers while the worker parses.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => setTimeout(r, 10)));
  expect(Date.now() - t0).toBeLessThan(2000);
  await expect(studio.datasetStats).toContainText('rows, 2 labels', { timeout: 540_000 });
  await studio.goto('check');
  console.log(
    `${await studio.datasetStats.textContent()} in ${((Date.now() - started) / 1000).toFixed(1)} s; ${await page.getByTestId('quality-summary').textContent()}`,
  );
  await expect(studio.qualityPanel).toContainText('The report covers the first 100,000');
});
