// Tests for buildLabeledDataset and the label id order.
// Uses inline rows only; no I/O.
import { describe, expect, it } from 'vitest';
import { buildLabeledDataset, sortLabelNames } from './dataset';

describe('buildLabeledDataset', () => {
  const rows = [
    ['1001', 'spam', 'win a prize now'],
    ['1002', 'ham', 'see you at 5'],
    ['1003', '', 'no label here'],
    ['1004', 'ham', '   '],
    ['1005', ' ', ''],
    ['1006', 'ham', '  keep my spaces  '],
  ];
  const built = buildLabeledDataset(rows, 2, 1);

  it('keeps usable rows with exact text and label', () => {
    expect(built.dataset.texts).toEqual(['win a prize now', 'see you at 5', '  keep my spaces  ']);
    expect(built.dataset.labels).toEqual(['spam', 'ham', 'ham']);
    expect(built.keptRowIndices).toEqual([0, 1, 5]);
  });

  it('maps labels to ids through sorted labelNames', () => {
    expect(built.dataset.labelNames).toEqual(['ham', 'spam']);
    expect(built.dataset.labelIds).toEqual([1, 0, 0]);
  });

  it('reports what it dropped and why, counting a row with both problems once', () => {
    expect(built.dropped).toEqual({ count: 3, emptyTextRowIndices: [3, 4], missingLabelRowIndices: [2, 4] });
  });

  it('gives the same ids whatever the row order', () => {
    const reversed = buildLabeledDataset([...rows].reverse(), 2, 1).dataset;
    expect(reversed.labelNames).toEqual(built.dataset.labelNames);
  });

  it('returns an empty dataset for no rows', () => {
    expect(buildLabeledDataset([], 0, 1).dataset).toEqual({ texts: [], labels: [], labelNames: [], labelIds: [] });
  });
});

describe('sortLabelNames', () => {
  it.each<[string[], string[]]>([
    [
      ['spam', 'ham'],
      ['ham', 'spam'],
    ],
    [
      ['1', '0'],
      ['0', '1'],
    ],
    [
      ['10', '2', '1'],
      ['1', '2', '10'],
    ],
    [
      ['-1', '0.5', '0'],
      ['-1', '0', '0.5'],
    ],
    [
      ['10', '2', 'x'],
      ['10', '2', 'x'],
    ],
    [
      ['b', 'B', 'a', 'é'],
      ['B', 'a', 'b', 'é'],
    ],
    [
      ['translate', 'oos', 'balance'],
      ['balance', 'oos', 'translate'],
    ],
  ])('%j → %j', (names, sorted) => {
    expect(sortLabelNames(names)).toEqual(sorted);
  });
});

describe('sortLabelNames with repeats', () => {
  it('returns each label once', () => {
    expect(sortLabelNames(['1', '0', '1', '0', '0'])).toEqual(['0', '1']);
  });
});
