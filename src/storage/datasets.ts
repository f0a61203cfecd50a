// Dataset repository: save a parsed dataset once (meta + rows blob), list, read rows back, delete with
// its runs and checkpoints. Hash the file with sha256Hex before calling saveDataset.
import type { Result } from '../lib/result';
import { decodeJson, encodeJson } from './bytes';
import { deleteRunInTx, emptyReport, type DeleteReport } from './cascade';
import { tx, type StudioStore } from './db';
import { captureWrite, notFound, StorageErrorThrow, type StorageError } from './errors';
import type { DatasetMeta, SplitAssignment } from './records';
import { restoreAll, restoreDatasetMeta, restoreDatasetRows } from './restore';
import { ALL_STORES, INDEXES, STORES } from './schema';

export type NewDataset = Omit<DatasetMeta, 'id' | 'storedBytes'> & {
  rows: readonly (readonly string[])[];
  splitAssignment: SplitAssignment | null;
};

export type DatasetContent = { rows: string[][]; split: SplitAssignment | null };

export async function saveDataset(store: StudioStore, input: NewDataset): Promise<Result<DatasetMeta, StorageError>> {
  const { rows, splitAssignment, ...fields } = input;
  const rowBytes = encodeJson(rows);
  const meta: DatasetMeta = { ...fields, id: store.newId(), storedBytes: rowBytes.byteLength };
  return captureWrite({ what: `the dataset "${input.name}"`, bytesNeeded: rowBytes.byteLength }, () =>
    tx(store.db, [STORES.datasets, STORES.datasetRows], 'readwrite', async (t) => {
      await t.objectStore(STORES.datasets).put(meta);
      await t.objectStore(STORES.datasetRows).put({ datasetId: meta.id, rows: rowBytes, split: splitAssignment });
      return meta;
    }),
  );
}

/** Newest first. Reads metadata only, never the rows. */
export async function listDatasets(store: StudioStore): Promise<DatasetMeta[]> {
  const raw = await tx(store.db, [STORES.datasets], 'readonly', (t) => t.objectStore(STORES.datasets).getAll());
  return restoreAll(raw, restoreDatasetMeta).sort((a, b) => b.createdAt - a.createdAt);
}

export async function getDataset(store: StudioStore, id: string): Promise<DatasetMeta | null> {
  return restoreDatasetMeta(await tx(store.db, [STORES.datasets], 'readonly', (t) => t.objectStore(STORES.datasets).get(id)));
}

/** The dataset saved from the same file bytes, if any: a file dropped again is not parsed twice. */
export async function findDatasetByHash(store: StudioStore, contentHash: string): Promise<DatasetMeta | null> {
  const raw = await tx(store.db, [STORES.datasets], 'readonly', (t) => t.objectStore(STORES.datasets).index(INDEXES.datasetsByContentHash).get(contentHash));
  return restoreDatasetMeta(raw);
}

export async function getDatasetRows(store: StudioStore, id: string): Promise<DatasetContent | null> {
  const record = restoreDatasetRows(await tx(store.db, [STORES.datasetRows], 'readonly', (t) => t.objectStore(STORES.datasetRows).get(id)));
  if (!record) return null;
  let rows: unknown;
  try {
    rows = decodeJson(record.rows);
  } catch {
    return null; // damaged bytes: the caller says the dataset cannot be read, nothing throws
  }
  if (!Array.isArray(rows)) return null;
  const cellText = (cell: unknown) => (typeof cell === 'string' ? cell : String(cell ?? ''));
  // A split pointing past the rows (damaged or hand-edited) is dropped, so the dataset still opens.
  const inside = (list: number[]) => list.every((i) => i < rows.length);
  const split = record.split && inside(record.split.train) && inside(record.split.validation) ? record.split : null;
  return { rows: rows.map((row) => (Array.isArray(row) ? row.map(cellText) : [])), split };
}

/** Deletes the dataset, its rows, and every run trained on it with their metrics and checkpoints. */
export async function deleteDataset(store: StudioStore, id: string): Promise<Result<DeleteReport, StorageError>> {
  return captureWrite({ what: 'the deletion' }, () =>
    tx(store.db, ALL_STORES, 'readwrite', async (t) => {
      const meta = restoreDatasetMeta(await t.objectStore(STORES.datasets).get(id));
      if (!meta) throw new StorageErrorThrow(notFound('The dataset'));
      const report = emptyReport();
      const runIds = await t.objectStore(STORES.runs).index(INDEXES.runsByDatasetId).getAllKeys(id);
      for (const runId of runIds) await deleteRunInTx(t, runId, report);
      await t.objectStore(STORES.datasetRows).delete(id);
      await t.objectStore(STORES.datasets).delete(id);
      report.bytesFreed += meta.storedBytes;
      return report;
    }),
  );
}

export type DatasetPatch = {
  columns?: DatasetMeta['columns'];
  report?: DatasetMeta['report'];
  /** The split's parameters and its row indices, written together (null clears both). */
  split?: { info: DatasetMeta['split']; assignment: SplitAssignment | null };
};

/** Changes the column mapping, report or split of a stored dataset in one transaction; rows stay as they are. */
export async function updateDataset(store: StudioStore, id: string, patch: DatasetPatch): Promise<Result<DatasetMeta, StorageError>> {
  return captureWrite({ what: 'the dataset update' }, () =>
    tx(store.db, [STORES.datasets, STORES.datasetRows], 'readwrite', async (t) => {
      const meta = restoreDatasetMeta(await t.objectStore(STORES.datasets).get(id));
      if (!meta) throw new StorageErrorThrow(notFound('The dataset'));
      const next: DatasetMeta = {
        ...meta,
        ...(patch.columns ? { columns: patch.columns } : {}),
        ...(patch.report !== undefined ? { report: patch.report } : {}),
        ...(patch.split ? { split: patch.split.info } : {}),
      };
      await t.objectStore(STORES.datasets).put(next);
      if (patch.split) {
        const rows = restoreDatasetRows(await t.objectStore(STORES.datasetRows).get(id));
        if (rows) await t.objectStore(STORES.datasetRows).put({ ...rows, split: patch.split.assignment });
      }
      return next;
    }),
  );
}
