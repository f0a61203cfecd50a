// Tests for padding, seeded epoch order, length bucketing and the step plan.
import { describe, expect, it } from 'vitest';
import { chunk, epochOrder, padBatch, paddingWaste, planEpochBatches, planSteps } from './batches';

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
    expect(
      chunk(
        Array.from({ length: n }, (_, i) => i),
        size,
      ).map((c) => c.length),
    ).toEqual(lengths);
  });
});

describe('planEpochBatches and paddingWaste', () => {
  // Lengths 4..128 tokens in a seeded random mix, as short-text datasets look.
  const lengths = Array.from({ length: 1000 }, (_, i) => 4 + ((i * 7919) % 125));

  it('covers every example once, repeatably for a seed', () => {
    const batches = planEpochBatches(lengths, 16, 3, 0, 50);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(planEpochBatches(lengths, 16, 3, 0, 50)).toEqual(batches);
    expect(planEpochBatches(lengths, 16, 3, 1, 50)).not.toEqual(batches);
  });

  it('wastes far fewer pad tokens than random batches', () => {
    const random = paddingWaste(planEpochBatches(lengths, 16, 3, 0, 0), lengths);
    const bucketed = paddingWaste(planEpochBatches(lengths, 16, 3, 0, 50), lengths);
    console.log(`[check] padding waste: random ${random.toFixed(3)}, bucketed ${bucketed.toFixed(3)}`);
    expect(random).toBeGreaterThan(0.3);
    expect(bucketed).toBeLessThan(random / 5);
  });

  it.each([
    [[[0, 1]], [2, 4], 0.25], // one batch padded to 4: 2 pads of 8 slots
    [[[0], [1]], [2, 4], 0],
    [[], [], 0],
  ])('paddingWaste(%j, lengths %j) = %f', (batches, lens, want) => {
    expect(paddingWaste(batches, lens)).toBeCloseTo(want, 12);
  });
});

describe('planSteps', () => {
  it('groups micro-batches into optimizer steps per epoch', () => {
    const plan = planSteps(
      Array.from({ length: 10 }, () => 5),
      { batchSize: 2, gradAccumSteps: 2, epochs: 2, seed: 1, chunkBatches: 0 },
    );
    expect(plan.map((s) => [s.epoch, s.microBatches.length])).toEqual([
      [0, 2],
      [0, 2],
      [0, 1],
      [1, 2],
      [1, 2],
      [1, 1],
    ]);
  });
});
