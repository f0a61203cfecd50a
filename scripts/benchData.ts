// Benchmark for the data room: full quality report + group split + leakage on 10k/50k/100k synthetic rows,
// and MinHash-LSH recall/precision vs brute-force Jaccard on a 5k sample, in Node and then in the studio's worker
// in headless Chromium (run `npm run build` first; BENCH_NODE_ONLY=1 skips the browser). Run: npm run bench:data
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCsv } from '../src/data/csv';
import { buildSplitGroups, groupStratifiedSplit } from '../src/data/groupSplit';
import { detectSplitLeakage } from '../src/data/leakage';
import { findFuzzyDuplicates } from '../src/data/quality/fuzzyDuplicates';
import { DEFAULT_JACCARD_THRESHOLD } from '../src/data/quality/minhash';
import { buildQualityReport } from '../src/data/quality/report';
import { CHAR_SHINGLE_LENGTH, WORD_SHINGLE_MIN_WORDS } from '../src/data/quality/shingles';
import { indexTexts } from '../src/data/quality/textIndex';
import { createRng, type Rng } from '../src/lib/rng';

const DATASETS = path.resolve(import.meta.dirname ?? __dirname, '../../shared/datasets');
const SIZES = [10_000, 50_000, 100_000];
const SAMPLE = 5_000;
const EXACT_SHARE = 0.05;
const NEAR_SHARE = 0.05;

function load(name: string): string[][] {
  const parsed = parseCsv(readFileSync(path.join(DATASETS, name), 'utf8'), { fileName: name });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.rows.map(([text, label]) => [text, `${name.split('.')[0]}:${label}`]);
}

/** A small edit that keeps most words: replace, drop or add one word, or change case and punctuation. */
function nearCopy(text: string, rng: Rng, vocab: string[]): string {
  const words = text.split(' ');
  const pick = rng.int(4);
  if (pick === 0 && words.length > 1) words.splice(rng.int(words.length), 1);
  else if (pick === 1) words.splice(rng.int(words.length + 1), 0, vocab[rng.int(vocab.length)]);
  else if (pick === 2) words[rng.int(words.length)] = vocab[rng.int(vocab.length)];
  else return `${text.toUpperCase()}!!`;
  return words.join(' ');
}

/** Rows built by joining two source texts of one label; copies and near copies point back at most 500 rows. */
function makeDataset(n: number, pool: string[][], seed: number): string[][] {
  const rng = createRng(seed);
  const byLabel = new Map<string, string[]>();
  for (const [t, l] of pool) byLabel.set(l, [...(byLabel.get(l) ?? []), t]);
  const vocab = pool.flatMap(([t]) => t.split(' ')).slice(0, 20_000);
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (i > 10 && r < EXACT_SHARE + NEAR_SHARE) {
      const src = rows[i - 1 - rng.int(Math.min(i - 1, 500))];
      rows.push(r < EXACT_SHARE ? [src[0], src[1]] : [nearCopy(src[0], rng, vocab), src[1]]);
      continue;
    }
    const [text, label] = pool[rng.int(pool.length)];
    const same = byLabel.get(label)!;
    rows.push([`${text} ${same[rng.int(same.length)]}`, label]);
  }
  return rows;
}

/** Independent ground truth: string shingle sets (same rule as shingles.ts) and exact pairwise Jaccard. */
function bruteForcePairs(keys: string[], threshold: number): Set<string> {
  const sets = keys.map((k) => {
    const words = k === '' ? [] : k.split(' ');
    if (words.length >= WORD_SHINGLE_MIN_WORDS) return new Set(words.map((w) => `w:${w}`));
    if (k.length < CHAR_SHINGLE_LENGTH) return new Set([`c:${k}`]);
    const grams = new Set<string>();
    for (let i = 0; i + CHAR_SHINGLE_LENGTH <= k.length; i++) grams.add(`c:${k.slice(i, i + CHAR_SHINGLE_LENGTH)}`);
    return grams;
  });
  const truth = new Set<string>();
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const a = sets[i];
      const b = sets[j];
      if (Math.min(a.size, b.size) < threshold * Math.max(a.size, b.size)) continue;
      let common = 0;
      for (const x of a) if (b.has(x)) common++;
      if (common / (a.size + b.size - common) >= threshold) truth.add(`${i},${j}`);
    }
  }
  return truth;
}

/** The same report + split + leakage in the studio's worker in headless Chromium (needs `npm run build`). */
async function benchInBrowser(pool: string[][]): Promise<void> {
  const { spawn } = await import('node:child_process');
  const { chromium } = await import('@playwright/test');
  const port = 4181;
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 2500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?bench`);
    await page.waitForFunction(() => '__studioBenchData' in globalThis);
    const table: string[][] = [['rows', 'report ms', 'split ms', 'leakage ms', 'total ms', 'val rows w/ twin']];
    for (const n of SIZES) {
      const rows = makeDataset(n, pool, 1234);
      const r = (await page.evaluate(
        (rs) => (globalThis as unknown as { __studioBenchData(x: string[][]): Promise<unknown> }).__studioBenchData(rs),
        rows,
      )) as {
        reportMs: number;
        splitMs: number;
        leakageMs: number;
        totalMs: number;
        validationShareWithTwin: number;
      };
      table.push([
        n.toLocaleString('en-US'),
        r.reportMs.toFixed(0),
        r.splitMs.toFixed(0),
        r.leakageMs.toFixed(0),
        r.totalMs.toFixed(0),
        `${(r.validationShareWithTwin * 100).toFixed(1)} %`,
      ]);
    }
    console.log('\nIn the browser worker (headless Chromium, grouped split):');
    printTable(table);
  } finally {
    await browser.close();
    server.kill();
  }
}

async function main(): Promise<void> {
  const pool = [...load('sms_spam.csv'), ...load('sentiment_sentences.csv'), ...load('clinc150.csv')];
  const table: string[][] = [
    ['rows', 'report ms', 'split ms', 'leakage ms', 'report+split+leak ms', 'leakage, fresh ms', 'exact extra', 'fuzzy groups', 'val rows w/ twin'],
  ];
  let sample: string[][] = [];
  for (const n of SIZES) {
    const rows = makeDataset(n, pool, 1234);
    if (n === SIZES[SIZES.length - 1]) sample = rows.slice(0, SAMPLE);
    const texts = rows.map((r) => r[0]);
    const labels = rows.map((r) => r[1]);
    const t0 = performance.now();
    const report = buildQualityReport(rows, { textColumn: 0, labelColumn: 1, maxSeqLength: 128, seed: 1 });
    const t1 = performance.now();
    const fuzzyGroups = report.findings.find((f) => f.checkId === 'fuzzy_duplicates')?.groups ?? [];
    const reuse = report.reuse;
    const split = groupStratifiedSplit(labels, buildSplitGroups(texts, { extraGroups: fuzzyGroups, index: reuse?.index }), {
      validationFraction: 0.1,
      seed: 1,
    });
    const t2 = performance.now();
    // Leakage of a naive (row-level) split, which is where duplicates leak, reusing the report's MinHash.
    const naiveVal = texts.map((_, i) => i).filter((i) => i % 10 === 0);
    const naiveTrain = texts.map((_, i) => i).filter((i) => i % 10 !== 0);
    const leak = detectSplitLeakage(texts, naiveTrain, naiveVal, { seed: 1, reuse });
    const t3 = performance.now();
    const groupLeak = detectSplitLeakage(texts, split.train, split.validation, { seed: 1, reuse });
    // As for a user-imported validation file: everything recomputed from the texts.
    const t4 = performance.now();
    const fresh = detectSplitLeakage(texts, naiveTrain, naiveVal, { seed: 1 });
    const freshMs = performance.now() - t4;
    if (fresh.validationRowsWithTwin.length !== leak.validationRowsWithTwin.length) console.warn('fresh and reused leakage differ');
    const exactExtra = report.findings.find((f) => f.checkId === 'exact_duplicates')?.count ?? 0;
    table.push([
      n.toLocaleString('en-US'),
      (t1 - t0).toFixed(0),
      (t2 - t1).toFixed(0),
      (t3 - t2).toFixed(0),
      (t3 - t0).toFixed(0),
      freshMs.toFixed(0),
      String(exactExtra),
      String(fuzzyGroups.length),
      `naive ${(leak.shareWithTwin * 100).toFixed(1)} % / grouped ${(groupLeak.shareWithTwin * 100).toFixed(1)} %`,
    ]);
  }
  printTable(table);

  const index = indexTexts(sample.map((r) => r[0]));
  const t0 = performance.now();
  const fuzzy = findFuzzyDuplicates(index, { seed: 1 });
  const lshMs = performance.now() - t0;
  const truth = bruteForcePairs(index.normKeys, DEFAULT_JACCARD_THRESHOLD);
  let hit = 0;
  for (let p = 0; p < fuzzy.keyPairs.a.length; p++) if (truth.has(`${fuzzy.keyPairs.a[p]},${fuzzy.keyPairs.b[p]}`)) hit++;
  const found = fuzzy.keyPairs.a.length;
  console.log(
    `\nNear-duplicate pairs on a ${SAMPLE.toLocaleString('en-US')}-row sample (${index.normKeys.length} distinct normalized texts), ` +
      `Jaccard ≥ ${DEFAULT_JACCARD_THRESHOLD}: brute force ${truth.size}, MinHash-LSH ${found} (${lshMs.toFixed(0)} ms), ` +
      `recall ${(hit / Math.max(1, truth.size)).toFixed(4)}, precision ${(hit / Math.max(1, found)).toFixed(4)}`,
  );
  if (process.env.BENCH_NODE_ONLY) return;
  await benchInBrowser(pool);
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

await main();
