// Issue 14, adapters come back in for causal LMs: a CAUSAL_LM adapter the studio exported imports back onto its
// decoder with the run's validation loss, generates in the playground exactly as the run's adapter did, and a run
// continues from it; the PEFT-made fixture adapters (gpt2, llama, qwen2) import onto their bases; another base is
// refused with a message naming both.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, E2E_DIR } from '../fixtures/paths';
import type { StudioPage } from '../pages/StudioPage';

const CSV = readFileSync(dataFile('intent-instructions.csv'));

type Report = {
  evaluation: { restoredBest: boolean; bestStep: number };
  run: { steps: number };
  curves: { name: string; points: { step: number; value: number }[] }[];
};

async function downloadReport(studio: StudioPage, page: Page): Promise<Report> {
  await studio.goto('results');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report (JSON)' }).click()]);
  return JSON.parse(readFileSync(await file.path(), 'utf8')) as Report;
}
const valLossAt = (r: Report, step: number) => r.curves.find((c) => c.name === 'validation loss')!.points.find((p) => p.step === step)!.value;

async function importZip(page: Page, studio: StudioPage, name: string, buffer: Buffer) {
  await studio.goto('runs');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import adapter zip' }).click()]);
  await chooser.setFiles({ name, buffer, mimeType: 'application/zip' });
}

async function generateTuned(page: Page, studio: StudioPage): Promise<string> {
  await studio.goto('playground');
  const play = page.getByTestId('playground');
  await play.getByLabel('Prompt').fill('set a timer for 5 minutes');
  await play.getByLabel('Max new tokens').fill('10');
  await play.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('gen-tuned')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('gen-base')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  return (await page.getByTestId('gen-tuned-text').textContent()) ?? '';
}

test('a studio causal-LM adapter imports back: same validation loss, same generations, and a run continues from it', async ({ studio, page }) => {
  test.setTimeout(420_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('intent-instructions.csv', CSV);
  await expect(page.getByTestId('task-picker')).toHaveAttribute('data-task', 'instruction');
  await studio.useHubModel('fixtures/gpt2');
  await expect(studio.modelSummary).toContainText('gpt2');
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Batch size', 8);
  await studio.setNumber('Max tokens', 64);
  await studio.setNumber('Learning rate', 0.01);
  await studio.setNumber('LoRA rank r', 4);
  await studio.setNumber('Exact-match samples', 0);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 240_000 });
  const report = await downloadReport(studio, page);
  const exported = valLossAt(report, report.evaluation.restoredBest ? report.evaluation.bestStep : report.run.steps);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download adapter (PEFT zip)' }).click()]);
  const zip = readFileSync(await download.path());
  const byRun = await generateTuned(page, studio);

  await importZip(page, studio, 'intent-lm.zip', zip);
  const imported = page.getByTestId('imported-adapter');
  await expect(imported).toHaveAttribute('data-task', 'CAUSAL_LM', { timeout: 90_000 });
  await expect(imported).toContainText('causal-LM LoRA r 4');
  const loss = Number(await imported.getAttribute('data-val-loss'));
  const ppl = Number(await imported.getAttribute('data-perplexity'));
  console.log(`[import-lm] run's exported adapter: validation loss ${exported}; imported: loss ${loss}, perplexity ${ppl}`);
  expect(loss).toBeCloseTo(exported, 5);
  expect(ppl).toBeCloseTo(Math.exp(loss), 4);

  // The playground's fine-tuned side is the imported adapter now, and it generates what the run's adapter generated.
  const byImport = await generateTuned(page, studio);
  await expect(page.getByTestId('gen-tuned')).toContainText('Imported adapter intent-lm.zip');
  console.log(`[import-lm] generations: run ${JSON.stringify(byRun)} | imported ${JSON.stringify(byImport)}`);
  expect(byImport).toBe(byRun);

  // Continue training from it: the new run's first evaluation is the imported adapter's.
  await studio.goto('runs');
  await page.getByRole('button', { name: 'Continue training from this adapter' }).click();
  await expect(page.getByTestId('continue-from-import').getByRole('checkbox')).toBeChecked();
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 240_000 });
  await expect(studio.outcome).toContainText('Continued from imported adapter intent-lm.zip');
  const second = await downloadReport(studio, page);
  const vals = second.curves.find((c) => c.name === 'validation loss')!.points;
  console.log(`[continue-lm] validation losses ${vals.map((p) => `${p.step}:${p.value.toFixed(4)}`).join(' ')}`);
  expect(valLossAt(second, 0)).toBeCloseTo(loss, 5);
  expect(vals.at(-1)!.value).toBeLessThanOrEqual(loss + 0.05);
  expect(vals.every((p) => Number.isFinite(p.value))).toBe(true);
});

test('PEFT-made causal-LM fixture adapters import onto gpt2, llama and qwen2; another base is refused', async ({ studio, page }) => {
  test.setTimeout(300_000);
  const fixtureZip = (arch: string) => {
    const dir = path.resolve(E2E_DIR, `../../shared/fixtures/reference/${arch}/adapter`);
    return Buffer.from(
      zipSync({
        [`${arch}-adapter/adapter_config.json`]: new Uint8Array(readFileSync(path.join(dir, 'adapter_config.json'))),
        [`${arch}-adapter/adapter_model.safetensors`]: new Uint8Array(readFileSync(path.join(dir, 'adapter_model.safetensors'))),
      }),
    );
  };
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('intent-instructions.csv', CSV);
  await expect(page.getByTestId('task-picker')).toHaveAttribute('data-task', 'instruction');
  await studio.setNumber('Max tokens', 64);
  for (const arch of ['gpt2', 'llama', 'qwen2']) {
    await studio.useHubModel(`fixtures/${arch}`);
    await expect(studio.modelSummary).toContainText(`fixtures/${arch}`);
    await importZip(page, studio, `${arch}-adapter.zip`, fixtureZip(arch));
    const imported = page.getByTestId('imported-adapter');
    await expect(imported).toContainText(`${arch}-adapter.zip on fixtures/${arch}`, { timeout: 60_000 });
    const loss = Number(await imported.getAttribute('data-val-loss'));
    console.log(`[import-lm] PEFT fixture adapter on fixtures/${arch}: validation loss ${loss}, perplexity ${await imported.getAttribute('data-perplexity')}`);
    expect(Number.isFinite(loss) && loss > 0).toBe(true);
  }
  // The qwen2 fixture adapter on gpt2: the message says it does not fit and names the adapter's base.
  await studio.useHubModel('fixtures/gpt2');
  await expect(studio.modelSummary).toContainText('fixtures/gpt2');
  await importZip(page, studio, 'qwen2-adapter.zip', fixtureZip('qwen2'));
  await expect(page.getByTestId('import-error')).toContainText('does not fit fixtures/gpt2');
  await expect(page.getByTestId('import-error')).toContainText('reference/qwen2');
  // A causal-LM adapter with classification data: it needs instruction data or domain text, and says so.
  await studio.dropFile('sentiment-200.csv', readFileSync(dataFile('sentiment-200.csv')));
  await expect(page.getByTestId('task-picker')).toHaveAttribute('data-task', 'classify');
  await importZip(page, studio, 'gpt2-adapter.zip', fixtureZip('gpt2'));
  await expect(page.getByTestId('import-error')).toContainText('causal-LM (CAUSAL_LM) adapter');
  await expect(page.getByTestId('import-error')).toContainText('instruction data or domain text');
});
