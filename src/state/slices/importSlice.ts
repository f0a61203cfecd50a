// Adapter import slice (issue 14): the adapter zip imported onto the base model and its validation metrics.
import type { StateCreator } from 'zustand';
import type { ImportedAdapter, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type ImportSlice = {
  importedAdapter: ImportedAdapter | null;
  importStatus: 'idle' | 'importing' | 'done' | 'error';
  importError: UserError | null;
};

export const createImportSlice: StateCreator<StudioState, [], [], ImportSlice> = () => ({
  importedAdapter: null,
  importStatus: 'idle',
  importError: null,
});
