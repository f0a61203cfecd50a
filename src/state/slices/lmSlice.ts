// Causal-LM slice (issue 7): the task choice, the instruction / domain-text data summary, LM training options,
// the few-shot baseline, and the playground (prompt, sampling, adapter strength, base vs tuned outputs).
import type { StateCreator } from 'zustand';
import type { FewShotView, LmDataSummary, LmTask, SamplingView, UserError } from '../../protocol/messages';
import type { StudioState } from '../studioStore';

export type GenView = {
  text: string;
  tokens: number;
  status: 'idle' | 'running' | 'done' | 'error';
  tokensPerSecond: number | null;
  stopReason: string | null;
  error: string | null;
};
export const EMPTY_GEN: GenView = { text: '', tokens: 0, status: 'idle', tokensPerSecond: null, stopReason: null, error: null };

export type LmSlice = {
  lmTask: LmTask;
  lmData: LmDataSummary | null;
  lmBusy: boolean;
  lmError: UserError | null;
  trainOnPrompt: boolean;
  exactMatchSamples: number;
  fewShotK: number;
  fewShot: FewShotView | null;
  fewShotStatus: 'idle' | 'running' | 'done' | 'error';
  fewShotError: string | null;
  playPrompt: string;
  sampling: SamplingView;
  strength: number;
  useTemplate: boolean;
  genBase: GenView;
  genTuned: GenView;
};

export const createLmSlice: StateCreator<StudioState, [], [], LmSlice> = () => ({
  lmTask: 'classify',
  lmData: null,
  lmBusy: false,
  lmError: null,
  trainOnPrompt: false,
  exactMatchSamples: 8,
  fewShotK: 2,
  fewShot: null,
  fewShotStatus: 'idle',
  fewShotError: null,
  playPrompt: '',
  sampling: { greedy: true, temperature: 0.8, topK: 40, topP: 0.95, maxNewTokens: 16, seed: 0 },
  strength: 1,
  useTemplate: true,
  genBase: EMPTY_GEN,
  genTuned: EMPTY_GEN,
});
