// The project file format: a zip with manifest.json (format name, schema version, metadata records) and
// binary/JSON entries per dataset, run and checkpoint. Entry names and manifest validation; pure.
import { err, ok, type Result } from '../lib/result';
import type { StorageError } from './errors';
import type { CheckpointMeta, DatasetMeta, RunRecord } from './records';
import { restoreCheckpointMeta, restoreDatasetMeta, restoreRun } from './restore';

export const ARCHIVE_FORMAT = 'finetune-studio-project';
export const ARCHIVE_SCHEMA_VERSION = 1;
export const ARCHIVE_EXTENSION = '.ftproject.zip';

export type ProjectManifest = {
  format: typeof ARCHIVE_FORMAT;
  schemaVersion: number;
  exportedAt: number;
  dataset: DatasetMeta;
  runs: RunRecord[];
  checkpoints: CheckpointMeta[];
};

export const ENTRY = Object.freeze({
  manifest: 'manifest.json',
  datasetRows: 'dataset/rows.json',
  datasetSplit: 'dataset/split.json',
  metrics: (runId: string) => `runs/${runId}/metrics.json`,
  adapter: (checkpointId: string) => `checkpoints/${checkpointId}/adapter.bin`,
  optimizer: (checkpointId: string) => `checkpoints/${checkpointId}/optimizer.bin`,
  checkpointState: (checkpointId: string) => `checkpoints/${checkpointId}/state.json`,
});

/** Record ids become entry names and later export paths: nothing but a plain token may pass. */
export const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const invalidArchive = (why: string): StorageError => ({
  code: 'invalid-archive',
  message: `This file is not a studio project that can be imported: ${why}.`,
});

/** Validates the manifest and restores its records; every entry it names must be in `entries`. */
export function parseManifest(raw: unknown, entries: ReadonlySet<string>): Result<ProjectManifest, StorageError> {
  if (typeof raw !== 'object' || raw === null) return err(invalidArchive('manifest.json is not an object'));
  const m = raw as Record<string, unknown>;
  if (m.format !== ARCHIVE_FORMAT) return err(invalidArchive('manifest.json does not name the studio format'));
  if (typeof m.schemaVersion !== 'number' || !Number.isInteger(m.schemaVersion) || m.schemaVersion < 1) {
    return err(invalidArchive('manifest.json has no schema version'));
  }
  if (m.schemaVersion > ARCHIVE_SCHEMA_VERSION) {
    return err(invalidArchive(`it was made by a newer studio (format ${m.schemaVersion}); update the studio first`));
  }
  const dataset = restoreDatasetMeta(m.dataset);
  if (!dataset) return err(invalidArchive('the dataset record is missing'));
  const runs = restoreEvery(m.runs, restoreRun);
  if (!runs) return err(invalidArchive('a run record is damaged'));
  const checkpoints = restoreEvery(m.checkpoints, restoreCheckpointMeta);
  if (!checkpoints) return err(invalidArchive('a checkpoint record is damaged'));
  const badId = [dataset.id, ...runs.map((r) => r.id), ...checkpoints.map((c) => c.id)].find((id) => !SAFE_ID.test(id));
  if (badId !== undefined) return err(invalidArchive(`the id "${badId.slice(0, 40)}" is not a plain id (letters, digits, - and _ only)`));
  const runIds = new Set(runs.map((r) => r.id));
  if (runIds.size !== runs.length) return err(invalidArchive('two runs share an id'));
  if (runs.some((r) => r.datasetId !== dataset.id)) return err(invalidArchive('a run belongs to another dataset'));
  if (checkpoints.some((c) => !runIds.has(c.runId))) return err(invalidArchive('a checkpoint belongs to no run'));
  if (new Set(checkpoints.map((c) => c.id)).size !== checkpoints.length) {
    return err(invalidArchive('two checkpoints share an id'));
  }
  const needed = [
    ENTRY.datasetRows,
    ...[...runIds].map(ENTRY.metrics),
    ...checkpoints.flatMap((c) => [ENTRY.adapter(c.id), ENTRY.optimizer(c.id), ENTRY.checkpointState(c.id)]),
  ];
  const missing = needed.find((name) => !entries.has(name));
  if (missing) return err(invalidArchive(`the entry ${missing} is missing`));
  return ok({
    format: ARCHIVE_FORMAT,
    schemaVersion: m.schemaVersion,
    exportedAt: typeof m.exportedAt === 'number' ? m.exportedAt : 0,
    dataset,
    runs,
    checkpoints,
  });
}

/** Restores every item, or null when the value is not an array or any item is damaged. */
function restoreEvery<T>(values: unknown, restore: (v: unknown) => T | null): T[] | null {
  if (!Array.isArray(values)) return null;
  const out: T[] = [];
  for (const v of values) {
    const r = restore(v);
    if (r === null) return null;
    out.push(r);
  }
  return out;
}
