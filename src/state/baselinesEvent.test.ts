// The baselines event (issue 12) lands in the training slice, and a new run clears it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_SETTINGS, DEFAULT_TRAIN_CONFIG, RUN_EXTRAS_RESET, type TrainingSlice } from './slices/trainingSlice';
import { trainingEventPatch } from './trainingEvents';

const slice = (): TrainingSlice => ({
  ...RUN_EXTRAS_RESET,
  searchSettings: DEFAULT_SEARCH_SETTINGS,
  searchStatus: 'idle',
  searchError: null,
  searchTrials: [],
  searchTotal: 0,
  searchResult: null,
  trainConfig: DEFAULT_TRAIN_CONFIG,
  trainStatus: 'idle',
  trainError: null,
  trainPoints: [],
  evalPoints: [],
  progress: null,
  outcome: null,
  statusMessage: null,
});

describe('baselines event', () => {
  it('stores the classical and majority bars', () => {
    const majority = { kind: 'majority' as const, description: 'Always "ham"', accuracy: 0.87, macroF1: 0.46, perClass: [], trainMs: 0 };
    const classical = { kind: 'classical' as const, description: 'TF-IDF', accuracy: 0.98, macroF1: 0.95, perClass: [], trainMs: 1200, numFeatures: 5000 };
    expect(trainingEventPatch(slice(), { type: 'baselines', classical, majority })).toEqual({ baselines: { classical, majority } });
    expect(RUN_EXTRAS_RESET.baselines).toBeNull();
  });
});
