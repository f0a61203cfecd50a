// Export a whole project (dataset, its runs, metrics and checkpoints) as one zip file, and import one back
// in a single transaction, giving records new ids where they collide with what is already stored.
import { zipSync, type Zippable } from 'fflate';
import { boundedUnzip, DEFAULT_UNZIP_LIMITS, type UnzipLimits } from '../lib/boundedUnzip';
import { err, ok, type Result } from '../lib/result';
import { approxJsonBytes, decodeJson, encodeJson } from './bytes';
import { ARCHIVE_FORMAT, ARCHIVE_SCHEMA_VERSION, ENTRY, invalidArchive, parseManifest, type ProjectManifest } from './archiveFormat';
import { metricRange } from './cascade';
import { tx, type StudioStore } from './db';
import { captureWrite, notFound, type StorageError } from './errors';
import { decodeEntries, type CheckpointBlobCheck, type CheckpointState } from './archiveEntries';
import type { CheckpointBlob, CheckpointMeta, MetricPoint, RunRecord } from './records';
import { restoreAll, restoreCheckpointBlob, restoreCheckpointMeta, restoreDatasetMeta, restoreDatasetRows, restoreMetricChunk, restoreRun } from './restore';
import { ALL_STORES, INDEXES, STORES } from './schema';

const STORED = { level: 0 } as const;

/** The project file's bytes (zip). `exportedAt` is passed in; blobs are stored uncompressed. */
export async function exportProject(store: StudioStore, datasetId: string, exportedAt: number): Promise<Result<Uint8Array, StorageError>> {
  const snapshot = await tx(store.db, ALL_STORES, 'readonly', async (t) => {
    const dataset = restoreDatasetMeta(await t.objectStore(STORES.datasets).get(datasetId));
    const rows = restoreDatasetRows(await t.objectStore(STORES.datasetRows).get(datasetId));
    if (!dataset || !rows) return null;
    const runs = restoreAll(await t.objectStore(STORES.runs).index(INDEXES.runsByDatasetId).getAll(datasetId), restoreRun);
    const metrics = new Map<string, MetricPoint[]>();
    const checkpoints: { meta: CheckpointMeta; blob: CheckpointBlob }[] = [];
    for (const run of runs) {
      const chunks = restoreAll(await t.objectStore(STORES.metrics).getAll(metricRange(run.id)), restoreMetricChunk);
      metrics.set(
        run.id,
        chunks.flatMap((c) => c.points),
      );
      const metas = restoreAll(await t.objectStore(STORES.checkpoints).index(INDEXES.checkpointsByRunId).getAll(run.id), restoreCheckpointMeta);
      for (const meta of metas) {
        const blob = restoreCheckpointBlob(await t.objectStore(STORES.checkpointBlobs).get(meta.id));
        if (blob) checkpoints.push({ meta, blob });
      }
    }
    return { dataset, rows, runs, metrics, checkpoints };
  });
  if (!snapshot) return err(notFound('The dataset'));

  const manifest: ProjectManifest = {
    format: ARCHIVE_FORMAT,
    schemaVersion: ARCHIVE_SCHEMA_VERSION,
    exportedAt,
    dataset: snapshot.dataset,
    runs: snapshot.runs,
    checkpoints: snapshot.checkpoints.map((c) => c.meta),
  };
  const files: Zippable = {
    [ENTRY.manifest]: encodeJson(manifest),
    [ENTRY.datasetRows]: snapshot.rows.rows,
    [ENTRY.datasetSplit]: encodeJson(snapshot.rows.split),
  };
  for (const [runId, points] of snapshot.metrics) files[ENTRY.metrics(runId)] = encodeJson(points);
  for (const { meta, blob } of snapshot.checkpoints) {
    files[ENTRY.adapter(meta.id)] = [blob.adapter, STORED];
    files[ENTRY.optimizer(meta.id)] = [blob.optimizer, STORED];
    files[ENTRY.checkpointState(meta.id)] = encodeJson({ dataOrder: blob.dataOrder, rngState: blob.rngState });
  }
  return ok(zipSync(files));
}

export type ImportReport = {
  datasetId: string;
  runIds: string[];
  checkpointIds: string[];
  /** How many records got a new id because theirs was already taken. */
  renamed: number;
};

export type ImportOptions = {
  /** Parses each checkpoint's adapter and optimizer bytes (the worker's codec); without it blobs are taken as they are. */
  checkBlob?: CheckpointBlobCheck;
  limits?: UnzipLimits;
};

/** Validates the file (bounded unzip, names, ids, every record and blob), then writes everything in one
 *  transaction: all of the project or none of it. */
export async function importProject(store: StudioStore, file: Uint8Array, options: ImportOptions = {}): Promise<Result<ImportReport, StorageError>> {
  const unzipped = boundedUnzip(file, options.limits ?? DEFAULT_UNZIP_LIMITS);
  if (!unzipped.ok) return err(invalidArchive(unzipped.error));
  const entries = unzipped.value;
  let manifestRaw: unknown;
  try {
    manifestRaw = decodeJson(entries[ENTRY.manifest] ?? new Uint8Array());
  } catch {
    return err(invalidArchive('it is not a zip with a readable manifest.json'));
  }
  const parsed = parseManifest(manifestRaw, new Set(Object.keys(entries)));
  if (!parsed.ok) return parsed;
  const manifest = parsed.value;
  const decoded = decodeEntries(manifest, entries, options.checkBlob);
  if (!decoded.ok) return decoded;
  const { metrics, states, split } = decoded.value;

  const totalBytes = Object.values(entries).reduce((sum, e) => sum + e.byteLength, 0);
  return captureWrite({ what: 'the imported project', bytesNeeded: totalBytes }, () =>
    tx(store.db, ALL_STORES, 'readwrite', async (t) => {
      let renamed = 0;
      const freshId = async (id: string, taken: () => Promise<unknown>) => {
        if ((await taken()) === undefined) return id;
        renamed++;
        return store.newId();
      };
      const datasetId = await freshId(manifest.dataset.id, () => t.objectStore(STORES.datasets).getKey(manifest.dataset.id));
      const rows = entries[ENTRY.datasetRows];
      await t.objectStore(STORES.datasets).add({ ...manifest.dataset, id: datasetId, storedBytes: rows.byteLength });
      await t.objectStore(STORES.datasetRows).add({ datasetId, rows, split });

      const runIdMap = new Map<string, string>();
      for (const run of manifest.runs) {
        const id = await freshId(run.id, () => t.objectStore(STORES.runs).getKey(run.id));
        runIdMap.set(run.id, id);
        await t.objectStore(STORES.runs).add(importedRun(run, id, datasetId));
        const points = metrics.get(run.id) ?? [];
        if (points.length > 0) {
          await t.objectStore(STORES.metrics).add({ runId: id, seq: 0, points, approxBytes: approxJsonBytes(points) });
        }
      }
      const checkpointIds: string[] = [];
      for (const meta of manifest.checkpoints) {
        const id = await freshId(meta.id, () => t.objectStore(STORES.checkpoints).getKey(meta.id));
        const adapter = entries[ENTRY.adapter(meta.id)];
        const optimizer = entries[ENTRY.optimizer(meta.id)];
        const state: CheckpointState = states.get(meta.id) ?? { dataOrder: null, rngState: null };
        const runId = runIdMap.get(meta.runId) as string;
        await t.objectStore(STORES.checkpoints).add({ ...meta, id, runId });
        await t.objectStore(STORES.checkpointBlobs).add({ checkpointId: id, adapter, optimizer, ...state });
        checkpointIds.push(id);
      }
      return { datasetId, runIds: [...runIdMap.values()], checkpointIds, renamed };
    }),
  );
}

/** A run imported while it was training cannot be training here: it comes in as interrupted. */
function importedRun(run: RunRecord, id: string, datasetId: string): RunRecord {
  return run.status === 'running' ? { ...run, id, datasetId, status: 'interrupted' } : { ...run, id, datasetId };
}
