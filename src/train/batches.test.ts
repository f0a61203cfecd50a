import { describe, expect, it } from 'vitest';
import { chunk, epochOrder, padBatch } from './batches';

describe('padBatch', () => {
  it('right-pads to the longest example and masks the padding', () => {
    const b = padBatch(
      [
        { ids: [101, 5, 6, 102], label: 1 },
        { ids: [101, 7, 102], label: 0 },
      ],
      0,
    );
    expect([b.B, b.T]).toEqual([2, 4]);
    expect([...b.inputIds]).toEqual([101, 5, 6, 102, 101, 7, 102, 0]);
    expect([...b.attentionMask]).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
    expect([...b.labels]).toEqual([1, 0]);
    expect(b.realTokens).toBe(7);
  });
});

describe('epochOrder', () => {
  it('is a permutation, repeatable for a seed and different across epochs', () => {
    const a = epochOrder(50, 42, 0);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(epochOrder(50, 42, 0)).toEqual(a);
    expect(epochOrder(50, 42, 1)).not.toEqual(a);
    expect(epochOrder(50, 43, 0)).not.toEqual(a);
  });
});

describe('chunk', () => {
  it.each([
    [5, 2, [2, 2, 1]],
    [4, 4, [4]],
    [0, 3, []],
  ])('%i items in chunks of %i', (n, size, lengths) => {
    expect(chunk(Array.from({ length: n }, (_, i) => i), size).map((c) => c.length)).toEqual(lengths);
  });
});
