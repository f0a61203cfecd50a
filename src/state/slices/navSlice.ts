// Navigation slice (issue 14): which step view is shown and how the training form is shown. UI preferences only.
import type { StateCreator } from 'zustand';
import type { StudioState } from '../studioStore';

/** The guided steps, in order. The hash route of a step is `#/<id>`. */
export const STEP_IDS = ['data', 'check', 'model', 'train', 'results', 'playground', 'runs'] as const;
export type StepId = (typeof STEP_IDS)[number];

export type NavSlice = {
  view: StepId;
  /** The training form: the few settings that matter, or every setting. */
  trainFormMode: 'simple' | 'advanced';
  /** A new version of the studio is installed and waits for the user's reload (service worker). */
  updateReady: boolean;
  /** The worker cannot serve this page (a stale bundle after a deploy): the banner's text, or null. */
  workerProblem: string | null;
};

export const createNavSlice: StateCreator<StudioState, [], [], NavSlice> = () => ({
  view: 'data',
  trainFormMode: 'simple',
  updateReady: false,
  workerProblem: null,
});
