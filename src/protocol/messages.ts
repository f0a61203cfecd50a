// The one contract between the page and the studio worker: typed requests with typed results, and
// streamed events. Types and constants only; no value imports (the bundle on each side stays apart).

export const PROTOCOL_VERSION = 1;

export const BACKENDS = Object.freeze({ webgpu: 'webgpu', wasm: 'wasm', cpu: 'cpu' });
export type BackendName = keyof typeof BACKENDS;
export type BackendPreference = 'auto' | BackendName;

/** A problem the user can act on: what is wrong and what to do about it. */
export type UserError = { code: string; message: string };

export type RowError = { row: number; message: string };

export type LabelCount = { label: string; count: number };

export type DatasetSummary = {
  fileName: string;
  sizeBytes: number;
  header: string[];
  delimiter: string;
  rowCount: number;
  /** The first rows, for the preview table. */
  previewRows: string[][];
  textColumn: number;
  labelColumn: number;
  labels: LabelCount[];
  /** Rows dropped for empty text or missing label. */
  droppedRows: number;
  parseErrors: RowError[];
  /** Problems that stop training (one label, an ID-like label column...). */
  blocking: UserError | null;
  warnings: string[];
  /** The IndexedDB record of this dataset; null when it could not be saved. */
  datasetId: string | null;
};

export type StoredDatasetInfo = { id: string; name: string; sizeBytes: number; storedBytes: number; createdAt: number; rowCount: number };

export type StorageInfo = { supported: boolean; usageBytes: number | null; quotaBytes: number | null; persisted: boolean | null };

export type SplitSummary = {
  seed: number;
  validationFraction: number;
  train: number;
  validation: number;
  perLabel: { label: string; train: number; validation: number }[];
};

export type ModelSource =
  | { kind: 'embedded'; name: string }
  | { kind: 'hub'; baseUrl: string; modelId: string };

export type ModelSummary = {
  modelId: string;
  modelType: string;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  vocabSize: number;
  maxPositions: number;
  parameterCount: number;
  pretrained: boolean;
  note: string | null;
};

export type TrainConfig = {
  learningRate: number;
  batchSize: number;
  epochs: number;
  maxSeqLength: number;
  loraR: number;
  loraAlpha: number;
  loraDropout: number;
  /** Which layers get LoRA: PEFT's default targets, every attention projection, or every linear layer. */
  loraTargets: 'default' | 'attention' | 'all-linear';
  weightDecay: number;
  seed: number;
  /** Evaluate every N optimizer steps; 0 means once per epoch. */
  evalEverySteps: number;
};

export type BackendInfo = {
  backend: BackendName;
  reason: string;
  adapterDescription: string | null;
  isFallbackAdapter: boolean | null;
};

export type TrainPoint = {
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
};

export type EvalPoint = {
  step: number;
  epoch: number;
  valLoss: number;
  valAccuracy: number;
};

export type TrainProgress = {
  step: number;
  totalSteps: number;
  epoch: number;
  epochs: number;
  stepMs: number;
  tokensPerSec: number;
  etaSec: number;
};

export type TrainOutcome = {
  status: 'finished' | 'stopped' | 'failed';
  steps: number;
  finalTrainLoss: number | null;
  bestValLoss: number | null;
  meanStepMs: number;
  tokensPerSec: number;
  backend: BackendName;
};

export type AdapterFile = { fileName: string; bytes: Uint8Array };

/** Every request, its arguments and its result type. */
export type Requests = {
  setBackend: { args: { preference: BackendPreference }; result: BackendInfo };
  parseFile: { args: { file: File }; result: DatasetSummary };
  setColumns: { args: { textColumn: number; labelColumn: number }; result: DatasetSummary };
  split: { args: { validationFraction: number; seed: number }; result: SplitSummary };
  listDatasets: { args: Record<string, never>; result: StoredDatasetInfo[] };
  openDataset: { args: { datasetId: string }; result: { dataset: DatasetSummary; split: SplitSummary | null } };
  deleteDataset: { args: { datasetId: string }; result: { bytesFreed: number } };
  storageInfo: { args: { requestPersistence: boolean }; result: StorageInfo };
  loadModel: { args: { source: ModelSource }; result: ModelSummary };
  train: { args: { config: TrainConfig }; result: TrainOutcome };
  stopTraining: { args: Record<string, never>; result: null };
  exportAdapter: { args: Record<string, never>; result: AdapterFile };
};
export type RequestKind = keyof Requests;

export type ToWorker = {
  [K in RequestKind]: { type: 'request'; requestId: number; kind: K; args: Requests[K]['args'] };
}[RequestKind];

/** Streamed while a request runs. */
export type WorkerEvent =
  | { type: 'modelProgress'; file: string; loadedBytes: number; totalBytes: number; cached: boolean }
  | { type: 'trainStarted'; totalSteps: number; backend: BackendName; trainExamples: number }
  | { type: 'trainPoint'; point: TrainPoint; progress: TrainProgress }
  | { type: 'evalPoint'; point: EvalPoint }
  | { type: 'status'; message: string };

export type FromWorker =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'result'; requestId: number; result: unknown }
  | { type: 'failure'; requestId: number; error: UserError }
  | { type: 'event'; event: WorkerEvent };
