// The guided layout (issue 14): a newcomer walks every step by the side navigation alone, the step list says what
// is done and what to do next, the run status follows every view, deep links survive a reload, and axe finds no
// serious or critical violation on any step view (light and dark theme, 1024 px and 1920 px).
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/studio';
import { dataFile, screenshotFile } from '../fixtures/paths';
import { STEPS } from '../pages/StudioPage';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

async function seriousViolations(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad)
    console.log(
      `[axe] ${label}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
    );
  return bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a newcomer walks every step by the navigation: statuses, next step, run status, results, deep links', async ({ studio, page }) => {
  test.setTimeout(240_000);
  await studio.open('?backend=wasm');
  const nav = page.getByRole('navigation', { name: 'Steps' });
  const next = page.getByTestId('next-step');
  await expect(next).toHaveAttribute('data-step', 'data');
  await expect(nav.getByTestId('nav-train')).toHaveAttribute('data-status', 'blocked');
  // The reason is on hover (title) and in the link's accessible name for screen readers.
  await expect(nav.getByTestId('nav-train')).toHaveAttribute('title', /blocked: Load usable data/);
  await expect(nav.getByRole('link', { name: /Train.*blocked: Load usable data/ })).toBeVisible();

  // Data, by keyboard: the drop zone's button opens the file chooser.
  // Listen first: file-chooser interception is switched on asynchronously, and a key press is faster than a click.
  const chooserEvent = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose a file' }).focus();
  await page.keyboard.press('Enter');
  const chooser = await chooserEvent;
  await chooser.setFiles({ name: 'sentiment-200.csv', mimeType: 'text/csv', buffer: CSV });
  await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
  await expect(nav.getByTestId('nav-data')).toHaveAttribute('data-status', 'done');
  await expect(next).toHaveAttribute('data-step', 'train');

  // Check, Model: reached by their links; each view replaces the last.
  await nav.getByTestId('nav-check').click();
  await expect(studio.qualityPanel).toBeVisible();
  await expect(studio.view('data')).toBeHidden();
  await nav.getByTestId('nav-model').click();
  await expect(page.getByTestId('embedded-note')).toBeVisible();
  await expect(page).toHaveURL(/#\/model$/);

  // Train: the simple form holds the few settings that matter; "All settings" shows the rest.
  await nav.getByTestId('nav-train').click();
  const form = studio.view('train');
  await expect(form.getByLabel('Learning rate', { exact: true })).toBeVisible();
  await expect(form.getByLabel('Weight decay', { exact: true })).toHaveCount(0);
  await studio.showAllSettings();
  await expect(form.getByLabel('Weight decay', { exact: true })).toBeVisible();
  await page.getByRole('radio', { name: 'Simple settings' }).check();
  await form.getByLabel('Epochs', { exact: true }).fill('3');
  await form.getByLabel('Max tokens', { exact: true }).fill('32');

  // State is kept across steps: the form value and the dataset survive a round trip.
  await nav.getByTestId('nav-data').click();
  await expect(page.getByRole('table', { name: 'Preview' })).toBeVisible();
  await nav.getByTestId('nav-train').click();
  await expect(form.getByLabel('Epochs', { exact: true })).toHaveValue('3');

  // The compact run status is visible from every view while the run trains.
  await studio.startButton.click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-state', 'running');
  await nav.getByTestId('nav-data').click();
  await expect(status.getByTestId('run-status-step')).toBeVisible({ timeout: 60_000 });
  await expect(status.getByRole('button', { name: 'Stop run' })).toBeVisible();
  await expect(nav.getByTestId('nav-train')).toHaveAttribute('data-status', 'running');
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  await expect(next).toHaveAttribute('data-step', 'results');

  // Results: the evaluation tables; the loss chart's numbers are also a table.
  await status.getByRole('link', { name: 'See the results' }).click();
  await expect(page.getByRole('table', { name: 'Confusion matrix' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Download adapter/ })).toBeVisible();
  await nav.getByTestId('nav-train').click();
  await studio.chart.getByText(/Show the data as a table/).click();
  await expect(page.getByRole('table', { name: 'Training curve data' }).locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: screenshotFile('layout-train.png') });

  // Playground: the run's adapter answers; Runs lists the run, and its deep link survives a reload.
  await nav.getByTestId('nav-playground').click();
  // After a classification run the playground classifies texts with its adapter (issue 14).
  await expect(page.getByTestId('classify-playground')).toBeVisible();
  await nav.getByTestId('nav-runs').click();
  await page.getByTestId('run-row').first().getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await expect(page).toHaveURL(/#\/runs\/[^/]+$/);
  await page.reload();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await expect(studio.view('runs')).toBeVisible();
  await page.screenshot({ path: screenshotFile('layout-runs.png') });

  // A typed deep link opens its step; back goes to the previous one.
  await page.goto('/?backend=wasm#/train');
  await expect(studio.view('train')).toBeVisible();
  await nav.getByTestId('nav-check').click();
  await page.goBack();
  await expect(studio.view('train')).toBeVisible();
});

for (const [scheme, width] of [
  ['light', 1024],
  ['dark', 1920],
] as const) {
  test(`axe: no serious or critical violations on any step view (${scheme}, ${width} px)`, async ({ studio, page }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    await studio.open('?backend=wasm');
    const empty: Record<string, string[]> = {};
    for (const step of STEPS) {
      await studio.goto(step);
      empty[step] = await seriousViolations(page, `${scheme} ${width} empty ${step}`);
    }
    // With data and a finished run, every view has its full content.
    await studio.dropFile('sentiment-200.csv', CSV);
    await expect(studio.datasetStats).toContainText('200 rows, 2 labels');
    await studio.setNumber('Epochs', 1);
    await studio.setNumber('Max tokens', 32);
    await studio.startButton.click();
    await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 180_000 });
    const full: Record<string, string[]> = {};
    for (const step of STEPS) {
      await studio.goto(step);
      // Nothing overflows the page sideways at this width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `${step} fits ${width} px`).toBe(true);
      full[step] = await seriousViolations(page, `${scheme} ${width} full ${step}`);
    }
    await studio.goto('results');
    await page.screenshot({ path: screenshotFile(`layout-results-${scheme}-${width}.png`) });
    expect({ empty, full }).toEqual({ empty: Object.fromEntries(STEPS.map((s) => [s, []])), full: Object.fromEntries(STEPS.map((s) => [s, []])) });
  });
}
