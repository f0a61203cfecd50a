// Hyperparameter search: grid and seeded random configs, the results table (every trial, its config and metric,
// sorted), and the trial and minute budgets. runTrial is a stub; the worker passes a real training run.
import { describe, expect, it } from 'vitest';
import { gridConfigs, randomConfigs, runSearch, type SearchSpace, type TrialConfig } from './search';

const space: SearchSpace = { learningRate: [1e-4, 1e-3, 1e-2], batchSize: [8, 16], epochs: [3], loraR: [4, 8], loraAlpha: [16] };
/** A made-up score that peaks at lr 1e-3, r 8, batch 16. */
const score = (c: TrialConfig) => 0.9 - Math.abs(Math.log10(c.learningRate) + 3) * 0.2 - (c.loraR === 8 ? 0 : 0.05) - (c.batchSize === 16 ? 0 : 0.01);

describe('configs', () => {
  it('grid covers every combination once', () => {
    const grid = gridConfigs(space);
    expect(grid).toHaveLength(12);
    expect(new Set(grid.map((c) => JSON.stringify(c))).size).toBe(12);
    expect(grid[0]).toEqual({ learningRate: 1e-4, batchSize: 8, epochs: 3, loraR: 4, loraAlpha: 16 });
  });

  it('random draws are distinct grid points, repeatable for a seed', () => {
    const r = randomConfigs(space, 5, 3);
    expect(r).toHaveLength(5);
    expect(new Set(r.map((c) => JSON.stringify(c))).size).toBe(5);
    expect(randomConfigs(space, 5, 3)).toEqual(r);
    expect(randomConfigs(space, 50, 3)).toHaveLength(12);
  });
});

describe('runSearch', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('the table holds every trial with its config and metric, best first', async () => {
    const c = clock();
    const configs = gridConfigs(space);
    const r = await runSearch(configs, async (cfg) => ({ metric: score(cfg), history: { evals: [score(cfg)] } }), {
      maxTrials: 100,
      maxMinutes: 60,
      higherIsBetter: true,
      now: c.now,
    });
    expect(r.stoppedBy).toBe('done');
    expect(r.trials).toHaveLength(12);
    expect(r.trials.map((t) => t.config).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...configs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    for (const t of r.trials) expect(t.metric).toBe(score(t.config));
    expect(r.trials[0].config).toMatchObject({ learningRate: 1e-3, loraR: 8, batchSize: 16 });
    for (let i = 1; i < r.trials.length; i++) expect(r.trials[i].metric).toBeLessThanOrEqual(r.trials[i - 1].metric);
  });

  it('respects max trials, and sorts a loss ascending with NaN last', async () => {
    const c = clock();
    const losses = [0.5, NaN, 0.2, 0.9, 0.1];
    let i = 0;
    const r = await runSearch(gridConfigs(space), async () => ({ metric: losses[i++], history: null }), {
      maxTrials: 4,
      maxMinutes: 60,
      higherIsBetter: false,
      now: c.now,
    });
    expect(r.stoppedBy).toBe('max-trials');
    expect(r.trials.map((t) => t.metric)).toEqual([0.2, 0.5, 0.9, Infinity]);
    expect(r.trials.map((t) => t.index)).toEqual([2, 0, 3, 1]);
  });

  it('respects the minute budget: no trial starts after it', async () => {
    const c = clock();
    const r = await runSearch(
      gridConfigs(space),
      async (cfg) => {
        c.advance(4 * 60_000); // each trial takes 4 minutes
        return { metric: score(cfg), history: null };
      },
      { maxTrials: 100, maxMinutes: 10, higherIsBetter: true, now: c.now },
    );
    expect(r.stoppedBy).toBe('max-minutes');
    expect(r.trials).toHaveLength(3); // starts at 0, 4, 8 minutes; not at 12
    expect(r.trials.every((t) => t.durationMs === 4 * 60_000)).toBe(true);
  });

  it('stops when asked', async () => {
    let n = 0;
    const r = await runSearch(gridConfigs(space), async (cfg) => ({ metric: score(cfg), history: null }), {
      ...{ maxTrials: 100, maxMinutes: 60, higherIsBetter: true, now: () => 0 },
      shouldStop: () => n++ >= 2,
    });
    expect(r.stoppedBy).toBe('stopped');
    expect(r.trials).toHaveLength(2);
  });
});
