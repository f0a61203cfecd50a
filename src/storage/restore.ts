// restore* normalizers: every record read from IndexedDB or an archive passes through one before use,
// so old or damaged records are upgraded lazily (defaults filled in) or dropped (null). Pure.
import {
  CHECKPOINT_KINDS,
  RUN_STATUSES,
  type CheckpointBlob,
  type CheckpointMeta,
  type CheckpointMetric,
  type ColumnMapping,
  type DatasetMeta,
  type DatasetRowsRecord,
  type JsonValue,
  type MetricChunk,
  type MetricPoint,
  type RunConfig,
  type RunRecord,
  type SplitAssignment,
  type SplitInfo,
} from './records';

type Raw = Record<string, unknown>;

const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const finite = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const count = (v: unknown): number => Math.max(0, Math.floor(finite(v)));
const finiteOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const indices = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x) && x >= 0) : []);
const bytes = (v: unknown): Uint8Array | null => (v instanceof Uint8Array ? v : null);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);
const json = (v: unknown): JsonValue => (v === undefined ? null : (v as JsonValue));

function restoreColumns(v: unknown): ColumnMapping {
  const raw = isRaw(v) ? v : {};
  return { textColumn: count(raw.textColumn), labelColumn: count(raw.labelColumn) };
}

function restoreSplitInfo(v: unknown): SplitInfo | null {
  if (!isRaw(v)) return null;
  return {
    seed: finite(v.seed),
    validationFraction: finite(v.validationFraction),
    trainCount: count(v.trainCount),
    validationCount: count(v.validationCount),
  };
}

export function restoreSplitAssignment(v: unknown): SplitAssignment | null {
  if (!isRaw(v)) return null;
  return { train: indices(v.train), validation: indices(v.validation) };
}

export function restoreDatasetMeta(v: unknown): DatasetMeta | null {
  if (!isRaw(v) || typeof v.id !== 'string') return null;
  return {
    id: v.id,
    name: text(v.name, 'Untitled dataset'),
    sizeBytes: count(v.sizeBytes),
    storedBytes: count(v.storedBytes),
    createdAt: finite(v.createdAt),
    contentHash: text(v.contentHash),
    rowCount: count(v.rowCount),
    header: texts(v.header),
    columns: restoreColumns(v.columns),
    report: json(v.report),
    split: restoreSplitInfo(v.split),
  };
}

export function restoreDatasetRows(v: unknown): DatasetRowsRecord | null {
  if (!isRaw(v) || typeof v.datasetId !== 'string') return null;
  const rows = bytes(v.rows);
  if (!rows) return null;
  return { datasetId: v.datasetId, rows, split: restoreSplitAssignment(v.split) };
}

function restoreRunConfig(v: unknown): RunConfig {
  const raw = isRaw(v) ? v : {};
  return {
    modelId: text(raw.modelId),
    ...(typeof raw.modelRevision === 'string' && /^[0-9a-f]{40}$/.test(raw.modelRevision) ? { modelRevision: raw.modelRevision } : {}),
    backend: text(raw.backend),
    seed: finite(raw.seed),
    hyperparameters: isRaw(raw.hyperparameters) ? (raw.hyperparameters as RunConfig['hyperparameters']) : {},
  };
}

export function restoreRun(v: unknown): RunRecord | null {
  if (!isRaw(v) || typeof v.id !== 'string') return null;
  const timing = isRaw(v.timing) ? v.timing : {};
  const createdAt = finite(timing.createdAt);
  return {
    id: v.id,
    datasetId: text(v.datasetId),
    name: text(v.name, 'Untitled run'),
    config: restoreRunConfig(v.config),
    // An unknown status is treated as interrupted: the user can still resume or delete it.
    status: oneOf(v.status, RUN_STATUSES, 'interrupted'),
    statusMessage: typeof v.statusMessage === 'string' ? v.statusMessage : null,
    diagnostics: Array.isArray(v.diagnostics) ? v.diagnostics.map(json) : [],
    timing: {
      createdAt,
      updatedAt: finite(timing.updatedAt, createdAt),
      finishedAt: finiteOrNull(timing.finishedAt),
      activeMs: Math.max(0, finite(timing.activeMs)),
    },
  };
}

export function restoreMetricPoint(v: unknown): MetricPoint | null {
  if (!isRaw(v) || typeof v.step !== 'number' || !Number.isFinite(v.step)) return null;
  const epoch = finite(v.epoch);
  if (v.kind === 'eval') {
    return { kind: 'eval', step: v.step, epoch, valLoss: finite(v.valLoss, NaN), valAccuracy: finite(v.valAccuracy, NaN) };
  }
  if (v.kind === 'train' || v.kind === undefined) {
    return { kind: 'train', step: v.step, epoch, loss: finite(v.loss, NaN), learningRate: finite(v.learningRate) };
  }
  return null;
}

export function restoreMetricChunk(v: unknown): MetricChunk | null {
  if (!isRaw(v) || typeof v.runId !== 'string' || !Number.isInteger(v.seq)) return null;
  const points = Array.isArray(v.points) ? v.points.map(restoreMetricPoint).filter((p) => p !== null) : [];
  return { runId: v.runId, seq: v.seq as number, points, approxBytes: count(v.approxBytes) };
}

function restoreMetric(v: unknown): CheckpointMetric | null {
  if (!isRaw(v) || typeof v.value !== 'number' || !Number.isFinite(v.value)) return null;
  return { name: text(v.name, 'metric'), value: v.value, goal: oneOf(v.goal, ['min', 'max'] as const, 'min') };
}

export function restoreCheckpointMeta(v: unknown): CheckpointMeta | null {
  if (!isRaw(v) || typeof v.id !== 'string' || typeof v.runId !== 'string') return null;
  return {
    id: v.id,
    runId: v.runId,
    step: count(v.step),
    kind: oneOf(v.kind, CHECKPOINT_KINDS, 'periodic'),
    createdAt: finite(v.createdAt),
    sizeBytes: count(v.sizeBytes),
    metric: restoreMetric(v.metric),
  };
}

/** The resume state stored beside the weights: where the data order stands and the RNG state. */
export function restoreCheckpointState(v: unknown): Pick<CheckpointBlob, 'dataOrder' | 'rngState'> {
  const raw = isRaw(v) ? v : {};
  return { dataOrder: json(raw.dataOrder), rngState: json(raw.rngState) };
}

export function restoreCheckpointBlob(v: unknown): CheckpointBlob | null {
  if (!isRaw(v) || typeof v.checkpointId !== 'string') return null;
  const adapter = bytes(v.adapter);
  const optimizer = bytes(v.optimizer);
  if (!adapter || !optimizer) return null;
  return { checkpointId: v.checkpointId, adapter, optimizer, ...restoreCheckpointState(v) };
}

/** Restores each item and drops the ones that cannot be salvaged. */
export function restoreAll<T>(values: readonly unknown[], restore: (v: unknown) => T | null): T[] {
  const out: T[] = [];
  for (const v of values) {
    const r = restore(v);
    if (r !== null) out.push(r);
  }
  return out;
}
