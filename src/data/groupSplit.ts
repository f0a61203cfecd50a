// Group-aware stratified split: duplicates, near duplicates and user groups never straddle splits.
// Pure and seeded (lib/rng); no DOM, no I/O, no Math.random.
import { assert } from '../lib/result';
import { createRng, shuffled } from '../lib/rng';
import { indexTexts, type TextIndex } from './quality/textIndex';
import { componentIds, createUnionFind, unionInPlace } from './quality/unionFind';
import { labelSeed } from './split';

export type GroupSplitOptions = { validationFraction?: number; testFraction?: number; seed?: number };
export type GroupSplit = { train: number[]; validation: number[]; test: number[] };
export type SplitGroupOptions = {
  /** Extra groups to keep together, e.g. the fuzzy-duplicate finding's groups. */
  extraGroups?: readonly (readonly number[])[];
  /** The user's group column (conversation, customer id); equal non-blank values are one group. */
  userGroups?: readonly string[];
  /** The TextIndex of these same texts (QualityReport.reuse.index), to skip re-normalizing. */
  index?: TextIndex;
};

/**
 * One group id per row: rows with identical or normalized-equal texts, rows in one extra group, and rows
 * with the same user group value are joined (transitively). Ids are dense, in order of first row.
 */
export function buildSplitGroups(texts: readonly string[], options: SplitGroupOptions = {}): Int32Array {
  const n = texts.length;
  const index = options.index ?? indexTexts(texts);
  assert(index.normId.length === n, 'index must be built from the same texts');
  const uf = createUnionFind(n);
  const firstExact = new Int32Array(n).fill(-1);
  const firstNorm = new Int32Array(index.normKeys.length).fill(-1);
  const firstUser = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const e = index.exactId[i];
    if (firstExact[e] < 0) firstExact[e] = i;
    else unionInPlace(uf, firstExact[e], i);
    const k = index.normId[i];
    if (k >= 0) {
      if (firstNorm[k] < 0) firstNorm[k] = i;
      else unionInPlace(uf, firstNorm[k], i);
    }
    const user = options.userGroups?.[i];
    if (user === undefined || user.trim() === '') continue;
    const u = firstUser.get(user);
    if (u === undefined) firstUser.set(user, i);
    else unionInPlace(uf, u, i);
  }
  for (const group of options.extraGroups ?? []) {
    for (const r of group) {
      assert(r >= 0 && r < n, `group row ${r} is outside the ${n} rows`);
      unionInPlace(uf, group[0], r);
    }
  }
  return componentIds(uf);
}

/**
 * Splits whole groups. Each group counts for its majority label; per label, groups are shuffled with a
 * generator seeded from `seed` and the label (as stratifiedSplit does), then taken for validation, then
 * test, while that brings the label's row count closer to max(1, round(n × fraction)). A label with at
 * least two groups gets one in validation when the fraction is positive (and one in test if a third
 * is left); a label's last group stays in training. Outputs are sorted ascending.
 */
export function groupStratifiedSplit(labels: readonly string[], groupIds: ArrayLike<number>, options: GroupSplitOptions = {}): GroupSplit {
  const { validationFraction = 0.1, testFraction = 0, seed = 42 } = options;
  assert(labels.length === groupIds.length, 'labels and groupIds must be parallel');
  assert(validationFraction >= 0 && testFraction >= 0 && validationFraction + testFraction < 1, 'fractions must be ≥ 0 and sum below 1');
  const groups = collectGroups(labels, groupIds);
  const byLabel = new Map<string, number[][]>();
  for (const g of groups) {
    const label = majorityLabel(labels, g);
    const list = byLabel.get(label);
    if (list) list.push(g);
    else byLabel.set(label, [g]);
  }
  const out: GroupSplit = { train: [], validation: [], test: [] };
  for (const [label, labelGroups] of byLabel) {
    const order = shuffled(labelGroups, createRng(labelSeed(seed, label)));
    const n = order.reduce((s, g) => s + g.length, 0);
    const taken = new Uint8Array(order.length);
    const target = (fraction: number) => (fraction > 0 && n >= 2 ? Math.max(1, Math.round(n * fraction)) : 0);
    const validation = take(order, taken, target(validationFraction), 1, true);
    const test = take(order, taken, target(testFraction), 2, true);
    for (const i of test) out.test.push(...order[i]);
    for (const i of validation) out.validation.push(...order[i]);
    order.forEach((g, i) => {
      if (!taken[i]) out.train.push(...g);
    });
  }
  const asc = (a: number, b: number) => a - b;
  return { train: out.train.sort(asc), validation: out.validation.sort(asc), test: out.test.sort(asc) };
}

/** Picks groups (marking them in `taken`) whose sizes bring the total nearest `target`, keeping one group back. */
function take(order: number[][], taken: Uint8Array, target: number, mark: number, atLeastOne: boolean): number[] {
  const picked: number[] = [];
  let left = 0;
  for (let i = 0; i < order.length; i++) if (!taken[i]) left++;
  let count = 0;
  for (let i = 0; i < order.length && count < target && left > 1; i++) {
    if (taken[i]) continue;
    const size = order[i].length;
    if (Math.abs(count + size - target) < Math.abs(count - target)) {
      taken[i] = mark;
      picked.push(i);
      count += size;
      left--;
    }
  }
  if (picked.length === 0 && atLeastOne && target > 0 && left >= 2) {
    let smallest = -1;
    order.forEach((g, i) => {
      if (!taken[i] && (smallest < 0 || g.length < order[smallest].length)) smallest = i;
    });
    taken[smallest] = mark;
    picked.push(smallest);
  }
  return picked;
}

function collectGroups(labels: readonly string[], groupIds: ArrayLike<number>): number[][] {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const g = byId.get(groupIds[i]);
    if (g) g.push(i);
    else byId.set(groupIds[i], [i]);
  }
  return [...byId.values()];
}

/** The most frequent label of a group's rows; ties go to the first seen. */
function majorityLabel(labels: readonly string[], rows: number[]): string {
  if (rows.length === 1) return labels[rows[0]];
  const counts = new Map<string, number>();
  let best = labels[rows[0]];
  for (const r of rows) {
    const c = (counts.get(labels[r]) ?? 0) + 1;
    counts.set(labels[r], c);
    if (c > (counts.get(best) ?? 0)) best = labels[r];
  }
  return best;
}

export type LabelSplitCounts = { label: string; train: number; validation: number; test: number };

/** Rows per label per split, labels in order of first appearance, for the split view. */
export function countSplitPerLabel(labels: readonly string[], split: GroupSplit): LabelSplitCounts[] {
  const table = new Map<string, LabelSplitCounts>();
  labels.forEach((label) => {
    if (!table.has(label)) table.set(label, { label, train: 0, validation: 0, test: 0 });
  });
  for (const part of ['train', 'validation', 'test'] as const) {
    for (const i of split[part]) table.get(labels[i])![part]++;
  }
  return [...table.values()];
}
