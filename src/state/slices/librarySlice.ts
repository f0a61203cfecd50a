// Library slice: stored datasets and runs, the run opened in the runs view, runs picked for comparison,
// and how much browser storage is used.
import type { StateCreator } from 'zustand';
import type { RunDetail, RunSummary, StorageInfo, StoredDatasetInfo, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type LibrarySlice = {
  storedDatasets: StoredDatasetInfo[];
  runs: RunSummary[];
  openRun: RunDetail | null;
  /** Runs ticked for comparison (set at once), and their details (loaded after). */
  compareIds: string[];
  compareRuns: RunDetail[];
  storageInfo: StorageInfo | null;
  libraryError: UserError | null;
  libraryNotice: string | null;
};

export const createLibrarySlice: StateCreator<StudioState, [], [], LibrarySlice> = () => ({
  storedDatasets: [],
  runs: [],
  openRun: null,
  compareIds: [],
  compareRuns: [],
  storageInfo: null,
  libraryError: null,
  libraryNotice: null,
});
