import { describe, expect, it } from 'vitest';
import type { DiagnosticInfo, EvalPoint, SearchTrialInfo, TrainPoint } from '../protocol/messages';
import { DEFAULT_SEARCH_SETTINGS, DEFAULT_TRAIN_CONFIG, RUN_EXTRAS_RESET, type TrainingSlice } from './slices/trainingSlice';
import { parseValueList, sortTrialsByMetric, trainingEventPatch } from './trainingEvents';

const slice = (over: Partial<TrainingSlice> = {}): TrainingSlice => ({
  trainConfig: DEFAULT_TRAIN_CONFIG,
  trainStatus: 'running',
  trainError: null,
  trainPoints: [],
  evalPoints: [],
  progress: null,
  outcome: null,
  statusMessage: null,
  ...RUN_EXTRAS_RESET,
  searchSettings: DEFAULT_SEARCH_SETTINGS,
  searchStatus: 'idle',
  searchError: null,
  searchTrials: [],
  searchTotal: 0,
  searchResult: null,
  ...over,
});
const tp = (step: number): TrainPoint => ({ step, epoch: 1, loss: 1, learningRate: 1e-3 });
const ep = (step: number, isBest = false): EvalPoint => ({ step, epoch: 1, valLoss: 1, valAccuracy: 0.5, isBest });
const diag = (severity: DiagnosticInfo['severity']): DiagnosticInfo => ({ id: 'overfitting', severity, startedAtStep: 4, title: 't', message: 'm' });
const trial = (index: number, metric: number): SearchTrialInfo => ({
  index,
  metric,
  config: { learningRate: 1e-3 * (index + 1), batchSize: 8, epochs: 1, loraR: 4, loraAlpha: 8 },
  bestValLoss: 0.5,
  durationMs: 10,
  evalPoints: [],
});

describe('trainingEventPatch', () => {
  it('keeps one diagnostic per id; a later one replaces it', () => {
    const s1 = slice(trainingEventPatch(slice(), { type: 'diagnostic', diagnostic: diag('warning') })!);
    const s2 = slice({ ...s1, ...trainingEventPatch(s1, { type: 'diagnostic', diagnostic: diag('error') }) });
    expect(Object.keys(s2.diagnostics)).toEqual(['overfitting']);
    expect(s2.diagnostics.overfitting?.severity).toBe('error');
  });

  it('drops train and eval points after the rollback step', () => {
    const s = slice({ trainPoints: [tp(1), tp(2), tp(3), tp(4)], evalPoints: [ep(0), ep(4)] });
    const p = trainingEventPatch(s, { type: 'rollback', fromStep: 4, toStep: 2 })!;
    expect(p.trainPoints?.map((x) => x.step)).toEqual([1, 2]);
    expect(p.evalPoints?.map((x) => x.step)).toEqual([0]);
    expect(p.lastRollback).toEqual({ fromStep: 4, toStep: 2 });
  });

  it('pause, then resume with a new learning rate', () => {
    const paused = slice(trainingEventPatch(slice(), { type: 'paused', step: 7, reason: 'non-finite-loss' })!);
    expect(paused.paused).toEqual({ step: 7, reason: 'non-finite-loss' });
    const resumed = trainingEventPatch(paused, { type: 'resumed', step: 7, learningRate: 1e-4 })!;
    expect(resumed.paused).toBeNull();
    expect(resumed.runLearningRate).toBe(1e-4);
  });

  it('marks the best step from evalPoint.isBest only', () => {
    expect(trainingEventPatch(slice(), { type: 'evalPoint', point: ep(8, true) })).toEqual({ bestStep: 8 });
    expect(trainingEventPatch(slice(), { type: 'evalPoint', point: ep(9, false) })).toBeNull();
  });

  it('collects search trials (a repeated index replaces) and restarts the live curves', () => {
    const s = slice({ trainPoints: [tp(1)], searchTrials: [trial(0, 0.5)] });
    const p = trainingEventPatch(s, { type: 'searchTrial', trial: trial(1, 0.7), total: 3 })!;
    expect(p.searchTrials?.map((t) => t.index)).toEqual([0, 1]);
    expect(p.searchTotal).toBe(3);
    expect(p.trainPoints).toEqual([]);
  });

  it('stores plan, evaluation detail, probe info and the few-shot baseline', () => {
    expect(trainingEventPatch(slice(), { type: 'fewShot', k: 5, accuracy: 0.6, macroF1: 0.55 })).toEqual({
      fewShotBaseline: { k: 5, accuracy: 0.6, macroF1: 0.55 },
    });
    const d = trainingEventPatch(slice(), {
      type: 'evalDetail',
      step: 4,
      perClass: [],
      confusion: [
        [1, 0],
        [0, 1],
      ],
      labels: ['a', 'b'],
    });
    expect(d?.evalDetail?.labels).toEqual(['a', 'b']);
    expect(trainingEventPatch(slice(), { type: 'probeInfo', kind: 'embedding-drift', description: 'x', base: 0 })?.probeInfo?.kind).toBe('embedding-drift');
    expect(trainingEventPatch(slice(), { type: 'status', message: 'x' })).toBeNull();
  });
});

describe('search helpers', () => {
  it('sorts trials by metric, best first, NaN last', () => {
    expect(sortTrialsByMetric([trial(0, 0.5), trial(1, NaN), trial(2, 0.9), trial(3, 0.5)]).map((t) => t.index)).toEqual([2, 0, 3, 1]);
  });

  it('parses value lists', () => {
    expect(parseValueList('1e-3, 5e-3,0.02')).toEqual([0.001, 0.005, 0.02]);
    expect(parseValueList('8 16 16', true)).toEqual([8, 16]);
    expect(parseValueList('8, 1.5', true)).toBeNull();
    expect(parseValueList('')).toBeNull();
    expect(parseValueList('0.1, -1')).toBeNull();
  });
});
