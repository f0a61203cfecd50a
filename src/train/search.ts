// Hyperparameter search: grid or seeded random trials over learning rate, batch size, epochs and LoRA rank/alpha,
// run one after another through an injected runTrial, within a budget (max trials / max minutes). Pure orchestration.
import { createRng } from '../lib/rng';

export type TrialConfig = { learningRate: number; batchSize: number; epochs: number; loraR: number; loraAlpha: number };
/** Candidate values per hyperparameter. */
export type SearchSpace = { [K in keyof TrialConfig]: readonly number[] };
export type TrialOutcome<H = unknown> = { metric: number; history: H };
export type Trial<H = unknown> = { index: number; config: TrialConfig; metric: number; history: H; durationMs: number };

export type SearchOptions = {
  maxTrials: number;
  /** Wall-clock budget; no new trial starts after it (a running trial finishes). */
  maxMinutes: number;
  /** true for accuracy / macro-F1, false for a loss. */
  higherIsBetter: boolean;
  now(): number;
  /** Checked before each trial (the user's stop button). */
  shouldStop?(): boolean;
  onTrial?(t: Trial<unknown>): void;
};

export type SearchResult<H> = {
  /** Every finished trial, best first. */
  trials: Trial<H>[];
  stoppedBy: 'done' | 'max-trials' | 'max-minutes' | 'stopped';
};

const KEYS: readonly (keyof TrialConfig)[] = ['learningRate', 'batchSize', 'epochs', 'loraR', 'loraAlpha'];

/** Every combination of the space, learning rate varying slowest. */
export function gridConfigs(space: SearchSpace): TrialConfig[] {
  return KEYS.reduce<Partial<TrialConfig>[]>((partials, key) => partials.flatMap((p) => space[key].map((v) => ({ ...p, [key]: v }))), [{}]) as TrialConfig[];
}

/** `count` distinct seeded draws from the grid (all of it when smaller). */
export function randomConfigs(space: SearchSpace, count: number, seed: number): TrialConfig[] {
  const grid = gridConfigs(space);
  const rng = createRng(seed);
  for (let i = grid.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [grid[i], grid[j]] = [grid[j], grid[i]];
  }
  return grid.slice(0, count);
}

/** Best first; ties keep trial order. */
export function sortTrials<H>(trials: readonly Trial<H>[], higherIsBetter: boolean): Trial<H>[] {
  const sign = higherIsBetter ? -1 : 1;
  return [...trials].sort((a, b) => sign * (a.metric - b.metric) || a.index - b.index);
}

/** Run the configs in order until done or out of budget; a NaN metric sorts last. */
export async function runSearch<H>(
  configs: readonly TrialConfig[],
  runTrial: (c: TrialConfig) => Promise<TrialOutcome<H>>,
  opts: SearchOptions,
): Promise<SearchResult<H>> {
  const start = opts.now();
  const trials: Trial<H>[] = [];
  let stoppedBy: SearchResult<H>['stoppedBy'] = 'done';
  for (const [index, config] of configs.entries()) {
    if (opts.shouldStop?.()) stoppedBy = 'stopped';
    else if (trials.length >= opts.maxTrials) stoppedBy = 'max-trials';
    else if (opts.now() - start >= opts.maxMinutes * 60_000) stoppedBy = 'max-minutes';
    if (stoppedBy !== 'done') break;
    const t0 = opts.now();
    const outcome = await runTrial(config);
    const metric = Number.isFinite(outcome.metric) ? outcome.metric : opts.higherIsBetter ? -Infinity : Infinity;
    const trial: Trial<H> = { index, config, metric, history: outcome.history, durationMs: opts.now() - t0 };
    trials.push(trial);
    opts.onTrial?.(trial);
  }
  return { trials: sortTrials(trials, opts.higherIsBetter), stoppedBy };
}
