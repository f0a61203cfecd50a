// Tests for the warmup + linear / cosine learning-rate schedule.
import { describe, expect, it } from 'vitest';
import { learningRateAt } from './lrSchedule';

describe('learningRateAt', () => {
  it('warms up linearly, peaks at the base lr and decays towards zero', () => {
    const lrs = Array.from({ length: 100 }, (_, s) => learningRateAt(s, 100, 1e-3));
    expect(lrs[0]).toBeCloseTo(1e-3 / 6, 10);
    expect(lrs[5]).toBeCloseTo(1e-3, 10);
    expect(Math.max(...lrs)).toBeCloseTo(1e-3, 10);
    for (let s = 6; s < 100; s++) expect(lrs[s]).toBeLessThanOrEqual(lrs[s - 1]);
    expect(lrs[99]).toBeGreaterThan(0);
    expect(lrs[99]).toBeLessThan(2e-5);
  });

  it('cosine: same warmup, base lr at the peak, half at mid-decay, monotone to ~0', () => {
    const lrs = Array.from({ length: 106 }, (_, s) => learningRateAt(s, 106, 1e-3, 0.06, 'cosine'));
    const warmup = Math.round(106 * 0.06); // 6
    for (let s = 0; s < warmup; s++) expect(lrs[s]).toBeCloseTo(learningRateAt(s, 106, 1e-3, 0.06, 'linear'), 12);
    expect(lrs[warmup]).toBeCloseTo(1e-3, 12);
    expect(lrs[warmup + 50]).toBeCloseTo(5e-4, 12); // progress 0.5 -> cos = 0
    for (let s = warmup + 1; s < 106; s++) expect(lrs[s]).toBeLessThanOrEqual(lrs[s - 1]);
    expect(lrs[105]).toBeLessThan(1e-6);
  });

  it.each([
    ['linear', 0.25, 0.75],
    ['cosine', 0.25, 0.5 * (1 + Math.cos(Math.PI * 0.25))],
  ] as const)('%s at a quarter of the decay (no warmup share) is %s -> %f of base', (decay, _q, want) => {
    // warmupShare 0 still gives 1 warmup step; 101 total -> 100 decay steps, step 26 is 25% in.
    expect(learningRateAt(26, 101, 1, 0, decay)).toBeCloseTo(want, 12);
  });
});
