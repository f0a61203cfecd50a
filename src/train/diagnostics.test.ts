// Table tests for the pure diagnostics over hand-made metric histories.
import { describe, expect, it } from 'vitest';
import {
  chanceLoss,
  detectForgetting,
  detectOverfitting,
  detectUnderfitting,
  earlyStoppingStatus,
  FORGETTING_EMBEDDING_DRIFT,
  FORGETTING_PERPLEXITY_RISE,
  probeDrift,
} from './diagnostics';
import type { EvalPoint, TrainPoint } from './history';

const metrics = { accuracy: 0, macroF1: 0, perClass: [], confusion: [] };
/** Evals every 10 steps from (train, val[, probe]) pairs. */
const evals = (rows: [number | null, number, number?][]): EvalPoint[] =>
  rows.map(([trainLoss, valLoss, probe], i) => ({ step: i * 10, epoch: i, trainLoss, valLoss, metrics, probe: probe ?? null }));
const train = (losses: number[]): TrainPoint[] =>
  losses.map((loss, i) => ({
    step: i + 1,
    epoch: 1,
    loss,
    learningRate: 1e-3,
    gradNorm: 1,
    stepMs: 1,
    realTokens: 1,
    paddingWaste: 0,
    totalSteps: losses.length,
  }));

describe('detectOverfitting', () => {
  it.each<[string, [number | null, number][], number | null]>([
    [
      'val rising 3x while train falls',
      [
        [null, 1.0],
        [0.9, 0.8],
        [0.7, 0.7],
        [0.5, 0.75],
        [0.4, 0.8],
        [0.3, 0.9],
      ],
      20,
    ],
    [
      'val rising but train rising too',
      [
        [null, 1.0],
        [0.5, 0.8],
        [0.5, 0.7],
        [0.6, 0.75],
        [0.7, 0.8],
        [0.8, 0.9],
      ],
      null,
    ],
    [
      '2 rises, val within 5% of its best',
      [
        [null, 1.0],
        [0.9, 0.8],
        [0.7, 0.7],
        [0.5, 0.71],
        [0.4, 0.72],
      ],
      null,
    ],
    [
      'healthy: both falling',
      [
        [null, 1.0],
        [0.9, 0.9],
        [0.7, 0.8],
        [0.5, 0.7],
        [0.4, 0.6],
      ],
      null,
    ],
    // val wobbling 10% above its best while the gap keeps growing
    [
      'growing gap, val wobbling off best',
      [
        [null, 1.0],
        [0.8, 0.6],
        [0.7, 0.66],
        [0.6, 0.67],
        [0.5, 0.66],
        [0.4, 0.665],
      ],
      10,
    ],
    [
      'growing gap, val 10% off best',
      [
        [null, 1.0],
        [0.8, 0.6],
        [0.7, 0.66],
        [0.6, 0.661],
        [0.5, 0.662],
        [0.4, 0.663],
      ],
      10,
    ],
    [
      'growing gap but val at its best',
      [
        [null, 1.0],
        [0.8, 0.9],
        [0.6, 0.8],
        [0.4, 0.7],
        [0.2, 0.6],
      ],
      null,
    ],
  ])('%s', (_name, rows, startedAt) => {
    const d = detectOverfitting(evals(rows));
    expect(d?.startedAtStep ?? null).toBe(startedAt);
    if (d) expect(d.message).toMatch(/fewer epochs/);
  });
});

describe('earlyStoppingStatus', () => {
  const opts = { patience: 3, minDelta: 0.01 };
  it.each<[string, number[], { bestStep: number; waiting: number; stop: boolean }]>([
    ['improving', [1, 0.9, 0.8], { bestStep: 20, waiting: 0, stop: false }],
    ['3 evals without improvement', [1, 0.8, 0.85, 0.9, 0.95], { bestStep: 10, waiting: 3, stop: true }],
    // 0.795 is the lowest (the best to restore) but within min_delta of 0.8: patience keeps counting
    ['tiny improvements do not reset patience', [1, 0.8, 0.795, 0.796, 0.797], { bestStep: 20, waiting: 3, stop: true }],
    ['no evals yet', [], { bestStep: -1, waiting: 0, stop: false }],
  ])('%s', (_n, vals, want) => {
    const s = earlyStoppingStatus(
      vals.map((valLoss, i) => ({ step: i * 10, valLoss })),
      opts,
    );
    expect([s.bestStep ?? -1, s.evalsWithoutImprovement, s.shouldStop]).toEqual([want.bestStep, want.waiting, want.stop]);
  });
});

describe('earlyStoppingStatus with an untrained start (random weights)', () => {
  const opts = { patience: 3, minDelta: 0.01, untrainedStart: true };
  const at = (vals: number[]) => vals.map((valLoss, i) => ({ step: i * 10, valLoss }));
  it('does not stop on the initial plateau: restoring step 0 would restore a model that knows nothing', () => {
    const s = earlyStoppingStatus(at([0.69, 0.7, 0.71, 0.7, 0.69]), opts);
    expect(s.evalsWithoutImprovement).toBe(4);
    expect(s.shouldStop).toBe(false);
    expect(earlyStoppingStatus(at([0.69, 0.7, 0.71, 0.7, 0.69]), { patience: 3, minDelta: 0.01 }).shouldStop).toBe(true);
  });
  it('counts patience as usual once validation has improved on the start', () => {
    const s = earlyStoppingStatus(at([0.69, 0.6, 0.61, 0.62, 0.63]), opts);
    expect([s.bestStep, s.evalsWithoutImprovement, s.shouldStop]).toEqual([10, 3, true]);
  });
  // A classifier: the loss falls by learning the class prior alone (macro-F1 stays at the majority's), then plateaus.
  const cls = (points: [number, number][]) => points.map(([valLoss, macroF1], i) => ({ step: i * 10, valLoss, metrics: { macroF1 } }));
  it('does not stop on the plateau after learning only the class prior (macro-F1 unchanged)', () => {
    const priorOnly = cls([
      [0.9, 0.3],
      [0.7, 0.3],
      [0.7, 0.3],
      [0.71, 0.3],
      [0.7, 0.305],
      [0.7, 0.3],
    ]);
    expect(earlyStoppingStatus(priorOnly, opts).shouldStop).toBe(false);
    // the same history without untrainedStart stops, and would restore the prior-only model
    expect(earlyStoppingStatus(priorOnly, { patience: 3, minDelta: 0.01 }).shouldStop).toBe(true);
  });
  it('counts patience from the first evaluation that beats the start, and never picks the plateau as the best', () => {
    // the plateau's loss (0.6) is lower than the learned model's (0.65), yet only learned evaluations can be the best
    const h = cls([
      [0.9, 0.3],
      [0.6, 0.3],
      [0.6, 0.3],
      [0.65, 0.6],
      [0.66, 0.62],
      [0.67, 0.61],
      [0.68, 0.6],
    ]);
    const s = earlyStoppingStatus(h, opts);
    expect([s.bestStep, s.evalsWithoutImprovement, s.shouldStop]).toEqual([30, 3, true]);
    expect(earlyStoppingStatus(h.slice(0, 6), opts).shouldStop).toBe(false);
  });
});

describe('detectUnderfitting', () => {
  const ln3 = Math.log(3);
  it.each<[string, number[], string | null]>([
    ['not a full epoch yet', [1.1, 1.1, 1.1], null],
    ['stuck at chance', Array(8).fill(ln3), 'chance'],
    ['learning', [1.1, 1.0, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3], null],
    ['below chance but flat', [0.5, 0.5, 0.49, 0.5, 0.5, 0.49, 0.5, 0.49], 'barely moved'],
  ])('%s', (_n, losses, want) => {
    const d = detectUnderfitting(train(losses), { stepsPerEpoch: 8, chanceLoss: ln3 });
    if (want === null) expect(d).toBeNull();
    else {
      expect(d?.message).toMatch(want);
      expect(d?.message).toMatch(/Raise the learning rate/);
      expect(d?.startedAtStep).toBe(losses.length);
    }
  });

  it.each([
    [[0, 1, 2, 0, 1, 2], 3, Math.log(3)],
    [[0, 0, 0, 1], 2, -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25))],
    [[1, 1], 2, 0],
  ])('chanceLoss(%j) is the label entropy', (labels, C, want) => {
    expect(chanceLoss(labels, C)).toBeCloseTo(want, 12);
  });
});

describe('detectForgetting', () => {
  it.each<[string, 'perplexity' | 'embedding-drift', number, number[], { at: number; severity: string } | null]>([
    ['perplexity within threshold', 'perplexity', 20, [20, 21, 23], null],
    ['perplexity +25% from step 20', 'perplexity', 20, [20, 22, 25, 25], { at: 20, severity: 'warning' }],
    ['perplexity back under', 'perplexity', 20, [20, 30, 21], null],
    ['perplexity x2.5 is an error', 'perplexity', 20, [20, 50], { at: 10, severity: 'error' }],
    ['embedding drift over 0.05', 'embedding-drift', 0, [0, 0.02, 0.06, 0.08], { at: 20, severity: 'warning' }],
  ])('%s', (_n, kind, base, probes, want) => {
    const d = detectForgetting(evals(probes.map((p) => [1, 1, p])), { kind, base });
    expect(d ? { at: d.startedAtStep, severity: d.severity } : null).toEqual(want);
  });

  it('thresholds are relative for perplexities and absolute for embedding drift', () => {
    expect(probeDrift('pseudo-perplexity', 10, 12)).toBeCloseTo(0.2, 12);
    expect(probeDrift('embedding-drift', 0, 0.03)).toBe(0.03);
    expect([FORGETTING_PERPLEXITY_RISE, FORGETTING_EMBEDDING_DRIFT]).toEqual([0.2, 0.05]);
  });
});
