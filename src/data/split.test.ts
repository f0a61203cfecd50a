// Tests for stratifiedSplit and countPerLabel: proportions, determinism, coverage, edge sizes.
// Uses generated labels only; no I/O.
import { describe, expect, it } from 'vitest';
import { countPerLabel, stratifiedSplit } from './split';

/** Labels with the given per-label counts, interleaved so that each label is spread over the rows. */
function makeLabels(counts: Record<string, number>): string[] {
  const out: string[] = [];
  const left = { ...counts };
  while (Object.values(left).some((n) => n > 0)) {
    for (const label of Object.keys(left)) {
      if (left[label] > 0) {
        out.push(label);
        left[label]--;
      }
    }
  }
  return out;
}

const LABELS = makeLabels({ ham: 4827, spam: 747, rare: 3, pair: 2, single: 1 });

describe('stratifiedSplit', () => {
  it.each<[number, string, number, number]>([
    [0.1, 'ham', 4827, 483],
    [0.1, 'spam', 747, 75],
    [0.1, 'rare', 3, 1],
    [0.1, 'pair', 2, 1],
    [0.1, 'single', 1, 0],
    [0.2, 'ham', 4827, 965],
    [0.5, 'rare', 3, 2],
    [0.9, 'pair', 2, 1],
  ])('fraction %d: label %s with %i rows puts %i in validation', (validationFraction, label, n, want) => {
    const { train, validation } = stratifiedSplit(LABELS, { validationFraction });
    expect(countPerLabel(LABELS, validation).get(label) ?? 0).toBe(want);
    expect(countPerLabel(LABELS, train).get(label)).toBe(n - want);
  });

  it('is disjoint and complete, and sorted ascending', () => {
    const { train, validation } = stratifiedSplit(LABELS);
    const all = [...train, ...validation].sort((a, b) => a - b);
    expect(all).toEqual(LABELS.map((_, i) => i));
    expect(new Set(train).size + new Set(validation).size).toBe(LABELS.length);
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(validation).toEqual([...validation].sort((a, b) => a - b));
  });

  it('puts every label with at least two rows in both parts, and singletons in training', () => {
    const { train, validation } = stratifiedSplit(LABELS);
    const inTrain = countPerLabel(LABELS, train);
    const inVal = countPerLabel(LABELS, validation);
    for (const label of ['ham', 'spam', 'rare', 'pair']) {
      expect(inTrain.get(label)).toBeGreaterThan(0);
      expect(inVal.get(label)).toBeGreaterThan(0);
    }
    expect(inTrain.get('single')).toBe(1);
    expect(inVal.has('single')).toBe(false);
  });

  it('repeats exactly for a seed and changes with the seed', () => {
    const a = stratifiedSplit(LABELS, { seed: 7 });
    expect(stratifiedSplit(LABELS, { seed: 7 })).toEqual(a);
    expect(stratifiedSplit(LABELS, { seed: 8 }).validation).not.toEqual(a.validation);
    expect(stratifiedSplit(LABELS)).toEqual(stratifiedSplit(LABELS, { seed: 42, validationFraction: 0.1 }));
  });

  it("keeps one label's split when another label is added", () => {
    const base = makeLabels({ a: 50, b: 50 });
    const withC = [...base, ...Array.from({ length: 30 }, () => 'c')];
    const pick = (labels: string[], split: number[]) => split.filter((i) => labels[i] === 'a');
    expect(pick(withC, stratifiedSplit(withC).validation)).toEqual(pick(base, stratifiedSplit(base).validation));
  });

  it('handles empty input and a zero fraction', () => {
    expect(stratifiedSplit([])).toEqual({ train: [], validation: [] });
    expect(stratifiedSplit(['a', 'a', 'b'], { validationFraction: 0 })).toEqual({ train: [0, 1, 2], validation: [] });
  });

  it('rejects a fraction outside [0, 1) as a programmer error', () => {
    expect(() => stratifiedSplit(['a'], { validationFraction: 1 })).toThrow();
    expect(() => stratifiedSplit(['a'], { validationFraction: -0.1 })).toThrow();
  });
});

describe('countPerLabel', () => {
  it('counts in order of first appearance among the indices', () => {
    expect([...countPerLabel(['x', 'y', 'x', 'z'], [3, 0, 2])]).toEqual([
      ['z', 1],
      ['x', 2],
    ]);
  });
});
