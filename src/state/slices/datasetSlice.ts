// Dataset slice: what the worker told us about the dropped file (summary, preview, split).
import type { StateCreator } from 'zustand';
import type { DatasetSummary, SplitSummary, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type DatasetSlice = {
  dataset: DatasetSummary | null;
  datasetStatus: 'empty' | 'parsing' | 'ready' | 'error';
  datasetError: UserError | null;
  split: SplitSummary | null;
  validationFraction: number;
  splitSeed: number;
};

export const createDatasetSlice: StateCreator<StudioState, [], [], DatasetSlice> = () => ({
  dataset: null,
  datasetStatus: 'empty',
  datasetError: null,
  split: null,
  validationFraction: 0.1,
  splitSeed: 42,
});
