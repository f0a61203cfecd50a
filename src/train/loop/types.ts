// The public types of the one training loop (runLoop.ts): the task a run trains (classification, causal LM, ...),
// its config, controls and callbacks, the checkpoint and resume state, and the result. Types only.
import type * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapter } from '../../model/lora';
import type { SequenceModel } from '../../model/types';
import type { AdamW } from '../adamw';
import type { AdapterSnapshot, TrainState } from '../checkpoints';
import type { Diagnostic, EarlyStoppingOptions, ProbeKind } from '../diagnostics';
import type { EvalPoint, RunHistory, TrainPoint } from '../history';
import type { LrDecay } from '../lrSchedule';
import type { ClassificationMetrics } from '../metrics';

/** Generic defaults are the classification task's metrics, the loop's first task. */
type Cls = ClassificationMetrics;

/** The model, its adapter and the optimizer over the adapter's variables; the worker owns and disposes them. */
export type TrainerParts = { model: SequenceModel; adapter: LoraAdapter; optimizer: AdamW };

/** One collated micro-batch and what the loop needs to weigh and count it. */
export type MicroBatch<B> = {
  batch: B;
  /** Share of the step's mean loss: examples (classification) or target tokens (causal LM). */
  weight: number;
  /** Real (non-pad) tokens and padded slots, for tokens/s and padding waste. */
  realTokens: number;
  slots: number;
};

/** A validation (or test) result: the loss early stopping watches, and the task's own metrics. */
export type TaskEvaluation<M> = { loss: number; metrics: M };

/**
 * What a task supplies to the loop: example lengths (the step plan buckets by them), collate, loss and gradients of
 * one micro-batch, evaluation. Everything else (order, accumulation, schedule, clipping, cadence, checkpoints,
 * pause/stop, rollback, early stopping, best restore) is the loop's, so it means the same for every task.
 */
export type TrainTask<B, M> = {
  parts: TrainerParts;
  trainLengths: readonly number[];
  /** Loss of an uninformed guess (the underfitting reference); 0 = no such reference. */
  chanceLoss: number;
  collate(indices: readonly number[]): MicroBatch<B>;
  /** Loss and gradients of the adapter's trainable variables (keyed by variable.name); runs inside tf.tidy. */
  lossAndGrads(batch: B, seed: number): { loss: tf.Scalar; grads: tf.NamedTensorMap };
  hasValidation: boolean;
  evaluate(): Promise<TaskEvaluation<M>>;
  /** Evaluated once at the end on the restored best adapter, when the task has a test split. */
  test?(): Promise<TaskEvaluation<M>>;
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
export type LoopState<M = Cls> = {
  stepsDone: number;
  totalSteps: number;
  seed: number;
  peakLr: number;
  lossCeiling: number | null;
  history: RunHistory<M>;
  raised: Diagnostic[];
};

/** A checkpoint the loop asks the caller to store: adapter + AdamW moments of `step`, and the loop state. */
export type LoopCheckpoint<M = Cls> = { step: number; kind: 'periodic' | 'best'; state: TrainState; loop: LoopState<M>; valLoss: number | null };

/** Continue a run from a checkpoint: its train state and loop state, and the best adapter so far (if stored). */
export type ResumePoint<M = Cls> = { state: TrainState; loop: LoopState<M>; best: AdapterSnapshot | null };

export type ResumeOptions = { learningRate?: number };

export type TrainingControls = {
  shouldStop(): boolean;
  isPaused(): boolean;
  /** Resolves on resume (optionally with a new peak learning rate) and also on stop (shouldStop() then true). */
  awaitResume(): Promise<ResumeOptions | void>;
  now(): number;
  /** Why the compute device is gone (a lost WebGPU device), or null; the loop then ends with a DeviceLostError. */
  deviceLost?(): string | null;
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
  /** Loss of guessing by class frequency (ln C when balanced): the underfitting reference (0 = none). */
  chanceLoss: number;
};

export type EvalEvent<M = Cls> = EvalPoint<M> & { isBest: boolean; bestStep: number; bestValLoss: number; diagnostics: Diagnostic[] };

/**
 * 'storage': a checkpoint could not be written (quota); the run waits until space is freed and it is resumed.
 * 'device-lost': the GPU device was lost; the worker continues the run on WASM from its last checkpoint on resume.
 */
export type PauseReason = 'user' | 'non-finite-loss' | 'storage' | 'device-lost';

export type TrainingCallbacks<M = Cls> = {
  onStart?(p: RunPlanInfo): void;
  onTrainPoint(p: TrainPoint): void;
  onEval(p: EvalEvent<M>): void;
  /** A diagnostic appeared or changed severity (also the early-stopping and NaN findings). */
  onDiagnostic(d: Diagnostic): void;
  onPause?(p: { step: number; reason: PauseReason; message?: string }): void;
  /** After a NaN/Inf: adapter and optimizer are back at `toStep`; train points after it are void. */
  onRollback?(p: { fromStep: number; toStep: number }): void;
  onResume?(p: { step: number; learningRate: number }): void;
  /** Store a checkpoint; resolves to an error message when it could not (a full disk pauses the run). */
  onCheckpoint?(c: LoopCheckpoint<M>): Promise<string | null>;
};

export type TrainingResult<M = Cls> = {
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
  test: TaskEvaluation<M> | null;
  /** The validation of the adapter the run ends with (the restored best), or null without validation. */
  keptEval: TaskEvaluation<M> | null;
  history: RunHistory<M>;
};
