// Model slice: which base model is chosen, its download progress and summary, and the backend in use.
import type { StateCreator } from 'zustand';
import type { BackendInfo, BackendPreference, ModelEstimate, ModelSummary, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';
import { readStoredToken } from '../hubSettings';

export type FileProgress = { file: string; loadedBytes: number; totalBytes: number; cached: boolean };

export const EMBEDDED_MODEL = 'studio-mini-bert';

export type ModelChoice = { kind: 'embedded' } | { kind: 'hub'; modelId: string } | { kind: 'local'; name: string; files: File[] };

export type ModelSlice = {
  modelChoice: ModelChoice;
  hubBaseUrl: string;
  model: ModelSummary | null;
  modelStatus: 'none' | 'loading' | 'ready' | 'error';
  modelError: UserError | null;
  modelProgress: Record<string, FileProgress>;
  backendPreference: BackendPreference;
  backend: BackendInfo | null;
  /** The pre-download estimate for the current choice (fits / tight / won't fit). */
  modelEstimate: ModelEstimate | null;
  estimateStatus: 'none' | 'loading' | 'ready' | 'error';
  /** ?maxBufferMB=N: hold models against an N MB buffer limit instead of the device's (tests, what-ifs). */
  maxBufferMB: number | null;
  /** Hub loads: branch, tag or commit ('' = main), and the access token (kept in this browser, see hubSettings). */
  hubRevision: string;
  hubToken: string;
  /** The hub answered 429: seconds until the worker retries (the countdown), or null. */
  hubWait: { secondsLeft: number; attempt: number; maxRetries: number } | null;
  /** The batch size and max tokens the estimate was made for (the defaults scale it to other values). */
  estimatePlan: { batchSize: number; maxSeqLength: number } | null;
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
  modelEstimate: null,
  estimateStatus: 'none',
  maxBufferMB: null,
  hubRevision: '',
  hubToken: readStoredToken(),
  hubWait: null,
  estimatePlan: null,
});
