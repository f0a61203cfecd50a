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
});
