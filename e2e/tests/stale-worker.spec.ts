// A stale worker bundle (issue 10): the page and its worker speak different protocol versions, as after a deploy
// when a cached worker outlives the page. The page says so at start-up with a "Reload the page" banner, before
// any click, and a request made anyway is refused with the same message rather than misread.
import { readFileSync } from 'node:fs';
import { expect, test } from '../fixtures/studio';
import { dataFile } from '../fixtures/paths';

test('a worker of another protocol version gets a reload banner at start-up', async ({ studio, page }) => {
  let rewritten = 0;
  // The built worker announces its version in its ready message; serve a copy that announces another one.
  await page.route(/\/assets\/studio\.worker-[^/]+\.js$/, async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    const stale = body.replace(/type:`ready`,protocolVersion:(\d+)/, (_m, v: string) => `type:\`ready\`,protocolVersion:${Number(v) - 1}`);
    if (stale !== body) rewritten++;
    await route.fulfill({ response, body: stale });
  });
  await studio.open();
  const banner = page.getByTestId('worker-problem-banner');
  await expect(banner).toBeVisible();
  expect(rewritten).toBe(1);
  await expect(banner).toContainText('Reload the page to continue');
  await expect(banner.getByRole('button', { name: 'Reload the page' })).toBeVisible();

  // The page keeps working as a page: a file dropped now gets the same message, not a blank view or a parse error.
  await studio.dropFile('sentiment-200.csv', readFileSync(dataFile('sentiment-200.csv')));
  await expect(studio.datasetError).toContainText('Reload the page');

  // Reloading with the current worker (no rewrite) clears the banner.
  await page.unroute(/\/assets\/studio\.worker-[^/]+\.js$/);
  await banner.getByRole('button', { name: 'Reload the page' }).click();
  await expect(page.getByTestId('worker-problem-banner')).toHaveCount(0);
  await studio.dropFile('sentiment-200.csv', readFileSync(dataFile('sentiment-200.csv')));
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
});
