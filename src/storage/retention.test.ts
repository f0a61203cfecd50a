// Tests for the keep-last-K-plus-best policy: table of step/metric histories and what survives.
// Pure; no IndexedDB.
import { describe, expect, it } from 'vitest';
import type { CheckpointMeta } from './records';
import { bestCheckpoint, checkpointsToPrune } from './retention';

/** One checkpoint per entry: [step, metric value or null]; ids are `c<step>`. */
function history(entries: [number, number | null][], goal: 'min' | 'max' = 'min'): CheckpointMeta[] {
  return entries.map(([step, value]) => ({
    id: `c${step}`,
    runId: 'r',
    step,
    kind: value === null ? 'periodic' : 'best',
    createdAt: step,
    sizeBytes: 10,
    metric: value === null ? null : { name: 'm', value, goal },
  }));
}

describe('checkpointsToPrune', () => {
  it.each<[string, [number, number | null][], number, 'min' | 'max', string[]]>([
    [
      'nothing to prune',
      [
        [1, null],
        [2, null],
      ],
      2,
      'min',
      [],
    ],
    [
      'keeps the last K periodic',
      [
        [1, null],
        [2, null],
        [3, null],
        [4, null],
      ],
      2,
      'min',
      ['c1', 'c2'],
    ],
    [
      'keeps an old best (min)',
      [
        [1, 0.2],
        [2, 0.5],
        [3, null],
        [4, null],
      ],
      2,
      'min',
      ['c2'],
    ],
    [
      'keeps an old best (max)',
      [
        [1, 0.2],
        [2, 0.9],
        [3, 0.4],
        [4, null],
      ],
      1,
      'max',
      ['c1', 'c3'],
    ],
    [
      'best inside the last K adds nothing',
      [
        [1, 0.9],
        [2, 0.8],
        [3, 0.1],
      ],
      2,
      'min',
      ['c1'],
    ],
    [
      'a tie goes to the later step',
      [
        [1, 0.3],
        [2, 0.3],
        [3, null],
        [4, null],
      ],
      2,
      'min',
      ['c1'],
    ],
    [
      'K = 1 keeps latest and best',
      [
        [1, 0.1],
        [2, 0.4],
        [3, 0.5],
      ],
      1,
      'min',
      ['c2'],
    ],
    [
      'unsorted input',
      [
        [4, null],
        [1, null],
        [3, null],
        [2, null],
      ],
      2,
      'min',
      ['c1', 'c2'],
    ],
  ])('%s', (_name, entries, keepLast, goal, pruned) => {
    expect(checkpointsToPrune(history(entries, goal), { keepLast })).toEqual(pruned);
  });

  it('rejects K < 1', () => {
    expect(() => checkpointsToPrune([], { keepLast: 0 })).toThrow('keepLast');
  });
});

describe('bestCheckpoint', () => {
  it('is null without metrics', () => {
    expect(bestCheckpoint(history([[1, null]]))).toBeNull();
  });
});
