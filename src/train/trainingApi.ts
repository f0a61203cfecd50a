// The public types of the classification training loop (runTraining.ts): what the worker passes in (parts, data,
// config, controls, callbacks) and gets back. Types only; tfjs-core types, model/ and train/ types.
import type { LoraAdapter } from '../model/lora';
import type { SequenceModel } from '../model/types';
import type { AdamW } from './adamw';
import type { AdapterSnapshot, TrainState } from './checkpoints';
import type { TokenizedExample } from './batches';
import type { Diagnostic, EarlyStoppingOptions, ProbeKind } from './diagnostics';
import type { SplitEvaluation } from './evaluate';
import type { EvalPoint, RunHistory, TrainPoint } from './history';
import type { LrDecay } from './lrSchedule';

/** The model, its adapter and the optimizer over the adapter's variables; the worker owns and disposes them. */
export type TrainerParts = { model: SequenceModel; adapter: LoraAdapter; optimizer: AdamW };

export type TrainingData = {
  train: readonly TokenizedExample[];
  validation: readonly TokenizedExample[];
  /** Evaluated once at the end, on the restored best adapter. */
  test?: readonly TokenizedExample[];
  padTokenId: number;
  numClasses: number;
};

export type TrainingConfig = {
  learningRate: number;
  /** Micro-batch size; the effective batch is batchSize * gradAccumSteps. */
  batchSize: number;
  epochs: number;
  seed: number;
  /** 0 = EVALS_PER_EPOCH times per epoch; evaluation also runs at step 0, at each epoch end and at the last step. */
  evalEverySteps: number;
  gradAccumSteps?: number; // default 1
  warmupShare?: number; // default 0.06
  lrDecay?: LrDecay; // default 'linear'
  maxGradNorm?: number | null; // default 1.0; null = no clipping
  bucketChunkBatches?: number; // default 50; 0 = random batches
  earlyStopping?: EarlyStoppingOptions | null; // default on; null = off
  evalBatchSize?: number; // default batchSize
  /** See DIVERGENCE_LOSS_FACTOR; null = only NaN/Inf count as divergence. */
  divergenceLossFactor?: number | null;
  /** Periodic checkpoint every N optimizer steps; 0 or absent = at every evaluation. The best evaluation always checkpoints. */
  checkpointEverySteps?: number;
};

/**
 * What the loop needs besides the weights to continue a run exactly: where the seeded step plan stands, the
 * peak learning rate (the user may have lowered it), the divergence ceiling and the history (early stopping,
 * diagnostics). JSON-safe: it is stored with each checkpoint (lossCeiling null = Infinity).
 */
export type LoopState = {
  stepsDone: number;
  totalSteps: number;
  seed: number;
  peakLr: number;
  lossCeiling: number | null;
  history: RunHistory;
  raised: Diagnostic[];
};

/** A checkpoint the loop asks the caller to store: adapter + AdamW moments of `step`, and the loop state. */
export type LoopCheckpoint = { step: number; kind: 'periodic' | 'best'; state: TrainState; loop: LoopState; valLoss: number | null };


/** Continue a run from a checkpoint: its train state and loop state, and the best adapter so far (if stored). */
export type ResumePoint = { state: TrainState; loop: LoopState; best: AdapterSnapshot | null };

export type ResumeOptions = { learningRate?: number };

export type TrainingControls = {
  shouldStop(): boolean;
  isPaused(): boolean;
  /** Resolves on resume (optionally with a new peak learning rate) and also on stop (shouldStop() then true). */
  awaitResume(): Promise<ResumeOptions | void>;
  now(): number;
};

/** The forgetting probe as the loop sees it: base value and a measurement with the adapter as it is now. */
export type ForgettingMonitor = { kind: ProbeKind; base: number; measure(): Promise<number> };

export type RunPlanInfo = {
  totalSteps: number;
  stepsPerEpoch: number;
  evalEverySteps: number;
  effectiveBatchSize: number;
  /** Share of pad tokens over the whole plan, and what random batches would have wasted. */
  paddingWaste: number;
  randomPaddingWaste: number;
  /** Loss of guessing by class frequency (ln C when balanced): the underfitting reference. */
  chanceLoss: number;
};

export type EvalEvent = EvalPoint & { isBest: boolean; bestStep: number; bestValLoss: number; diagnostics: Diagnostic[] };

export type TrainingCallbacks = {
  onStart?(p: RunPlanInfo): void;
  onTrainPoint(p: TrainPoint): void;
  onEval(p: EvalEvent): void;
  /** A diagnostic appeared or changed severity (also the early-stopping and NaN findings). */
  onDiagnostic(d: Diagnostic): void;
  onPause?(p: { step: number; reason: PauseReason; message?: string }): void;
  /** After a NaN/Inf: adapter and optimizer are back at `toStep`; train points after it are void. */
  onRollback?(p: { fromStep: number; toStep: number }): void;
  onResume?(p: { step: number; learningRate: number }): void;
  /** Store a checkpoint; resolves to an error message when it could not (a full disk pauses the run). */
  onCheckpoint?(c: LoopCheckpoint): Promise<string | null>;
};

/** 'storage': a checkpoint could not be written (quota); the run waits until space is freed and it is resumed. */
export type PauseReason = 'user' | 'non-finite-loss' | 'storage';

export type TrainingResult = {
  status: 'finished' | 'stopped' | 'early-stopped';
  steps: number;
  bestStep: number | null;
  bestValLoss: number | null;
  /** True when the adapter now holds the best evaluation's weights. */
  restoredBest: boolean;
  finalTrainLoss: number | null;
  meanStepMs: number;
  tokensPerSec: number;
  paddingWaste: number;
  /** The latest version of every diagnostic raised during the run. */
  diagnostics: Diagnostic[];
  test: SplitEvaluation | null;
  history: RunHistory;
};
