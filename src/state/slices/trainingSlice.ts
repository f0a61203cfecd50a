// Training slice: hyperparameters, live progress and the metric series drawn in the chart.
import type { StateCreator } from 'zustand';
import type {
  EvalPoint,
  TrainConfig,
  TrainOutcome,
  TrainPoint,
  TrainProgress,
  UserError,
} from '../../protocol/messages';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import type { StudioState } from '../studioStore';

export { DEFAULT_TRAIN_CONFIG };

export type TrainingSlice = {
  trainConfig: TrainConfig;
  trainStatus: 'idle' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';
  trainError: UserError | null;
  trainPoints: TrainPoint[];
  evalPoints: EvalPoint[];
  progress: TrainProgress | null;
  outcome: TrainOutcome | null;
  statusMessage: string | null;
};

export const createTrainingSlice: StateCreator<StudioState, [], [], TrainingSlice> = () => ({
  trainConfig: DEFAULT_TRAIN_CONFIG,
  trainStatus: 'idle',
  trainError: null,
  trainPoints: [],
  evalPoints: [],
  progress: null,
  outcome: null,
  statusMessage: null,
});
