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
import type { StudioState } from '../studioStore';

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  learningRate: 5e-3,
  batchSize: 16,
  epochs: 3,
  maxSeqLength: 64,
  loraR: 8,
  loraAlpha: 16,
  loraDropout: 0.05,
  loraTargets: 'default',
  weightDecay: 0.01,
  seed: 42,
  evalEverySteps: 0,
};

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
