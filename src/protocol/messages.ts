// The one contract between the page and the studio worker: typed requests with typed results, and
// streamed events. Types and constants only; no value imports (the bundle on each side stays apart).
import type { MemoryEstimate } from '../model/memoryEstimate';
import type { RunStatus } from '../storage/records';
import type { Diagnostic } from '../train/diagnostics';
import type { PauseReason, RunPlanInfo } from '../train/loop/types';
import type { RowError } from './rows';
import type { BaselineView, FineTuneStrategy, VerdictView } from './baselineMessages';
import type { FewShotView, GenerateArgs, GenerateOutcome, LmDataArgs, LmDataSummary, LmOutcome, LmTrainOptions } from './lmMessages';
export type * from './lmMessages';
export type * from './baselineMessages';

/** Bumped whenever a message changes shape: a page and a worker bundle of different versions refuse to talk. */
export const PROTOCOL_VERSION = 2;

export const BACKENDS = Object.freeze({ webgpu: 'webgpu', wasm: 'wasm', cpu: 'cpu' });
export type BackendName = keyof typeof BACKENDS;
export type BackendPreference = 'auto' | BackendName;

/** A problem the user can act on: what is wrong and what to do about it. */
export type UserError = { code: string; message: string };

export type { RowError };

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
  /** Every row left out of training with its reason (parse errors, empty text, missing label), listed up to a cap. */
  leftOut?: { rows: RowError[]; total: number };
  /** Problems that stop training (one label, an ID-like label column...). */
  blocking: UserError | null;
  warnings: string[];
  /** The IndexedDB record of this dataset; null when it could not be saved. */
  datasetId: string | null;
  /** Data audit (issue 4): the quality report of this table, computed in the worker. */
  quality?: QualityView | null;
};

export type StoredDatasetInfo = { id: string; name: string; sizeBytes: number; storedBytes: number; createdAt: number; rowCount: number };

export type StorageInfo = { supported: boolean; usageBytes: number | null; quotaBytes: number | null; persisted: boolean | null };

/** A stored run's status (one type: storage/records.ts, where the allowed changes are). */
export type { RunStatus };

export type RunSummary = {
  id: string;
  name: string;
  status: RunStatus;
  statusMessage: string | null;
  modelId: string;
  /** Hub models: the commit the run's base weights came from. */
  modelRevision?: string | null;
  datasetId: string;
  datasetName: string;
  backend: string;
  createdAt: number;
  steps: number;
  bestValLoss: number | null;
  bestValAccuracy: number | null;
  config: TrainConfig;
};

export type CheckpointSummary = { id: string; step: number; kind: 'periodic' | 'best'; sizeBytes: number; metric: number | null };

export type RunDetail = { run: RunSummary; trainPoints: TrainPoint[]; evalPoints: EvalPoint[]; checkpoints: CheckpointSummary[] };

export type BenchmarkArgs = {
  backend: BackendName;
  /** 'bert' (classifier, default) or 'llama' (causal LM, tied embeddings). */
  family?: 'bert' | 'llama';
  dims: { hidden: number; layers: number; heads: number; intermediate: number };
  vocabSize?: number;
  seqLen: number;
  batchSize: number;
  steps: number;
  /** Profile one more step (tf.profile) after the timed ones. Defaults to true. */
  profile?: boolean;
  /** Stock tfjs kernels (no wasm matmul shaping, tfjs's own Slice): the before of a before/after. */
  stock?: boolean;
};

export type BenchmarkKernelGroup = { ms: number; gflop: number };

/** One output of one WGSL kernel case: fused on webgpu vs stock ops on the CPU backend (kernelCheck). */
export type KernelCheckRow = { kernel: string; case: string; output: string; maxAbsDiff: number; maxAbsRef: number };
export type KernelCheckResult = {
  adapter: string | null;
  isFallbackAdapter: boolean | null;
  rows: KernelCheckRow[];
  /** Per family, how often each fused kernel ran during its webgpu step. */
  stepKernelCalls: Record<string, Record<string, number>>;
};

export type BenchmarkResult = {
  backend: BackendName;
  /** Time of the first step of this shape (includes kernel setup), or null when the model was already warm. */
  firstStepMs: number | null;
  medianStepMs: number;
  /** Every timed step of this call, ms. */
  stepTimesMs: number[];
  tokensPerSec: number;
  /** Kernel time of one profiled step, matmul kernels vs everything else (0 when not profiled). */
  matmulMs: number;
  otherMs: number;
  kernelCount: number;
  topKernels: { name: string; ms: number }[];
  /** The profiled step by group, with the matmul FLOPs each did; null when not profiled. */
  profile: { attention: BenchmarkKernelGroup; linears: BenchmarkKernelGroup; other: BenchmarkKernelGroup } | null;
};

export type SplitSummary = {
  seed: number;
  validationFraction: number;
  train: number;
  validation: number;
  perLabel: { label: string; train: number; validation: number; test?: number }[];
  /** Data audit additions: how the split was made, the optional test split and its leakage check. */
  mode?: SplitMode;
  testFraction?: number;
  test?: number;
  groupColumn?: number | null;
  splitColumn?: number | null;
  /** Groups of two or more rows kept on one side (duplicates, near duplicates, user groups). */
  keptTogether?: number;
  leakage?: LeakageView | null;
  note?: string | null;
};

/** 'group': stratified and group-aware (default); 'random': stratified per row; 'column': the user's split column. */
export type SplitMode = 'group' | 'random' | 'column';
export type SplitArgs = {
  validationFraction: number;
  seed: number;
  mode?: SplitMode;
  testFraction?: number;
  groupColumn?: number | null;
  splitColumn?: number | null;
};

// ---- Data audit (issue 4): quality report, leakage, fixes ----
export type AuditSeverity = 'ok' | 'warning' | 'blocking';
export type AuditFix = { kind: 'drop' | 'keep-first' | 'merge' | 'trim' | 'relabel'; rows: number[]; groups?: number[][]; labels?: Record<string, string> };
/** Row pair with its similarity (Jaccard, cosine, or 1 for exact); a = training row. */
export type AuditPair = { a: number; b: number; similarity: number };
export type AuditFinding = {
  checkId: string;
  severity: AuditSeverity;
  count: number;
  /** 0-based row indices of the table. */
  rows: number[];
  reason: string;
  fix?: AuditFix;
  groups?: number[][];
  pairs?: AuditPair[];
};
export type QualityView = {
  rowCount: number;
  /** Rows the report covered (a prefix of the table when it is very large). */
  checkedRows: number;
  findings: AuditFinding[];
  severity: AuditSeverity;
  summary: Record<AuditSeverity, number>;
  labels?: { counts: LabelCount[]; imbalanceRatio: number; labelledRows: number };
  lengths?: {
    maxSeqLength: number;
    estimated: boolean;
    truncatedShare: number;
    maxTokens: number;
    meanTokens: number;
    p95Tokens?: number;
    histogram: { from: number; to: number; count: number }[];
  };
  /** Label-leakage hints: label word in its texts, an ID-like column that predicts the label. */
  labelHints: AuditFinding[];
  /** The model whose tokenizer measured lengths; null when estimated from characters. */
  tokenizer: string | null;
  jaccardThreshold: number;
  elapsedMs: number;
  note: string | null;
};
/** One pair shown side by side in the leakage view. */
export type LeakPairView = {
  kind: 'exact' | 'normalized' | 'fuzzy' | 'semantic';
  trainRow: number;
  otherRow: number;
  similarity: number;
  trainText: string;
  otherText: string;
};
export type LeakageView = {
  against: 'validation' | 'imported';
  trainRows: number;
  otherRows: number;
  /** Share of non-blank validation rows with a twin in training (exact, normalized, fuzzy or semantic). */
  shareWithTwin: number;
  rowsWithTwin: number;
  /** leak_exact, leak_normalized, leak_fuzzy and, once checked, leak_semantic. */
  findings: AuditFinding[];
  pairs: LeakPairView[];
  jaccardThreshold: number;
  semantic: { threshold: number; model: string; checkedRows: number } | null;
  note: string | null;
};
export type AuditRow = { row: number; text: string; label: string };
export type AppliedFixSummary = { before: number; after: number; dropped: number; trimmed: number; relabeled: number };
/** What a run started despite a leakage warning records. */
export type LeakageAck = { share: number; pairs: number };

export type ModelSource =
  | { kind: 'embedded'; name: string }
  /** revision: branch, tag or commit (empty = main); accessToken: kept in this browser only, sent to the hub host only. */
  | { kind: 'hub'; baseUrl: string; modelId: string; revision?: string; accessToken?: string | null }
  /** A model folder picked or dropped by the user: config.json, tokenizer files, model.safetensors or shards. */
  | { kind: 'local'; name: string; files: File[] };

/** What the memory estimate assumes: the training settings, and an optional limit override (?maxBufferMB=). */
export type ModelPlan = {
  batchSize: number;
  maxSeqLength: number;
  loraR: number;
  loraTargets: 'default' | 'attention' | 'all-linear';
  maxBufferMB?: number | null;
};

/** Parameter count and memory estimate before the download, with the fits / tight / won't-fit verdict. */
export type ModelEstimate = MemoryEstimate & {
  modelId: string;
  modelType: string;
  /** The weight files the load will download ('model.safetensors' or the shards). */
  weightFiles: string[];
};

export type ModelSummary = {
  modelId: string;
  modelType: string;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  vocabSize: number;
  maxPositions: number;
  parameterCount: number;
  /** What the family can train (from the model registry): 'CAUSAL_LM' marks a decoder the LM tasks can use. */
  tasks: ('SEQ_CLS' | 'CAUSAL_LM')[];
  pretrained: boolean;
  note: string | null;
  /** How the weights were stored: files read, stored dtypes (converted to F32), tied LM head handling. */
  checkpoint?: { files: string[]; storedDtypes: string[]; tiedHead: 'absent' | 'deduplicated' | null };
  /** Hub loads: the revision asked for and the commit every file came from. */
  revision?: { requested: string; commit: string } | null;
  /** Tokenizer fallbacks used ("EOS taken from config.json (id 50256, <|endoftext|>)."). */
  tokenizerNotes?: string[];
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
  /** Evaluate every N optimizer steps; 0 means 4 times per epoch (and always at step 0 and each epoch end). */
  evalEverySteps: number;
  /** Micro-batches per optimizer step (effective batch = batchSize x gradAccumSteps). */
  gradAccumSteps: number;
  lrDecay: 'linear' | 'cosine';
  /** Stop when validation loss has not improved by minDelta for `patience` evaluations; keep the best. */
  earlyStopping: boolean;
  patience: number;
  minDelta: number;
  /** Examples per class for the few-shot baseline measured before training (0 = skip). */
  fewShotK: number;
  /** Unused by the trainer: the test split is chosen in the split view (kept for stored run configs). */
  testFraction: number;
  /** Save a resumable checkpoint every N optimizer steps; 0 = at every evaluation. The best evaluation is always saved. */
  checkpointEverySteps: number;
  /** What trains (issue 12): head only, LoRA (the default when absent), LoRA + word embeddings, or every weight. */
  strategy?: FineTuneStrategy;
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
  /** Classification runs: macro-F1, the training loss since the last evaluation, the forgetting probe. */
  macroF1?: number;
  trainLoss?: number | null;
  probe?: number | null;
  isBest?: boolean;
  /** Causal-LM runs (issue 7): exp(valLoss), next-token accuracy, exact match of greedy completions. */
  perplexity?: number;
  tokenAccuracy?: number;
  exactMatch?: number | null;
};

export type TrainProgress = {
  step: number;
  totalSteps: number;
  epoch: number;
  epochs: number;
  stepMs: number;
  tokensPerSec: number;
  etaSec: number;
  /** Share of pad tokens in this step's batches (length bucketing keeps it low). */
  paddingWaste?: number;
};

/** A diagnostic banner (one type: train/diagnostics.ts, where the thresholds are documented). */
export type DiagnosticInfo = Diagnostic;

export type ClassReport = { label: string; precision: number; recall: number; f1: number; support: number };

/** The step plan of a run as the loop reports it (one type: train/loop/types.ts). */
export type RunPlan = RunPlanInfo;

export type SearchSpaceArgs = {
  learningRate: number[];
  batchSize: number[];
  epochs: number[];
  loraR: number[];
  loraAlpha: number[];
  /** Fine-tuning strategies to try (issue 12); absent = the form's. */
  strategies?: FineTuneStrategy[];
};

export type SearchTrialInfo = {
  index: number;
  config: { learningRate: number; batchSize: number; epochs: number; loraR: number; loraAlpha: number; strategy?: FineTuneStrategy };
  /** Best validation macro-F1 of the trial (higher is better). */
  metric: number;
  bestValLoss: number | null;
  durationMs: number;
  evalPoints: EvalPoint[];
};

export type TrainOutcome = {
  status: 'finished' | 'stopped' | 'failed' | 'early-stopped';
  /** Best evaluation and whether the adapter was restored to it. */
  bestStep?: number | null;
  restoredBest?: boolean;
  paddingWaste?: number;
  diagnostics?: DiagnosticInfo[];
  test?: { loss: number; accuracy: number; macroF1: number; examples: number } | null;
  fewShot?: { k: number; accuracy: number; macroF1: number } | null;
  steps: number;
  finalTrainLoss: number | null;
  bestValLoss: number | null;
  meanStepMs: number;
  tokensPerSec: number;
  backend: BackendName;
  /** The run's IndexedDB record, or null when it could not be saved (storageProblem says why). */
  runId: string | null;
  storageProblem: string | null;
  /** Set when the run was started after acknowledging a train/validation leakage warning. */
  acknowledgedLeakage?: LeakageAck | null;
  /** Causal-LM runs (issue 7). */
  lm?: LmOutcome | null;
  /** A resumed stored run: the checkpoint step it continued from. */
  resumedFromStep?: number | null;
  /** The bar to beat (issue 12): TF-IDF + logistic regression and the majority class on the same split, and the verdict. */
  classical?: BaselineView | null;
  majority?: BaselineView | null;
  verdict?: VerdictView | null;
  strategy?: FineTuneStrategy;
  /** Validation metrics of the evaluation the adapter was restored to (the best), else the last. */
  best?: { accuracy: number; macroF1: number } | null;
  /** Issue 14: the imported adapter (its file name) this run started from, when it continued one. */
  continuedFrom?: string | null;
};

export type AdapterFile = { fileName: string; bytes: Uint8Array };

/** Why a run paused: the user, a NaN/Inf loss (rolled back), or a checkpoint that did not fit in storage (train/loop/types.ts). */
export type { PauseReason };

/** An adapter zip imported onto the loaded base model and evaluated on the current validation split (issue 14). */
export type ImportedAdapter = {
  fileName: string;
  adapterBase: string;
  modelId: string;
  r: number;
  loraAlpha: number;
  targetModules: string[];
  labelNames: string[];
  examples: number;
  valLoss: number;
  /** Classification accuracy; causal-LM adapters: next-token accuracy. */
  valAccuracy: number;
  /** Classification only (null for a causal-LM adapter). */
  macroF1: number | null;
  confusion: number[][];
  task: 'SEQ_CLS' | 'CAUSAL_LM';
  /** Causal-LM adapters: validation perplexity (exp of the validation loss). */
  perplexity?: number | null;
  /** The stored "imported" run entry that holds this evaluation (null when storage is unavailable). */
  runId: string | null;
  /** 'adapter': a PEFT LoRA zip; 'full-model': a save_pretrained folder loaded as the model. */
  kind: 'adapter' | 'full-model';
  /** Set when the checkpoint's labels were HF's generic LABEL_i and the data's labels were used in their place. */
  labelNote?: string | null;
};

/** A full model folder (zip) loaded as the model and evaluated (issue 14); files: the unzipped folder for reloads. */
export type ImportedModel = { summary: ModelSummary; files: File[]; evaluation: ImportedAdapter };

/**
 * Who answers in the classification playground: the last run's adapter, the imported adapter, the loaded model's
 * own head (an imported full model), or a stored run's adapter (`stored:<run id>`, its last checkpoint).
 */
export type ClassifyWith = 'run' | 'imported' | 'model' | `stored:${string}`;

/** A classification prediction in the playground (issue 14): which adapter answered, the label and every class's probability. */
export type ClassifyResult = { adapter: string; label: string; probabilities: { label: string; p: number }[] };

/** The Python recipe's data (issue 14): the split's exact rows, the label order, the LoRA targets per preset. */
export type RecipeData = {
  modelId: string;
  modelType: string;
  labelNames: string[];
  train: [string, string][];
  validation: [string, string][];
  targetModules: Record<TrainConfig['loraTargets'], string[]>;
  fanInFanOut: boolean;
};

/** Every request, its arguments and its result type. */
export type Requests = {
  setBackend: { args: { preference: BackendPreference }; result: BackendInfo };
  parseFile: { args: { file: File; maxSeqLength?: number }; result: DatasetSummary };
  setColumns: { args: { textColumn: number; labelColumn: number }; result: DatasetSummary };
  split: { args: SplitArgs; result: SplitSummary };
  listDatasets: { args: Record<string, never>; result: StoredDatasetInfo[] };
  openDataset: { args: { datasetId: string }; result: { dataset: DatasetSummary; split: SplitSummary | null } };
  deleteDataset: { args: { datasetId: string }; result: { bytesFreed: number } };
  storageInfo: { args: { requestPersistence: boolean }; result: StorageInfo };
  listRuns: { args: Record<string, never>; result: RunSummary[] };
  getRunDetail: { args: { runId: string }; result: RunDetail };
  deleteRun: { args: { runId: string }; result: { bytesFreed: number } };
  exportCheckpoint: { args: { checkpointId: string }; result: AdapterFile };
  exportProject: { args: { datasetId: string }; result: AdapterFile };
  importProject: { args: { file: File }; result: { datasetId: string; runs: number } };
  benchmark: { args: BenchmarkArgs; result: BenchmarkResult };
  /** The WGSL kernels against the CPU backend on random inputs (browser test; needs WebGPU). */
  kernelCheck: { args: { seed: number }; result: KernelCheckResult };
  benchData: { args: { rows: string[][] }; result: { reportMs: number; splitMs: number; leakageMs: number; totalMs: number; validationShareWithTwin: number } };
  loadModel: { args: { source: ModelSource; plan?: ModelPlan }; result: ModelSummary };
  estimateModel: { args: { source: ModelSource; plan: ModelPlan }; result: ModelEstimate };
  /** fromImported: start from the imported adapter's weights (its rank and targets) instead of a fresh LoRA. */
  train: { args: { config: TrainConfig; acknowledgedLeakage?: LeakageAck | null; fromImported?: boolean }; result: TrainOutcome };
  stopTraining: { args: Record<string, never>; result: null };
  pauseTraining: { args: Record<string, never>; result: null };
  resumeTraining: { args: { learningRate?: number }; result: null };
  /** Continue a stored interrupted or paused run from its latest checkpoint (reopens its dataset and base model). */
  resumeRun: { args: { runId: string; source: ModelSource | null }; result: TrainOutcome };
  search: {
    args: { space: SearchSpaceArgs; strategy: 'grid' | 'random'; maxTrials: number; maxMinutes: number; seed: number; base: TrainConfig };
    result: { trials: SearchTrialInfo[]; bestIndex: number | null; stoppedBy: string | null };
  };
  recipeData: { args: Record<string, never>; result: RecipeData };
  importAdapter: { args: { file: File; maxSeqLength: number; batchSize: number }; result: ImportedAdapter };
  importModel: { args: { file: File; maxSeqLength: number; batchSize: number }; result: ImportedModel };
  classify: { args: { text: string; adapter: ClassifyWith; maxSeqLength: number }; result: ClassifyResult };
  exportAdapter: { args: Record<string, never>; result: AdapterFile };
  qualityReport: { args: { maxSeqLength: number; jaccardThreshold?: number }; result: QualityView };
  applyFixes: { args: { checkIds: string[] }; result: { dataset: DatasetSummary; split: SplitSummary | null; applied: AppliedFixSummary } };
  getRows: { args: { rows: number[] }; result: AuditRow[] };
  cleanedCsv: { args: Record<string, never>; result: { fileName: string; bytes: Uint8Array } };
  semanticTwins: { args: { maxSeqLength: number; threshold?: number }; result: SplitSummary };
  importValidation: { args: { file: File }; result: LeakageView };
  // Causal-LM fine-tuning (issue 7)
  lmData: { args: LmDataArgs; result: LmDataSummary };
  trainLm: { args: { config: TrainConfig; lm: LmTrainOptions; acknowledgedLeakage?: LeakageAck | null; fromImported?: boolean }; result: TrainOutcome };
  fewShot: { args: { k: number; maxSeqLength: number; maxExamples: number }; result: FewShotView };
  generate: { args: GenerateArgs; result: GenerateOutcome };
  stopGenerate: { args: { streamId: number }; result: null };
  /** Test-only (issue 13): refused unless the page was opened with ?debug=1. */
  debugFault: { args: { fault: DebugFault }; result: null };
};

/** The faults a test can inject (worker/handlers/debugFault.ts). */
export type DebugFault = 'crash' | 'device-lost';
export type RequestKind = keyof Requests;

export type ToWorker = {
  [K in RequestKind]: { type: 'request'; requestId: number; kind: K; args: Requests[K]['args'] };
}[RequestKind];

/** Streamed while a request runs. */
export type WorkerEvent =
  | { type: 'modelProgress'; file: string; loadedBytes: number; totalBytes: number; cached: boolean }
  /** The hub answered 429: the worker waits secondsLeft before retry `attempt` of maxRetries (0 = retrying now). */
  | { type: 'hubWait'; secondsLeft: number; attempt: number; maxRetries: number }
  | { type: 'trainStarted'; totalSteps: number; backend: BackendName; trainExamples: number; runId: string | null }
  | { type: 'trainPoint'; point: TrainPoint; progress: TrainProgress }
  | { type: 'evalPoint'; point: EvalPoint }
  | { type: 'status'; message: string }
  | { type: 'trainPlan'; plan: RunPlan }
  | { type: 'evalDetail'; step: number; perClass: ClassReport[]; confusion: number[][]; labels: string[] }
  | { type: 'diagnostic'; diagnostic: DiagnosticInfo }
  | { type: 'paused'; step: number; reason: PauseReason; message?: string }
  /** A resumed run's stored points up to its checkpoint, sent before its new points. */
  | { type: 'runHistory'; runId: string; trainPoints: TrainPoint[]; evalPoints: EvalPoint[] }
  | { type: 'rollback'; fromStep: number; toStep: number }
  | { type: 'resumed'; step: number; learningRate: number }
  | { type: 'probeInfo'; kind: 'perplexity' | 'pseudo-perplexity' | 'embedding-drift'; description: string; base: number }
  | { type: 'fewShot'; k: number; accuracy: number; macroF1: number }
  | { type: 'baselines'; classical: BaselineView | null; majority: BaselineView }
  | { type: 'searchTrial'; trial: SearchTrialInfo; total: number }
  | { type: 'parseProgress'; loadedBytes: number; totalBytes: number; rows: number }
  | { type: 'genText'; streamId: number; text: string; tokens: number };

export type FromWorker =
  | { type: 'ready'; protocolVersion: number }
  /** The worker holds Web Lock `lock` while it lives: the page learns of its death by being granted it. */
  | { type: 'alive'; lock: string }
  | { type: 'result'; requestId: number; result: unknown }
  | { type: 'failure'; requestId: number; error: UserError }
  /** requestId: the request whose job posted the event (null for none), so a page can tell two jobs apart. */
  | { type: 'event'; event: WorkerEvent; requestId: number | null };
