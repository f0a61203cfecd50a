// Train/validation leakage: exact, normalized and fuzzy (MinHash-LSH) twins across two row sets.
// Pure and seeded; texts in, pairs and findings out; no DOM, no I/O, no clock.
import { okFinding, plural, type Finding, type RowPair } from './quality/findings';
import { DEFAULT_JACCARD_THRESHOLD, findSimilarPairs } from './quality/minhash';
import { isBlankText } from './quality/normalize';
import { buildShingleSets } from './quality/shingles';
import { type FuzzyDuplicates } from './quality/fuzzyDuplicates';
import { indexTexts, type TextIndex } from './quality/textIndex';

export const LEAK_EXACT = 'leak_exact';
export const LEAK_NORMALIZED = 'leak_normalized';
export const LEAK_FUZZY = 'leak_fuzzy';

/** A validation row and its twin in training; `similarity` is 1 for exact/normalized, the Jaccard for fuzzy. */
export type LeakPair = { trainRow: number; validationRow: number; similarity: number };

export type LeakageReport = {
  /** One pair per leaking validation row: the first training row with the identical text. */
  exact: LeakPair[];
  /** Validation rows whose normalized text equals a training text but whose exact text does not. */
  normalized: LeakPair[];
  /** Validation rows with no exact/normalized twin but a training text at Jaccard ≥ threshold (best match). */
  fuzzy: LeakPair[];
  /** Validation rows with any twin, ascending. */
  validationRowsWithTwin: number[];
  /** validationRowsWithTwin ÷ non-blank validation rows (0 when there are none). */
  shareWithTwin: number;
  /** leak_exact, leak_normalized, leak_fuzzy. Rows are validation-set indices; pairs are {a: train, b: validation}. */
  findings: Finding[];
};

export type LeakageOptions = { threshold?: number; seed?: number };
/** For detectSplitLeakage: the report's TextIndex and fuzzy pairs of the same texts (QualityReport.reuse). */
export type SplitLeakageOptions = LeakageOptions & { reuse?: { index: TextIndex; fuzzy: FuzzyDuplicates } };

/**
 * Compares two row sets (train vs validation, or train vs test). Indices in the result are positions in
 * `trainTexts` and `validationTexts`. Blank texts never count as twins.
 */
export function detectTrainValLeakage(trainTexts: readonly string[], validationTexts: readonly string[], options: LeakageOptions = {}): LeakageReport {
  const threshold = options.threshold ?? DEFAULT_JACCARD_THRESHOLD;
  const nTrain = trainTexts.length;
  const index = indexTexts([...trainTexts, ...validationTexts]);
  const trainByExact = new Map<number, number>();
  const trainByNorm = new Map<number, number>();
  for (let i = 0; i < nTrain; i++) {
    if (index.blank[i]) continue;
    if (!trainByExact.has(index.exactId[i])) trainByExact.set(index.exactId[i], i);
    if (!trainByNorm.has(index.normId[i])) trainByNorm.set(index.normId[i], i);
  }
  const exact: LeakPair[] = [];
  const normalized: LeakPair[] = [];
  let filled = 0;
  for (let v = 0; v < validationTexts.length; v++) {
    const i = nTrain + v;
    if (index.blank[i]) continue;
    filled++;
    const e = trainByExact.get(index.exactId[i]);
    if (e !== undefined) exact.push({ trainRow: e, validationRow: v, similarity: 1 });
    else {
      const k = trainByNorm.get(index.normId[i]);
      if (k !== undefined) normalized.push({ trainRow: k, validationRow: v, similarity: 1 });
    }
  }
  const fuzzy = findFuzzyLeaks(index, nTrain, trainByNorm, threshold, options.seed ?? 42);
  return assemble(exact, normalized, fuzzy, filled, threshold);
}

/** MinHash-LSH between keys seen in training and keys seen only in validation; best training match per row. */
function findFuzzyLeaks(index: ReturnType<typeof indexTexts>, nTrain: number, trainByNorm: Map<number, number>, threshold: number, seed: number): LeakPair[] {
  const keyIds: number[] = [];
  const sides: number[] = [];
  const valOnly = new Set<number>();
  for (const k of trainByNorm.keys()) {
    keyIds.push(k);
    sides.push(0);
  }
  for (let i = nTrain; i < index.normId.length; i++) {
    const k = index.normId[i];
    if (k < 0 || trainByNorm.has(k) || valOnly.has(k)) continue;
    valOnly.add(k);
    keyIds.push(k);
    sides.push(1);
  }
  if (valOnly.size === 0 || trainByNorm.size === 0) return [];
  const sets = buildShingleSets(keyIds.map((k) => index.normKeys[k]));
  const pairs = findSimilarPairs(sets, { threshold, seed, side: Uint8Array.from(sides) });
  const best = new Map<number, { train: number; similarity: number }>();
  for (let p = 0; p < pairs.a.length; p++) {
    const [t, v] = sides[pairs.a[p]] === 0 ? [pairs.a[p], pairs.b[p]] : [pairs.b[p], pairs.a[p]];
    const valKey = keyIds[v];
    const cur = best.get(valKey);
    if (!cur || pairs.similarity[p] > cur.similarity) best.set(valKey, { train: trainByNorm.get(keyIds[t])!, similarity: pairs.similarity[p] });
  }
  const out: LeakPair[] = [];
  for (let i = nTrain; i < index.normId.length; i++) {
    const hit = best.get(index.normId[i]);
    if (hit) out.push({ trainRow: hit.train, validationRow: i - nTrain, similarity: hit.similarity });
  }
  return out;
}

function leakFinding(checkId: string, pairs: LeakPair[], filled: number, what: string): Finding {
  if (pairs.length === 0) return okFinding(checkId, `No validation text ${what.replace(/^are /, 'is ')}.`);
  const rows = pairs.map((p) => p.validationRow);
  const share = ((pairs.length / Math.max(1, filled)) * 100).toFixed(1);
  return {
    checkId,
    severity: 'warning',
    count: pairs.length,
    rows,
    pairs: pairs.map((p): RowPair => ({ a: p.trainRow, b: p.validationRow, similarity: p.similarity })),
    reason:
      `${plural(pairs.length, 'validation row')} (${share} %) ${what}, so validation scores will look ` +
      'better than the model is. Re-split keeping duplicates together, or drop these validation rows.',
    fix: { kind: 'drop', rows },
  };
}

/**
 * The same check for a split of one dataset: `trainRows` and `otherRows` index `texts`, and the pairs
 * returned use those dataset row indices. With `reuse` from the quality report (built on the same
 * texts, at a threshold ≤ this one) no MinHash is recomputed: cross-split pairs are read off it.
 */
export function detectSplitLeakage(
  texts: readonly string[],
  trainRows: readonly number[],
  otherRows: readonly number[],
  options: SplitLeakageOptions = {},
): LeakageReport {
  const threshold = options.threshold ?? DEFAULT_JACCARD_THRESHOLD;
  const reuse = options.reuse;
  if (reuse && reuse.index.normId.length === texts.length && reuse.fuzzy.threshold <= threshold) {
    return leakageFromReuse(reuse.index, reuse.fuzzy, trainRows, otherRows, threshold);
  }
  const report = detectTrainValLeakage(
    trainRows.map((r) => texts[r]),
    otherRows.map((r) => texts[r]),
    options,
  );
  const mapPair = (p: LeakPair): LeakPair => ({ trainRow: trainRows[p.trainRow], validationRow: otherRows[p.validationRow], similarity: p.similarity });
  return assemble(
    report.exact.map(mapPair),
    report.normalized.map(mapPair),
    report.fuzzy.map(mapPair),
    filledCount(otherRows, (r) => !isBlankText(texts[r])),
    threshold,
  );
}

function filledCount(rows: readonly number[], filled: (r: number) => boolean): number {
  let n = 0;
  for (const r of rows) if (filled(r)) n++;
  return n;
}

function assemble(exact: LeakPair[], normalized: LeakPair[], fuzzy: LeakPair[], filled: number, threshold: number): LeakageReport {
  const withTwin = [...exact, ...normalized, ...fuzzy].map((p) => p.validationRow).sort((a, b) => a - b);
  return {
    exact,
    normalized,
    fuzzy,
    validationRowsWithTwin: withTwin,
    shareWithTwin: filled === 0 ? 0 : withTwin.length / filled,
    findings: [
      leakFinding(LEAK_EXACT, exact, filled, 'are identical to a training text'),
      leakFinding(LEAK_NORMALIZED, normalized, filled, 'equal a training text up to case, punctuation and spacing'),
      leakFinding(LEAK_FUZZY, fuzzy, filled, `are near copies of a training text (word-set Jaccard ≥ ${threshold})`),
    ],
  };
}

function leakageFromReuse(
  index: TextIndex,
  fuzzy: FuzzyDuplicates,
  trainRows: readonly number[],
  otherRows: readonly number[],
  threshold: number,
): LeakageReport {
  const trainByExact = new Map<number, number>();
  const trainByNorm = new Map<number, number>();
  for (const r of trainRows) {
    if (index.blank[r]) continue;
    if (!trainByExact.has(index.exactId[r])) trainByExact.set(index.exactId[r], r);
    if (!trainByNorm.has(index.normId[r])) trainByNorm.set(index.normId[r], r);
  }
  // Best training twin per validation-only key, from the report's key pairs.
  const otherKeys = new Set<number>();
  for (const r of otherRows) if (!index.blank[r] && !trainByNorm.has(index.normId[r])) otherKeys.add(index.normId[r]);
  const best = new Map<number, { train: number; similarity: number }>();
  const { a, b, similarity } = fuzzy.keyPairs;
  for (let p = 0; p < a.length; p++) {
    if (similarity[p] < threshold) continue;
    for (const [v, t] of [
      [a[p], b[p]],
      [b[p], a[p]],
    ]) {
      const trainRow = trainByNorm.get(t);
      if (trainRow === undefined || !otherKeys.has(v)) continue;
      const cur = best.get(v);
      if (!cur || similarity[p] > cur.similarity) best.set(v, { train: trainRow, similarity: similarity[p] });
    }
  }
  const exact: LeakPair[] = [];
  const normalized: LeakPair[] = [];
  const fuzzyPairs: LeakPair[] = [];
  let filled = 0;
  for (const r of otherRows) {
    if (index.blank[r]) continue;
    filled++;
    const e = trainByExact.get(index.exactId[r]);
    const k = trainByNorm.get(index.normId[r]);
    const f = best.get(index.normId[r]);
    if (e !== undefined) exact.push({ trainRow: e, validationRow: r, similarity: 1 });
    else if (k !== undefined) normalized.push({ trainRow: k, validationRow: r, similarity: 1 });
    else if (f) fuzzyPairs.push({ trainRow: f.train, validationRow: r, similarity: f.similarity });
  }
  return assemble(exact, normalized, fuzzyPairs, filled, threshold);
}
