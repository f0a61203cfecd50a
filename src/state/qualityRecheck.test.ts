// The re-measure rule for the data report: fresh reports are left alone, a changed model or length asks once, and a
// report that can never look fresh (no tokenizer lengths for a large table) does not ask again for the same setting.
import { describe, expect, it } from 'vitest';
import { recheckKey, shouldRecheckQuality } from './qualityRecheck';

const report = (tokenizer: string | null, maxSeqLength: number) => ({ tokenizer, lengths: { maxSeqLength } });

describe('shouldRecheckQuality', () => {
  it('leaves a report made with this model and length alone', () => {
    expect(shouldRecheckQuality(report('m', 64), 'm', 64, null)).toBe(false);
  });

  it('asks once when the model or the max tokens changed', () => {
    expect(shouldRecheckQuality(report(null, 64), 'm', 64, null)).toBe(true);
    expect(shouldRecheckQuality(report('m', 64), 'm', 128, null)).toBe(true);
    expect(shouldRecheckQuality(report('m', 64), 'other', 64, null)).toBe(true);
  });

  it('does not ask again for the same setting when the new report still cannot match (the old endless loop)', () => {
    // A table too large to tokenize comes back with tokenizer null for every re-run.
    const asked = recheckKey('m', 64);
    expect(shouldRecheckQuality(report(null, 64), 'm', 64, asked)).toBe(false);
    // ...but a later change of setting asks again.
    expect(shouldRecheckQuality(report(null, 64), 'm', 96, asked)).toBe(true);
  });

  it('never asks without a report or for a max tokens below 4 (a field being typed)', () => {
    expect(shouldRecheckQuality(null, 'm', 64, null)).toBe(false);
    expect(shouldRecheckQuality(report('m', 64), 'm', 2, null)).toBe(false);
    expect(shouldRecheckQuality(report('m', 64), 'm', Number.NaN, null)).toBe(false);
  });
});
