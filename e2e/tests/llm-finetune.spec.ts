// Causal-LM fine-tuning end to end (issue 7): drop a prompt → completion CSV made from CLINC150 questions and
// intent names (e2e/data/makeIntentCsv.mjs), see the task suggested and truncation flagged per row, fine-tune the
// Llama and GPT-2 fixtures from the mock hub on wasm with the few-shot baseline first, watch validation loss / perplexity fall,
// generate base vs tuned in the playground (streamed; different at strength 1, equal at strength 0), and download a
// CAUSAL_LM PEFT adapter whose keys and shapes match the reference adapter, with chat_template.jinja.
// The fixture is random-weight (1000-token test tokenizer): falling losses come from memorising the training split;
// validation shares the 6 completions, so its loss falls too. Prints tokens/s of training and generation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { expect, HUB_URL, test } from '../fixtures/studio';
import { dataFile, E2E_DIR, screenshotFile } from '../fixtures/paths';
import { tryParseSafetensors } from '../../src/model/safetensors';

const CSV = readFileSync(dataFile('intent-instructions.csv'));
const reference = (arch: string) => path.resolve(E2E_DIR, `../../shared/fixtures/reference/${arch}/adapter/adapter_model.safetensors`);
const FIXTURES = [
  { arch: 'llama', summary: 'llama, 2 layers, hidden 64', targets: ['q_proj', 'v_proj'], fanInFanOut: false },
  { arch: 'gpt2', summary: 'gpt2, 2 layers, hidden 32', targets: ['c_attn'], fanInFanOut: true },
];
const num = async (loc: import('@playwright/test').Locator, attr: string) => Number(await loc.getAttribute(attr));

for (const fx of FIXTURES)
  test(`instruction data: fine-tune the ${fx.arch} fixture, compare base and tuned generations, download a CAUSAL_LM adapter`, async ({ studio, page }) => {
    test.setTimeout(420_000);
    await studio.open(`?backend=wasm&hub=${encodeURIComponent(HUB_URL)}`);
    await expect(studio.backendName).toHaveText('wasm');

    await studio.dropFile('intent-instructions.csv', CSV);
    const picker = page.getByTestId('task-picker');
    await expect(picker).toHaveAttribute('data-task', 'instruction');
    await expect(picker).toHaveAttribute('data-suggested', 'instruction');
    const lmData = page.getByTestId('lm-data');
    await expect(lmData).toHaveAttribute('data-examples', '120');
    await expect(lmData).toHaveAttribute('data-validation', '12');
    await expect(page.getByTestId('lm-duplicates')).toHaveAttribute('data-count', '0');

    await studio.useHubModel(`fixtures/${fx.arch}`);
    await expect(studio.modelSummary).toContainText(fx.summary);
    await expect(page.getByTestId('lm-stats')).toContainText('plain template');

    // Truncation that cuts the completion or its EOS is flagged per row (formatted rows are 32–61 tokens).
    await studio.setNumber('Max tokens', 40);
    await expect(page.getByTestId('lm-cut-summary')).not.toHaveAttribute('data-count', '0');
    await studio.goto('data');
    await expect(page.getByTestId('lm-row-cut').first()).toBeVisible();
    await studio.setNumber('Max tokens', 64);
    await expect(page.getByTestId('lm-cut-summary')).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('lm-row-cut')).toHaveCount(0);

    await studio.setNumber('Epochs', 4);
    await studio.setNumber('Batch size', 8);
    await studio.setNumber('Learning rate', 0.01);
    await studio.setNumber('LoRA rank r', 4);
    await studio.setNumber('LoRA dropout', 0);
    // One loop for every task: 0 would mean 4x per epoch here too, so ask for once per epoch (14 steps), and keep
    // early stopping off so the run length is fixed.
    await studio.setNumber('Validate every N steps (0 = 4x per epoch)', 14);
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await studio.startButton.click();
    await expect(page.getByTestId('few-shot')).toContainText('perplexity', { timeout: 120_000 });
    await expect(studio.outcome).toContainText('Run finished after 56 steps on wasm', { timeout: 300_000 });

    const evalView = page.getByTestId('lm-eval');
    expect(await num(evalView, 'data-eval-points')).toBe(5); // before training + after each of 4 epochs
    const [loss0, loss1] = [await num(evalView, 'data-first-val-loss'), await num(evalView, 'data-last-val-loss')];
    const [ppl0, ppl1] = [await num(evalView, 'data-first-perplexity'), await num(evalView, 'data-last-perplexity')];
    const start = await num(studio.chart, 'data-train-loss-start');
    const end = await num(studio.chart, 'data-train-loss-end');
    const outcome = (await studio.outcome.textContent()) ?? '';
    console.log(
      `[llm] ${fx.arch}: validation loss ${loss0.toFixed(3)} -> ${loss1.toFixed(3)}, perplexity ${ppl0.toFixed(1)} -> ${ppl1.toFixed(1)}, training loss ${start.toFixed(3)} -> ${end.toFixed(3)}`,
    );
    console.log(`[speed] ${fx.arch} causal-LM training on wasm: ${/(\d+) ms\/step, (\d+) tokens\/s/.exec(outcome)?.slice(1).join(' ms/step, ')} tokens/s`);
    expect(end).toBeLessThan(start);
    expect(loss1).toBeLessThan(loss0);
    expect(ppl1).toBeLessThan(ppl0);
    await expect(page.getByTestId('fine-tuned')).toContainText('exact match');

    // Playground: the same prompt to the base and the fine-tuned model, streamed token by token.
    await studio.goto('playground');
    const play = page.getByTestId('playground');
    await play.getByLabel('Prompt').fill('set a timer for 5 minutes');
    await play.getByLabel('Max new tokens').fill('12');
    await page.evaluate(() => {
      const seen = ((window as unknown as { __genTexts: string[] }).__genTexts = [] as string[]);
      const el = document.querySelector('[data-testid="gen-base-text"]')!;
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const generate = play.getByRole('button', { name: 'Generate' });
    await generate.click();
    await expect(page.getByTestId('gen-base')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('gen-tuned')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const partials = new Set(await page.evaluate(() => (window as unknown as { __genTexts: string[] }).__genTexts.filter((t) => t && t !== '…')));
    expect(partials.size).toBeGreaterThan(1); // text grew token by token
    const base1 = await page.getByTestId('gen-base-text').textContent();
    const tuned1 = await page.getByTestId('gen-tuned-text').textContent();
    console.log(`[generate] strength 1: base ${JSON.stringify(base1)} | tuned ${JSON.stringify(tuned1)}`);
    console.log(
      `[speed] ${fx.arch} generation on wasm: base ${await page.getByTestId('gen-base').locator('p').textContent()} | tuned ${await page.getByTestId('gen-tuned').locator('p').textContent()}`,
    );
    expect(tuned1).not.toEqual(base1);
    if (fx.arch === 'llama') await page.screenshot({ path: screenshotFile('llm-finetune-playground.png'), fullPage: true });

    await play.getByLabel('Adapter strength').fill('0');
    await expect(page.getByTestId('strength-value')).toHaveText('0.00');
    await generate.click();
    await expect(page.getByTestId('gen-tuned')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('gen-base')).toHaveAttribute('data-status', 'done');
    expect(await page.getByTestId('gen-tuned-text').textContent()).toEqual(await page.getByTestId('gen-base-text').textContent());

    // The adapter: PEFT CAUSAL_LM layout, same keys and shapes as the reference adapter, plus the chat template.
    await studio.goto('results');
    const [download] = await Promise.all([page.waitForEvent('download'), studio.downloadButton.click()]);
    const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(zip).sort()).toEqual(['README.md', 'adapter_config.json', 'adapter_model.safetensors', 'chat_template.jinja']);
    const config = JSON.parse(strFromU8(zip['adapter_config.json']));
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      fan_in_fan_out: fx.fanInFanOut,
      modules_to_save: null,
      base_model_name_or_path: `fixtures/${fx.arch}`,
    });
    expect(new Set(config.target_modules)).toEqual(new Set(fx.targets));
    expect(strFromU8(zip['chat_template.jinja'])).toContain('### Response:');
    const ours = tryParseSafetensors(zip['adapter_model.safetensors']);
    const ref = tryParseSafetensors(new Uint8Array(readFileSync(reference(fx.arch))));
    if (!ours.ok || !ref.ok) throw new Error('unreadable safetensors');
    const shapes = (m: typeof ours.value.tensors) => Object.fromEntries([...m].map(([k, t]) => [k, t.shape]).sort());
    expect(shapes(ours.value.tensors)).toEqual(shapes(ref.value.tensors));
    const trainedB = [...ours.value.tensors].filter(([k]) => k.endsWith('lora_B.weight'));
    expect(trainedB.every(([, t]) => t.data.some((v) => v !== 0))).toBe(true);
  });
