// The shapes stored in IndexedDB: metadata records kept apart from blob records, so listing stays cheap.
// Types only; every read turns raw values into these through restore.ts.

/** Any value that survives JSON and structured clone unchanged (config, reports, RNG state). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type ColumnMapping = { textColumn: number; labelColumn: number };

/** Split parameters and sizes; the row indices themselves live in the rows blob (DatasetRowsRecord). */
export type SplitInfo = { seed: number; validationFraction: number; trainCount: number; validationCount: number };

export type SplitAssignment = { train: number[]; validation: number[] };

export type DatasetMeta = {
  id: string;
  name: string;
  /** Size of the original file. */
  sizeBytes: number;
  /** Bytes this dataset's rows take in the blob store (what deleting it frees). */
  storedBytes: number;
  createdAt: number;
  /** SHA-256 of the file bytes, lowercase hex (see hash.ts). */
  contentHash: string;
  rowCount: number;
  header: string[];
  columns: ColumnMapping;
  /** The data report as the data room produced it; opaque here. */
  report: JsonValue;
  split: SplitInfo | null;
};

/** Blob store record: parsed rows as UTF-8 JSON bytes, plus the split's row indices. */
export type DatasetRowsRecord = { datasetId: string; rows: Uint8Array; split: SplitAssignment | null };

export const RUN_STATUSES = ['running', 'paused', 'interrupted', 'finished', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type RunConfig = {
  modelId: string;
  /** Hub models: the commit the base weights came from. */
  modelRevision?: string;
  backend: string;
  seed: number;
  /** Learning rate, batch size, LoRA rank... as the trainer defines them. */
  hyperparameters: { [key: string]: JsonValue };
};

export type RunTiming = {
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Wall-clock time spent training, summed over sessions (the worker reports it). */
  activeMs: number;
};

export type RunRecord = {
  id: string;
  datasetId: string;
  name: string;
  config: RunConfig;
  status: RunStatus;
  /** Why the run stopped, for failed or paused runs (e.g. a quota message). */
  statusMessage: string | null;
  /** Diagnostics raised during training; opaque here. */
  diagnostics: JsonValue[];
  timing: RunTiming;
};

export type TrainMetricPoint = { kind: 'train'; step: number; epoch: number; loss: number; learningRate: number };
export type EvalMetricPoint = {
  kind: 'eval';
  step: number;
  epoch: number;
  valLoss: number;
  valAccuracy: number;
  /** Causal-LM runs: perplexity, next-token accuracy, exact match of greedy completions. */
  perplexity?: number;
  tokenAccuracy?: number;
  exactMatch?: number | null;
};
export type MetricPoint = TrainMetricPoint | EvalMetricPoint;

/** Metric points are appended in chunks keyed [runId, seq], so an append never rewrites earlier points. */
export type MetricChunk = { runId: string; seq: number; points: MetricPoint[]; approxBytes: number };

export const CHECKPOINT_KINDS = ['periodic', 'best'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

export type CheckpointMetric = { name: string; value: number; goal: 'min' | 'max' };

export type CheckpointMeta = {
  id: string;
  runId: string;
  step: number;
  kind: CheckpointKind;
  createdAt: number;
  /** Bytes of the blob record (adapter + optimizer + state). */
  sizeBytes: number;
  metric: CheckpointMetric | null;
};

export type CheckpointBlob = {
  checkpointId: string;
  adapter: Uint8Array;
  optimizer: Uint8Array;
  /** Where the data order stands (epoch, batch, shuffle seed...), as the trainer defines it. */
  dataOrder: JsonValue;
  rngState: JsonValue;
};
