// Defaults slice: the model- and task-aware suggestions (learning rate, max tokens, batch size) with their reasons,
// and which fields the user set (those are never overwritten by a suggestion).
import type { StateCreator } from 'zustand';
import type { SuggestedDefaults } from '../../protocol/trainDefaults';
import type { StudioState } from '../studioStore';

export type DefaultsSlice = {
  trainDefaults: SuggestedDefaults | null;
  /** TrainConfig keys the user changed (form, Use best, resume at lr/10). */
  touchedConfig: string[];
  searchLrTouched: boolean;
};

export const createDefaultsSlice: StateCreator<StudioState, [], [], DefaultsSlice> = () => ({
  trainDefaults: null,
  touchedConfig: [],
  searchLrTouched: false,
});
