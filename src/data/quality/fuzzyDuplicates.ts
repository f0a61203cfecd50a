// Fuzzy near duplicates: MinHash-LSH over the distinct normalized texts, grouped into components.
// Pure and seeded; no DOM, no I/O.
import { extraRows, flattenGroups, okFinding, plural, type Finding, type RowPair } from './findings';
import { DEFAULT_JACCARD_THRESHOLD, findSimilarPairs, type SimilarPairs } from './minhash';
import { buildShingleSets } from './shingles';
import { type TextIndex } from './textIndex';
import { componentIds, createUnionFind, unionInPlace } from './unionFind';

export const FUZZY_DUPLICATES = 'fuzzy_duplicates';

export type FuzzyDuplicates = {
  /** Similar pairs of normalized-key ids (see TextIndex.normKeys). */
  keyPairs: SimilarPairs;
  /** Pairs as rows: the first row of each key, with the pair's Jaccard. */
  rowPairs: RowPair[];
  /** Rows of each component of two or more distinct keys, every row of every key included. */
  groups: number[][];
  threshold: number;
};

export type FuzzyOptions = { threshold?: number; seed?: number };

/** Runs MinHash-LSH on the distinct normalized texts and joins similar keys into groups. */
export function findFuzzyDuplicates(index: TextIndex, options: FuzzyOptions = {}): FuzzyDuplicates {
  const threshold = options.threshold ?? DEFAULT_JACCARD_THRESHOLD;
  const sets = buildShingleSets(index.normKeys);
  const keyPairs = findSimilarPairs(sets, { threshold, seed: options.seed ?? 42 });
  const rowPairs: RowPair[] = [];
  const uf = createUnionFind(index.normKeys.length);
  for (let p = 0; p < keyPairs.a.length; p++) {
    unionInPlace(uf, keyPairs.a[p], keyPairs.b[p]);
    rowPairs.push({ a: index.normFirstRow[keyPairs.a[p]], b: index.normFirstRow[keyPairs.b[p]], similarity: keyPairs.similarity[p] });
  }
  rowPairs.sort((x, y) => x.a - y.a || x.b - y.b);
  return { keyPairs, rowPairs, groups: keyComponentsToRowGroups(index, componentIds(uf)), threshold };
}

function keyComponentsToRowGroups(index: TextIndex, component: Int32Array): number[][] {
  const keysPer = new Int32Array(component.length);
  for (let k = 0; k < component.length; k++) keysPer[component[k]]++;
  const byComponent = new Map<number, number[]>();
  for (let i = 0; i < index.normId.length; i++) {
    const k = index.normId[i];
    if (k < 0 || keysPer[component[k]] < 2) continue;
    const g = byComponent.get(component[k]);
    if (g) g.push(i);
    else byComponent.set(component[k], [i]);
  }
  return [...byComponent.values()].sort((x, y) => x[0] - y[0]);
}

/** Finding: groups of texts that are not equal after normalization but share most of their words. */
export function checkFuzzyDuplicates(fuzzy: FuzzyDuplicates): Finding {
  const { groups, rowPairs, threshold } = fuzzy;
  if (groups.length === 0) {
    return okFinding(FUZZY_DUPLICATES, `No texts are near copies of each other (word-set Jaccard ≥ ${threshold}).`);
  }
  const rows = flattenGroups(groups);
  return {
    checkId: FUZZY_DUPLICATES,
    severity: 'warning',
    count: rows.length,
    rows,
    groups,
    pairs: rowPairs,
    reason:
      `${plural(groups.length, 'group')} of near-copies (${plural(rows.length, 'row')}) share at least ` +
      `${Math.round(threshold * 100)} % of their words (MinHash, Jaccard ≥ ${threshold}). They are kept together ` +
      'when splitting; drop the extra copies if they are accidental.',
    fix: { kind: 'keep-first', rows: extraRows(groups), groups },
  };
}
