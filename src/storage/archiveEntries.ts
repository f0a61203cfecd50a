// Decodes and checks a project archive's JSON and binary entries before anything is written: rows are a
// list of string rows matching the dataset record, the split points inside the rows, metrics restore, and
// every checkpoint blob passes the caller's parser. Pure; the first problem is returned in words.
import { err, ok, type Result } from '../lib/result';
import { ENTRY, invalidArchive, type ProjectManifest } from './archiveFormat';
import { decodeJson } from './bytes';
import type { StorageError } from './errors';
import type { CheckpointBlob, CheckpointMeta, MetricPoint, SplitAssignment } from './records';
import { restoreCheckpointState, restoreMetricPoint } from './restore';

export type CheckpointState = Pick<CheckpointBlob, 'dataOrder' | 'rngState'>;
export type DecodedEntries = {
  metrics: Map<string, MetricPoint[]>;
  states: Map<string, CheckpointState>;
  split: SplitAssignment | null;
};

/** Checks one checkpoint's bytes (adapter zip, optimizer safetensors); returns why it is unusable, or null. */
export type CheckpointBlobCheck = (blob: { adapter: Uint8Array; optimizer: Uint8Array }, meta: CheckpointMeta) => string | null;

/** Parses the JSON entries before the transaction opens (nothing but IndexedDB may run inside it). */
export function decodeEntries(
  manifest: ProjectManifest,
  entries: Record<string, Uint8Array>,
  checkBlob?: CheckpointBlobCheck,
): Result<DecodedEntries, StorageError> {
  const rows = readJson(entries, ENTRY.datasetRows);
  if (!rows.ok) return rows;
  const rowProblem = rowsProblem(rows.value, manifest);
  if (rowProblem) return err(invalidArchive(`${ENTRY.datasetRows}: ${rowProblem}`));
  const rowCount = (rows.value as unknown[]).length;

  let split: SplitAssignment | null = null;
  if (entries[ENTRY.datasetSplit]) {
    const raw = readJson(entries, ENTRY.datasetSplit);
    if (!raw.ok) return raw;
    if (raw.value !== null) {
      const checked = strictSplit(raw.value, rowCount);
      if (typeof checked === 'string') return err(invalidArchive(`${ENTRY.datasetSplit}: ${checked}`));
      split = checked;
    }
  }

  const metrics = new Map<string, MetricPoint[]>();
  for (const run of manifest.runs) {
    const raw = readJson(entries, ENTRY.metrics(run.id));
    if (!raw.ok) return raw;
    if (!Array.isArray(raw.value)) return err(invalidArchive(`${ENTRY.metrics(run.id)} is not a list of points`));
    const points: MetricPoint[] = [];
    for (const p of raw.value) {
      const point = restoreMetricPoint(p);
      if (!point) return err(invalidArchive(`${ENTRY.metrics(run.id)} has a damaged point`));
      points.push(point);
    }
    metrics.set(run.id, points);
  }

  const states = new Map<string, CheckpointState>();
  for (const meta of manifest.checkpoints) {
    const raw = readJson(entries, ENTRY.checkpointState(meta.id));
    if (!raw.ok) return raw;
    states.set(meta.id, restoreCheckpointState(raw.value));
    const blob = { adapter: entries[ENTRY.adapter(meta.id)], optimizer: entries[ENTRY.optimizer(meta.id)] };
    const problem = checkBlob?.(blob, meta);
    if (problem) return err(invalidArchive(`the checkpoint at step ${meta.step} is unusable: ${problem}`));
  }
  return ok({ metrics, states, split });
}

function readJson(entries: Record<string, Uint8Array>, name: string): Result<unknown, StorageError> {
  const bytes = entries[name];
  if (!bytes) return err(invalidArchive(`the entry ${name} is missing`));
  try {
    return ok(decodeJson(bytes));
  } catch {
    return err(invalidArchive(`${name} is not valid JSON`));
  }
}

/** Rows must be a non-empty list of lists of text, as many as the dataset record says. */
function rowsProblem(rows: unknown, manifest: ProjectManifest): string | null {
  if (!Array.isArray(rows)) return 'the rows are not a list';
  if (rows.length === 0) return 'it holds no rows';
  const { rowCount, columns } = manifest.dataset;
  if (rows.length !== rowCount) return `it holds ${rows.length} rows but the dataset record says ${rowCount}`;
  const needed = Math.max(columns.textColumn, columns.labelColumn) + 1;
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row) || !row.every((c) => typeof c === 'string')) return `row ${i + 1} is not a list of texts`;
    if (row.length < needed) return `row ${i + 1} has ${row.length} cells, fewer than the mapped columns need`;
  }
  return null;
}

/** The split's indices must be whole numbers inside the rows, each row on one side at most. */
function strictSplit(v: unknown, rowCount: number): SplitAssignment | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'the split is not an object';
  const { train, validation } = v as Record<string, unknown>;
  const seen = new Set<number>();
  for (const [side, list] of [
    ['train', train],
    ['validation', validation],
  ] as const) {
    if (!Array.isArray(list)) return `the ${side} list is missing`;
    for (const i of list) {
      if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= rowCount) {
        return `the ${side} list points at row ${String(i)}, outside the ${rowCount} rows`;
      }
      if (seen.has(i as number)) return `row ${String(i)} is listed twice`;
      seen.add(i as number);
    }
  }
  return { train: train as number[], validation: validation as number[] };
}
