// Issue 12 in the browser: the classical TF-IDF + LR bar and the verdict beside every run, the download warning for
// an adapter worth nothing, and all four strategies (head only, LoRA, LoRA + embeddings, full) training and exporting.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, E2E_DIR } from '../fixtures/paths';
import { tryParseSafetensors } from '../../src/model/safetensors';
import { stratifiedSubsample } from '../../scripts/lib/stratifiedSubsample';

const CSV = readFileSync(dataFile('sentiment-200.csv'));

/** A seeded stratified 400-row slice of the real SMS spam set (../shared/datasets beside the checkout). */
function smsSpam400(): Buffer {
  const text = readFileSync(path.resolve(E2E_DIR, '..', '..', 'shared', 'datasets', 'sms_spam.csv'), 'utf8');
  const [header, ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  return Buffer.from(Papa.unparse([header, ...stratifiedSubsample(rows, 400, 0)]));
}

/** The macro-F1 cell of a results-table row: its first number (the fine-tuned row adds a signed delta after it). */
async function macroF1Of(row: import('@playwright/test').Locator): Promise<number> {
  const cell = (await row.locator('td').nth(1).textContent()) ?? '';
  return Number(/\d\.\d{3}/.exec(cell)![0]);
}

test('the offline default with frozen LoRA loses to the classical baseline, and the page says so before the download', async ({ studio, page }) => {
  test.setTimeout(300_000);
  await studio.open('?backend=wasm');
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.splitTotals).toContainText('180 train / 20 validation');
  await studio.goto('model');
  await expect(page.getByTestId('embedded-note')).toContainText('not pretrained');
  // The offline default recommends training its base weights; pick plain LoRA, which cannot learn words on a random net.
  await studio.goto('train');
  await expect(page.getByTestId('strategy-recommendation')).toContainText('Recommended: LoRA + embeddings');
  await page.getByLabel('LoRA', { exact: true }).check();
  await studio.setNumber('Epochs', 1);
  await studio.setNumber('Max tokens', 32);
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 240_000 });
  await studio.goto('results');
  const classical = page.getByTestId('classical-baseline');
  await expect(classical).toContainText('TF-IDF');
  await expect(page.getByTestId('majority-baseline')).toBeVisible();
  await expect(page.getByTestId('per-class-f1')).toContainText('classical F1');
  const verdict = page.getByTestId('run-verdict');
  await expect(verdict).toContainText(/Fine-tuning did not beat the classical baseline \(\u2212\d\.\d\d\)/);
  await expect(page.getByTestId('download-warning')).toBeVisible();
  // Nothing to forget: no forgetting probe for a model that is not pretrained.
  await expect(page.getByTestId('probe-chart')).toHaveCount(0);
  console.log(`verdict: ${await verdict.textContent()}`);
});

test('on real SMS spam the offline default with its default strategy beats the classical baseline, and the verdict agrees with the scores', async ({
  studio,
  page,
}) => {
  test.setTimeout(420_000);
  await studio.open('?backend=wasm');
  await studio.dropFile('sms-spam-400.csv', smsSpam400());
  await expect(studio.splitTotals).toContainText(/\d+ train \/ \d+ validation/);
  await studio.goto('train');
  await expect(page.getByTestId('strategy-recommendation')).toContainText('Recommended:');
  await studio.startButton.click();
  await expect(studio.outcome).toContainText(/Run (finished|early-stopped)/, { timeout: 400_000 });
  await studio.goto('results');
  const classical = await macroF1Of(page.getByTestId('classical-baseline'));
  const fineTuned = await macroF1Of(page.getByTestId('fine-tuned-row'));
  const verdict = page.getByTestId('run-verdict');
  await expect(verdict).toContainText(/Fine-tuning beat the classical baseline by \+\d\.\d\d/);
  const claimed = Number(/by \+(\d\.\d\d)/.exec((await verdict.textContent()) ?? '')![1]);
  expect(fineTuned).toBeGreaterThan(classical);
  // The verdict's delta is the difference of the two scores on the page (each rounded to 3 places there).
  expect(Math.abs(claimed - (fineTuned - classical))).toBeLessThanOrEqual(0.006);
  await expect(page.getByTestId('download-warning')).toHaveCount(0);
  console.log(`sms spam: fine-tuned ${fineTuned} vs classical ${classical}; ${await verdict.textContent()}`);
});

test('all four strategies train and export: PEFT adapters for three, a save_pretrained folder for full fine-tuning', async ({ studio, page }) => {
  test.setTimeout(600_000);
  await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
  await studio.dropFile('sentiment-200.csv', CSV);
  await expect(studio.splitTotals).toContainText('180 train / 20 validation');
  await studio.useHubModel('studio-test/micro-bert');
  await expect(studio.modelSummary).toContainText('1 layers, hidden 32');
  await studio.setNumber('Epochs', 2);
  await studio.setNumber('Max tokens', 32);
  await studio.setNumber('Learning rate', 0.01);
  const cases = [
    { label: 'Head only (linear probe)', button: /Download adapter/ },
    { label: 'LoRA', button: /Download adapter/ },
    { label: 'LoRA + embeddings', button: /Download adapter/ },
    { label: 'Full fine-tuning', button: /Download model/ },
  ];
  for (const c of cases) {
    await studio.goto('train');
    await page.getByLabel(c.label, { exact: true }).check();
    await studio.startButton.click();
    await expect(studio.outcome).toContainText(/Run (finished|early-stopped) after \d+ steps/, { timeout: 240_000 });
    await studio.goto('results');
    await expect(page.getByTestId('run-verdict')).toContainText(/classical baseline/);
    await expect(page.getByTestId('fine-tuned-row')).toContainText(c.label);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: c.button }).click()]);
    const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
    if (c.label === 'Full fine-tuning') {
      expect(download.suggestedFilename()).toMatch(/full-model\.zip$/);
      for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'label_map.json']) expect(Object.keys(zip)).toContain(f);
      const config = JSON.parse(strFromU8(zip['config.json']));
      expect(config).toMatchObject({ architectures: ['BertForSequenceClassification'], id2label: { 0: '0', 1: '1' }, label2id: { 0: 0, 1: 1 } });
      const weights = tryParseSafetensors(zip['model.safetensors']);
      if (!weights.ok) throw new Error(weights.error);
      expect(weights.value.tensors.get('classifier.weight')?.shape).toEqual([2, 32]);
      expect(weights.value.tensors.has('bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
      expect([...weights.value.tensors.keys()].some((k) => k.includes('lora'))).toBe(false);
    } else {
      const config = JSON.parse(strFromU8(zip['adapter_config.json']));
      expect(config.modules_to_save).toEqual(c.label === 'LoRA + embeddings' ? ['word_embeddings', 'classifier', 'score'] : ['classifier', 'score']);
      const weights = tryParseSafetensors(zip['adapter_model.safetensors']);
      if (!weights.ok) throw new Error(weights.error);
      const keys = [...weights.value.tensors.keys()];
      expect(keys.includes('base_model.model.bert.embeddings.word_embeddings.weight')).toBe(c.label === 'LoRA + embeddings');
      const loraB = weights.value.tensors.get('base_model.model.bert.encoder.layer.0.attention.self.value.lora_B.weight')!;
      // A linear probe leaves LoRA B at zero; LoRA trains it.
      expect(loraB.data.some((v) => v !== 0)).toBe(c.label !== 'Head only (linear probe)');
    }
  }
});
