// `npm run bench:quality`: what each fine-tuning strategy on the offline default is worth against the majority
// class, the few-shot baseline and the classical TF-IDF + LR, per dataset, in headless Chromium through the
// studio's own worker requests (parseFile, split, loadModel, train). Run `npm run build` first.
// BENCH_QUICK=1: 400 rows, 1 epoch, LoRA and full only. BENCH_ROWS / BENCH_EPOCHS / BENCH_STRATEGIES / BENCH_DATASETS
// / BENCH_EARLY_STOPPING=0 override; datasets run side by side, one job per port of BENCH_PORTS (default APP_PORT and the
// next two; BENCH_PORTS=4181 runs them one after another). Epochs: the page's suggestion for each training split.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import Papa from 'papaparse';
import { stratifiedSubsample } from './lib/stratifiedSubsample';
import { OFFLINE_DEFAULT_DIMS, OFFLINE_DEFAULT_MODEL_ID, OFFLINE_DEFAULT_TRAINING, OFFLINE_STRATEGY_LEARNING_RATES } from '../src/protocol/defaultModel';
import { DEFAULT_TRAIN_CONFIG } from '../src/protocol/defaults';
import type { FineTuneStrategy, QualityView, SplitSummary, TrainConfig, TrainOutcome } from '../src/protocol/messages';
import { SPECIAL_TOKEN_OVERHEAD, suggestEpochs, suggestMaxTokens } from '../src/protocol/trainDefaults';

const quick = process.env.BENCH_QUICK === '1';
const PORT = Number(process.env.APP_PORT ?? 4181);
const DATASETS = (process.env.BENCH_DATASETS ?? 'sms_spam,sentiment_sentences,clinc150').split(',');
/**
 * Larger files are subsampled (seeded, stratified) to this many rows so the whole benchmark fits in 45 minutes on 2
 * cores. BENCH_ROWS is one number or per dataset: `sms_spam=1500,clinc150=4903`.
 */
const ROWS_SPEC = process.env.BENCH_ROWS ?? (quick ? '400' : 'sms_spam=1000,sentiment_sentences=3000,clinc150=4903');
const rowsFor = (name: string): number => {
  if (/^\d+$/.test(ROWS_SPEC)) return Number(ROWS_SPEC);
  const hit = ROWS_SPEC.split(',').find((p) => p.startsWith(`${name}=`));
  return hit ? Number(hit.split('=')[1]) : 2000;
};
/** Jobs run side by side, one dataset each, on these ports (one headless Chromium per job; wasm is single-threaded). */
const PORTS = (process.env.BENCH_PORTS ?? [PORT, PORT + 1, PORT + 2].join(',')).split(',').map(Number);
const EPOCHS: number | null = process.env.BENCH_EPOCHS ? Number(process.env.BENCH_EPOCHS) : quick ? 1 : null;
const STRATEGIES = (process.env.BENCH_STRATEGIES ?? (quick ? 'lora,full' : 'head,lora,lora-embeddings,full')).split(',') as FineTuneStrategy[];
const SEED = 0;
const MAX_POSITIONS = OFFLINE_DEFAULT_DIMS.maxPositions;

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const benchStart = performance.now();
const loadAtStart = load();
type Row = { dataset: string; rows: number; setup: string; macroF1: number; accuracy: number; seconds: number };
type Result = { table: Row[]; ratios: number[] };

/** Runs `names` one after another in one headless Chromium against a `vite preview` on `port`. */
async function runDatasets(names: string[], port: number): Promise<Result> {
  const table: Row[] = [];
  const ratios: number[] = [];
  // vite itself, not through npx, so that kill() stops the server; poll until it answers (slow on a loaded machine).
  const server = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  // A browser that fails to start must not leave the server behind (the next run's --strictPort would then fail).
  const browser = await chromium
    .launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    .catch((e: unknown) => {
      server.kill();
      throw e;
    });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?bench&backend=wasm`);
    await page.waitForFunction(() => '__studioCall' in globalThis);
    const call = (kind: string, args: unknown) =>
      page.evaluate(([k, a]) => (globalThis as unknown as { __studioCall(k: string, a: unknown): Promise<unknown> }).__studioCall(k, a), [kind, args] as const);
    await call('setBackend', { preference: 'wasm' });
    for (const name of names) {
      const parsed = Papa.parse<string[]>(readFileSync(new URL(`../../shared/datasets/${name}.csv`, import.meta.url), 'utf8'), { skipEmptyLines: true });
      const [header, ...all] = parsed.data;
      const rows = stratifiedSubsample(all, rowsFor(name), SEED);
      const csv = Papa.unparse([header, ...rows]);
      await page.evaluate(
        ([text, file]) => {
          (globalThis as unknown as { __benchFile: File }).__benchFile = new File([text], file, { type: 'text/csv' });
        },
        [csv, `${name}.csv`] as const,
      );
      await page.evaluate(() =>
        (globalThis as unknown as { __studioCall(k: string, a: unknown): Promise<unknown>; __benchFile: File }).__studioCall('parseFile', {
          file: (globalThis as unknown as { __benchFile: File }).__benchFile,
        }),
      );
      const split = (await call('split', { validationFraction: 0.1, seed: 42, mode: 'group' })) as SplitSummary;
      // The page's default: enough passes for the offline default's measured step count (BENCH_EPOCHS overrides).
      const epochs = EPOCHS ?? suggestEpochs({ offlineDefault: true, trainRows: split.train }, OFFLINE_DEFAULT_TRAINING.batchSize).value;
      await call('loadModel', { source: { kind: 'embedded', name: OFFLINE_DEFAULT_MODEL_ID } });
      // Max tokens as the page suggests them: the 95th percentile of the texts' token lengths (the model's tokenizer)
      // rounded up to 8, capped by the model's positions (state/defaultsActions.ts).
      const l = ((await call('qualityReport', { maxSeqLength: MAX_POSITIONS })) as QualityView).lengths;
      const maxTokens = suggestMaxTokens({
        family: 'bert',
        task: 'classify',
        offlineDefault: true,
        maxPositions: MAX_POSITIONS,
        lengths: l && l.maxTokens > 0 ? { p95: l.p95Tokens ?? l.maxTokens, max: l.maxTokens, measured: !l.estimated } : null,
        templateOverhead: l?.estimated ? SPECIAL_TOKEN_OVERHEAD : 0,
      }).value;
      let best = 0;
      let classicalF1 = 0;
      for (const [si, strategy] of STRATEGIES.entries()) {
        const config: TrainConfig = {
          ...DEFAULT_TRAIN_CONFIG,
          strategy,
          learningRate: OFFLINE_STRATEGY_LEARNING_RATES[strategy],
          epochs,
          maxSeqLength: maxTokens,
          fewShotK: si === 0 ? 5 : 0,
          checkpointEverySteps: 100000,
          // BENCH_EARLY_STOPPING=0: run every epoch (the studio's default stops after ~1 epoch without a better val loss).
          earlyStopping: process.env.BENCH_EARLY_STOPPING !== '0',
        };
        const t0 = performance.now();
        const out = (await call('train', { config })) as TrainOutcome;
        const seconds = (performance.now() - t0) / 1000;
        if (si === 0) {
          if (out.majority)
            table.push({
              dataset: name,
              rows: rows.length,
              setup: 'majority class',
              macroF1: out.majority.macroF1,
              accuracy: out.majority.accuracy,
              seconds: out.majority.trainMs / 1000,
            });
          if (out.fewShot)
            table.push({
              dataset: name,
              rows: rows.length,
              setup: `few-shot (k=${out.fewShot.k})`,
              macroF1: out.fewShot.macroF1,
              accuracy: out.fewShot.accuracy,
              seconds: NaN,
            });
          if (out.classical)
            table.push({
              dataset: name,
              rows: rows.length,
              setup: 'classical TF-IDF + LR',
              macroF1: out.classical.macroF1,
              accuracy: out.classical.accuracy,
              seconds: out.classical.trainMs / 1000,
            });
          classicalF1 = out.classical?.macroF1 ?? 0;
        }
        const f1 = out.best?.macroF1 ?? 0;
        best = Math.max(best, f1);
        table.push({
          dataset: name,
          rows: rows.length,
          setup: `${strategy} (lr ${config.learningRate}, ${epochs} epochs, ${maxTokens} tokens)`,
          macroF1: f1,
          accuracy: out.best?.accuracy ?? 0,
          seconds,
        });
        console.log(`  ${name} ${strategy}: macro-F1 ${f1.toFixed(3)} in ${seconds.toFixed(0)} s — ${out.verdict?.sentence ?? ''}`);
      }
      if (classicalF1 > 0) ratios.push(best / classicalF1);
    }
  } finally {
    await browser.close();
    server.kill();
  }
  return { table, ratios };
}

/** One child process per dataset (BENCH_CHILD prints its result as one RESULT line), PORTS.length at a time. */
async function runInParallel(): Promise<Result> {
  const queue = [...DATASETS];
  const results = new Map<string, Result>();
  const worker = async (port: number) => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const child = spawn('npx', ['tsx', 'scripts/benchQuality.ts'], {
        env: { ...process.env, BENCH_CHILD: '1', BENCH_DATASETS: name, APP_PORT: String(port) },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        process.stdout.write(
          d
            .toString()
            .split('\n')
            .filter((l) => l.startsWith('  '))
            .map((l) => l + '\n')
            .join(''),
        );
      });
      child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) throw new Error(`bench:quality child for ${name} failed (exit ${code})`);
      results.set(name, JSON.parse(line.slice(7)) as Result);
    }
  };
  await Promise.all(PORTS.map(worker));
  const ordered = DATASETS.map((n) => results.get(n)!);
  return { table: ordered.flatMap((r) => r.table), ratios: ordered.flatMap((r) => r.ratios) };
}

if (process.env.BENCH_CHILD) {
  console.log('RESULT ' + JSON.stringify(await runDatasets(DATASETS, PORT)));
  process.exit(0);
}
console.log(
  `bench:quality  offline default ${OFFLINE_DEFAULT_MODEL_ID}, wasm, ${EPOCHS ?? 'suggested'} epoch(s), rows ${ROWS_SPEC} (seeded stratified subsample), ${Math.min(PORTS.length, DATASETS.length)} job(s)${quick ? ', QUICK' : ''}`,
);
const { table, ratios } = PORTS.length > 1 && DATASETS.length > 1 ? await runInParallel() : await runDatasets(DATASETS, PORT);
console.log('\n| dataset | rows | setup | macro-F1 | accuracy | wall s |\n|---|---|---|---|---|---|');
for (const r of table)
  console.log(
    `| ${r.dataset} | ${r.rows} | ${r.setup} | ${r.macroF1.toFixed(3)} | ${r.accuracy.toFixed(3)} | ${Number.isFinite(r.seconds) ? r.seconds.toFixed(1) : '–'} |`,
  );
console.log(
  `\nwhole bench ${((performance.now() - benchStart) / 60000).toFixed(1)} min; load average (1/5/15 min) ${loadAtStart} at start, ${load()} at the end`,
);
console.log(`quality: ${ratios.length} datasets, worst best-strategy/classical macro-F1 ${ratios.length ? Math.min(...ratios).toFixed(3) : 'NaN'}`);
