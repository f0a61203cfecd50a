// Adapter import slice (issue 14): the adapter zip or model folder imported and its validation metrics, whether
// the next run continues from the imported adapter, and the classification playground's prediction.
import type { StateCreator } from 'zustand';
import type { ClassifyResult, ClassifyWith, ImportedAdapter, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type ImportSlice = {
  importedAdapter: ImportedAdapter | null;
  importStatus: 'idle' | 'importing' | 'done' | 'error';
  importError: UserError | null;
  /** The next classification run starts from the imported adapter (its rank and targets). */
  continueFromImport: boolean;
  classifyText: string;
  classifyWith: ClassifyWith;
  classifyStatus: 'idle' | 'running' | 'done' | 'error';
  classifyResult: ClassifyResult | null;
  classifyError: UserError | null;
  /** The imported causal-LM adapter the playground's fine-tuned side uses, until a new LM run replaces it. */
  lmPlaygroundImport: string | null;
};

export const createImportSlice: StateCreator<StudioState, [], [], ImportSlice> = () => ({
  importedAdapter: null,
  importStatus: 'idle',
  importError: null,
  continueFromImport: false,
  classifyText: '',
  classifyWith: 'run',
  classifyStatus: 'idle',
  classifyResult: null,
  classifyError: null,
  lmPlaygroundImport: null,
});
