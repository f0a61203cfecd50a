// The one zustand store of the studio, built from slices. Holds plain serialisable data only:
// tensors, the worker and whole datasets stay in the worker.
import { create } from 'zustand';
import { createDatasetSlice, type DatasetSlice } from './slices/datasetSlice';
import { createLibrarySlice, type LibrarySlice } from './slices/librarySlice';
import { createModelSlice, type ModelSlice } from './slices/modelSlice';
import { createQualitySlice, type QualitySlice } from './slices/qualitySlice';
import { createTrainingSlice, type TrainingSlice } from './slices/trainingSlice';
import { createLmSlice, type LmSlice } from './slices/lmSlice';
import { createDefaultsSlice, type DefaultsSlice } from './slices/defaultsSlice';
import { createNavSlice, type NavSlice } from './slices/navSlice';
import { createImportSlice, type ImportSlice } from './slices/importSlice';

export type StudioState = DatasetSlice & ModelSlice & TrainingSlice & LibrarySlice & QualitySlice & LmSlice & DefaultsSlice & NavSlice & ImportSlice;

export const useStudioStore = create<StudioState>()((...a) => ({
  ...createDatasetSlice(...a),
  ...createModelSlice(...a),
  ...createTrainingSlice(...a),
  ...createLibrarySlice(...a),
  ...createQualitySlice(...a),
  ...createLmSlice(...a),
  ...createDefaultsSlice(...a),
  ...createNavSlice(...a),
  ...createImportSlice(...a),
}));
