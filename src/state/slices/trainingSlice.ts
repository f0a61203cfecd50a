// Training slice: hyperparameters, live progress and the metric series drawn in the chart.
import type { StateCreator } from 'zustand';
import type {
  BaselineView,
  ClassReport,
  DiagnosticInfo,
  EvalPoint,
  PauseReason,
  RunPlan,
  SearchTrialInfo,
  TrainConfig,
  TrainOutcome,
  TrainPoint,
  TrainProgress,
  UserError,
} from '../../protocol/messages';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import type { StudioState } from '../studioStore';

export { DEFAULT_TRAIN_CONFIG };

/** The latest per-class report and confusion matrix (evalDetail event). */
export type EvalDetail = { step: number; perClass: ClassReport[]; confusion: number[][]; labels: string[] };
export type ProbeInfo = { kind: 'perplexity' | 'pseudo-perplexity' | 'embedding-drift'; description: string; base: number };
export type FewShotBaseline = { k: number; accuracy: number; macroF1: number };
export type DiagnosticId = DiagnosticInfo['id'];
export type SearchResult = { trials: SearchTrialInfo[]; bestIndex: number | null; stoppedBy: string | null };
/** The search form: comma-separated value lists and the budget. */
export type SearchSettings = {
  strategy: 'grid' | 'random';
  learningRate: string;
  batchSize: string;
  epochs: string;
  loraR: string;
  loraAlpha: string;
  /** Fine-tuning strategies to try, comma-separated (head, lora, lora-embeddings, full); empty = the form's. */
  strategies: string;
  maxTrials: number;
  maxMinutes: number;
  seed: number;
};

/** Issue 5: what a run adds beyond its curves (reset by startTraining). */
export type RunExtras = {
  plan: RunPlan | null;
  diagnostics: Partial<Record<DiagnosticId, DiagnosticInfo>>;
  evalDetail: EvalDetail | null;
  /** Set while the worker holds the run paused (by the user, after a NaN/Inf loss, or a checkpoint that did not fit). */
  paused: { step: number; reason: PauseReason; message?: string } | null;
  pauseRequested: boolean;
  lastRollback: { fromStep: number; toStep: number } | null;
  /** The peak learning rate the run uses now (changes on resume with a new rate). */
  runLearningRate: number | null;
  probeInfo: ProbeInfo | null;
  fewShotBaseline: FewShotBaseline | null;
  /** Issue 12: the classical TF-IDF + LR and majority-class bars on the same split (baselines event). */
  baselines: { classical: BaselineView | null; majority: BaselineView } | null;
  bestStep: number | null;
};

export const RUN_EXTRAS_RESET: RunExtras = {
  plan: null,
  diagnostics: {},
  evalDetail: null,
  paused: null,
  pauseRequested: false,
  lastRollback: null,
  runLearningRate: null,
  probeInfo: null,
  fewShotBaseline: null,
  baselines: null,
  bestStep: null,
};

export const DEFAULT_SEARCH_SETTINGS: SearchSettings = {
  strategy: 'grid',
  learningRate: '1e-3, 5e-3, 2e-2',
  batchSize: '16',
  epochs: '2',
  loraR: '8',
  loraAlpha: '16',
  strategies: '',
  maxTrials: 6,
  maxMinutes: 10,
  seed: 0,
};

export type TrainingSlice = RunExtras & {
  searchSettings: SearchSettings;
  searchStatus: 'idle' | 'running' | 'done' | 'failed';
  searchError: UserError | null;
  /** Trials as they finish (searchTrial events), then the final result. */
  searchTrials: SearchTrialInfo[];
  searchTotal: number;
  searchResult: SearchResult | null;
  trainConfig: TrainConfig;
  trainStatus: 'idle' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed' | 'early-stopped';
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
  ...RUN_EXTRAS_RESET,
  searchSettings: DEFAULT_SEARCH_SETTINGS,
  searchStatus: 'idle',
  searchError: null,
  searchTrials: [],
  searchTotal: 0,
  searchResult: null,
});
