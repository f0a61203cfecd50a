// Model slice: which base model is chosen, its download progress and summary, and the backend in use.
import type { StateCreator } from 'zustand';
import type { BackendInfo, BackendPreference, ModelSummary, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type FileProgress = { file: string; loadedBytes: number; totalBytes: number; cached: boolean };

export const EMBEDDED_MODEL = 'studio-mini-bert';

export type ModelSlice = {
  modelChoice: { kind: 'embedded' } | { kind: 'hub'; modelId: string };
  hubBaseUrl: string;
  model: ModelSummary | null;
  modelStatus: 'none' | 'loading' | 'ready' | 'error';
  modelError: UserError | null;
  modelProgress: Record<string, FileProgress>;
  backendPreference: BackendPreference;
  backend: BackendInfo | null;
};

export const createModelSlice: StateCreator<StudioState, [], [], ModelSlice> = () => ({
  modelChoice: { kind: 'embedded' },
  hubBaseUrl: 'https://huggingface.co',
  model: null,
  modelStatus: 'none',
  modelError: null,
  modelProgress: {},
  backendPreference: 'auto',
  backend: null,
});
