// The one zustand store of the studio, built from slices. Holds plain serialisable data only:
// tensors, the worker and whole datasets stay in the worker.
import { create } from 'zustand';
import { createDatasetSlice, type DatasetSlice } from './slices/datasetSlice';
import { createModelSlice, type ModelSlice } from './slices/modelSlice';
import { createTrainingSlice, type TrainingSlice } from './slices/trainingSlice';

export type StudioState = DatasetSlice & ModelSlice & TrainingSlice;

export const useStudioStore = create<StudioState>()((...a) => ({
  ...createDatasetSlice(...a),
  ...createModelSlice(...a),
  ...createTrainingSlice(...a),
}));
