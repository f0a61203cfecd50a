import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './routes';

describe('hash routes', () => {
  it.each([
    ['#/train', { view: 'train', runId: null }],
    ['#/runs', { view: 'runs', runId: null }],
    ['#/runs/run-1a2b', { view: 'runs', runId: 'run-1a2b' }],
    ['#/runs/a%2Fb', { view: 'runs', runId: 'a/b' }],
    ['#train', { view: 'train', runId: null }],
    ['#/results/ignored', { view: 'results', runId: null }],
  ])('%s parses', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it.each(['', '#', '#/', '#/nowhere', '#/__proto__'])('%s is no route', (hash) => {
    expect(parseHash(hash)).toBeNull();
  });

  it('format and parse round-trip', () => {
    for (const r of [
      { view: 'check', runId: null },
      { view: 'runs', runId: 'x y/z' },
    ] as const)
      expect(parseHash(formatHash(r))).toEqual(r);
  });
});
