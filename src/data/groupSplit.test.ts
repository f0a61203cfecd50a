// Tests for buildSplitGroups and groupStratifiedSplit: no group straddles, proportions, determinism.
// Uses generated rows and sms_spam.csv (read through parseCsv; tests only).
import { describe, expect, it } from 'vitest';
import { buildSplitGroups, countSplitPerLabel, groupStratifiedSplit, type GroupSplit } from './groupSplit';
import { findFuzzyDuplicates } from './quality/fuzzyDuplicates';
import { indexTexts } from './quality/textIndex';
import { loadDataset } from './quality/testFixtures';

function partOf(split: GroupSplit, n: number): Int8Array {
  const part = new Int8Array(n).fill(-1);
  split.train.forEach((r) => {
    part[r] = 0;
  });
  split.validation.forEach((r) => {
    part[r] = 1;
  });
  split.test.forEach((r) => {
    part[r] = 2;
  });
  return part;
}

describe('buildSplitGroups', () => {
  it('joins exact, normalized, extra and user groups transitively', () => {
    const texts = ['Hello there', 'hello, there!', 'other', 'Other', 'third text', 'fourth', 'fifth'];
    const ids = buildSplitGroups(texts, { extraGroups: [[4, 5]], userGroups: ['', '', '', 'c1', '', 'c1', ''] });
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[3]).toBe(ids[5]);
    expect(ids[4]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('groupStratifiedSplit on sms_spam.csv with duplicate and fuzzy groups', () => {
  const { rows } = loadDataset('sms_spam.csv');
  const texts = rows.map((r) => r[0]);
  const labels = rows.map((r) => r[1]);
  const fuzzy = findFuzzyDuplicates(indexTexts(texts));
  const groups = buildSplitGroups(texts, { extraGroups: fuzzy.groups });
  const split = groupStratifiedSplit(labels, groups, { validationFraction: 0.1, testFraction: 0.1, seed: 3 });

  it('covers every row exactly once', () => {
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(rows.map((_, i) => i));
  });

  it('never puts one group in two splits', () => {
    const part = partOf(split, rows.length);
    const seen = new Map<number, number>();
    groups.forEach((g, i) => {
      if (!seen.has(g)) seen.set(g, part[i]);
      expect(part[i]).toBe(seen.get(g));
    });
  });

  it('keeps each label near its target share in every split', () => {
    for (const c of countSplitPerLabel(labels, split)) {
      const n = c.train + c.validation + c.test;
      expect(Math.abs(c.validation / n - 0.1)).toBeLessThan(0.02);
      expect(Math.abs(c.test / n - 0.1)).toBeLessThan(0.02);
    }
  });

  it('repeats for a seed and changes with it', () => {
    expect(groupStratifiedSplit(labels, groups, { validationFraction: 0.1, testFraction: 0.1, seed: 3 })).toEqual(split);
    expect(groupStratifiedSplit(labels, groups, { validationFraction: 0.1, testFraction: 0.1, seed: 4 }).validation).not.toEqual(split.validation);
  });
});

describe('groupStratifiedSplit edge cases', () => {
  it('with singleton groups matches stratifiedSplit counts', () => {
    const labels = [...Array(50).fill('a'), ...Array(20).fill('b'), 'c'];
    const split = groupStratifiedSplit(
      labels,
      labels.map((_, i) => i),
      { validationFraction: 0.2 },
    );
    expect(countSplitPerLabel(labels, split)).toEqual([
      { label: 'a', train: 40, validation: 10, test: 0 },
      { label: 'b', train: 16, validation: 4, test: 0 },
      { label: 'c', train: 1, validation: 0, test: 0 },
    ]);
  });

  it('gives validation one group even when every group is bigger than the target', () => {
    const labels = Array(12).fill('a');
    const groupIds = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const split = groupStratifiedSplit(labels, groupIds, { validationFraction: 0.05 });
    expect(split.validation).toHaveLength(4);
    expect(split.train).toHaveLength(8);
  });

  it('keeps a label with one group in training', () => {
    const split = groupStratifiedSplit(['a', 'a', 'a'], [0, 0, 0], { validationFraction: 0.5 });
    expect(split).toEqual({ train: [0, 1, 2], validation: [], test: [] });
  });

  it('rejects fractions that leave no training share', () => {
    expect(() => groupStratifiedSplit(['a'], [0], { validationFraction: 0.5, testFraction: 0.5 })).toThrow();
  });
});
