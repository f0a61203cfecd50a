// Keeps the session's dataset in IndexedDB: saved once per file content (SHA-256), its column mapping,
// quality report and split updated as the user changes them, cleaned copies saved as their own records,
// and reopened after a reload.
import { findDatasetByHash, getDataset, getDatasetRows, saveDataset, sha256Hex, updateDataset, type JsonValue } from '../storage';
import type { CsvTable } from '../data/csv';
import type { StudioSession } from './session';
import { getStudioStore } from './storageHandle';
import { StudioError } from './userError';
import type { SplitArgs } from '../protocol/messages';
import type { AuditState } from './auditState';
import { computeQuality } from './qualityReport';

/** What the stored report keeps of the parse, so a reopened dataset shows the same findings. */
type StoredParse = { delimiter: CsvTable['delimiter']; errors: CsvTable['errors']; rowNumbers: number[] };

/** Saves a newly parsed table (or finds the identical file saved before); returns a warning if it cannot. */
export async function persistNewTable(session: StudioSession, bytes: Uint8Array): Promise<{ warning: string | null }> {
  const store = await getStudioStore();
  const loaded = session.table;
  if (!store || !loaded) return { warning: 'This browser offers no IndexedDB here (private window?), so the dataset is not saved and a reload loses it.' };
  const contentHash = await sha256Hex(bytes);
  const existing = await findDatasetByHash(store, contentHash);
  if (existing) {
    loaded.datasetId = existing.id;
    const { textColumn, labelColumn } = existing.columns;
    if (Math.max(textColumn, labelColumn) < loaded.table.header.length && textColumn !== labelColumn) {
      session.chooseColumns({ textColumn, labelColumn });
    }
    return { warning: null };
  }
  const parse: StoredParse = { delimiter: loaded.table.delimiter, errors: loaded.table.errors, rowNumbers: loaded.table.rowNumbers };
  const saved = await saveDataset(store, {
    name: loaded.fileName,
    sizeBytes: loaded.sizeBytes,
    createdAt: Date.now(),
    contentHash,
    rowCount: loaded.table.rows.length,
    header: loaded.table.header,
    columns: { textColumn: session.textColumn, labelColumn: session.labelColumn },
    report: { parse } as unknown as JsonValue,
    split: null,
    rows: loaded.table.rows,
    splitAssignment: null,
  });
  if (!saved.ok) return { warning: `The dataset is loaded but not saved: ${saved.error.message}` };
  loaded.datasetId = saved.value.id;
  return { warning: null };
}

/** A cleaned table (fixes applied) becomes its own dataset record; the original record is kept. */
export async function persistCleanedTable(session: StudioSession, csvText: string): Promise<{ warning: string | null }> {
  const bytes = new TextEncoder().encode(csvText);
  if (session.table) session.table.sizeBytes = bytes.byteLength;
  return persistNewTable(session, bytes);
}

/** Stores the quality report (the page's view of it, lists capped) and the split settings with the dataset. */
export async function persistReport(session: StudioSession): Promise<void> {
  const store = await getStudioStore();
  const loaded = session.table;
  const id = loaded?.datasetId;
  if (!store || !loaded || !id) return;
  const parse: StoredParse = { delimiter: loaded.table.delimiter, errors: loaded.table.errors, rowNumbers: loaded.table.rowNumbers };
  const report = { parse, quality: session.audit?.view ?? null, splitArgs: session.audit?.splitArgs ?? null };
  await updateDataset(store, id, { report: JSON.parse(JSON.stringify(report)) as JsonValue });
}

export async function persistColumns(session: StudioSession): Promise<void> {
  const store = await getStudioStore();
  const id = session.table?.datasetId;
  if (!store || !id) return;
  await updateDataset(store, id, { columns: { textColumn: session.textColumn, labelColumn: session.labelColumn } });
}

export async function persistSplit(session: StudioSession, args: SplitArgs): Promise<void> {
  const store = await getStudioStore();
  const id = session.table?.datasetId;
  if (!store || !id || !session.split) return;
  const { train, validation } = session.split;
  await updateDataset(store, id, {
    split: {
      info: { seed: args.seed, validationFraction: args.validationFraction, trainCount: train.length, validationCount: validation.length },
      assignment: { train, validation },
    },
  });
  await persistReport(session);
}

/** Reopens a stored dataset into the session, as if its file had just been dropped. */
export async function restoreTable(session: StudioSession, datasetId: string): Promise<{ seed: number; validationFraction: number } | null> {
  const store = await getStudioStore();
  if (!store) throw new StudioError('no-storage', 'Saved datasets are unavailable: this browser offers no IndexedDB here.');
  const meta = await getDataset(store, datasetId);
  const content = meta && (await getDatasetRows(store, datasetId));
  if (!meta || !content) throw new StudioError('not-found', 'That dataset is no longer stored; drop the file again.');
  const parse = (meta.report as { parse?: StoredParse } | null)?.parse;
  const table = {
    fileName: meta.name,
    sizeBytes: meta.sizeBytes,
    datasetId,
    table: {
      header: meta.header,
      rows: content.rows,
      rowNumbers: parse?.rowNumbers ?? content.rows.map((_, i) => i + 1),
      delimiter: parse?.delimiter ?? ',',
      errors: parse?.errors ?? [],
    },
  };
  session.replaceTable(table, meta.columns, content.split);
  const stored = meta.report as { splitArgs?: SplitArgs | null; quality?: { lengths?: { maxSeqLength: number } } | null } | null;
  computeQuality(session, { maxSeqLength: stored?.quality?.lengths?.maxSeqLength ?? 128 });
  if (session.audit && stored?.splitArgs) (session.audit as AuditState).splitArgs = stored.splitArgs;
  return meta.split ? { seed: meta.split.seed, validationFraction: meta.split.validationFraction } : null;
}
