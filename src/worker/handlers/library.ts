// listDatasets / openDataset / deleteDataset / storageInfo: what IndexedDB holds and how much room is left.
import type { DatasetSummary, SplitSummary, StorageInfo, StoredDatasetInfo } from '../../protocol/messages';
import { deleteDataset, listDatasets, requestPersistence, storageHealth, type StorageManagerLike } from '../../storage';
import type { HandlerContext } from '../handlerContext';
import { getStudioStore } from '../storageHandle';
import { StudioError } from '../userError';
import { describeSplit, summarize } from '../tableSummary';
import { restoreTable } from '../datasetStore';

export async function handleListDatasets(_args: Record<string, never>): Promise<StoredDatasetInfo[]> {
  const store = await getStudioStore();
  if (!store) return [];
  return (await listDatasets(store)).map(({ id, name, sizeBytes, storedBytes, createdAt, rowCount }) => ({
    id,
    name,
    sizeBytes,
    storedBytes,
    createdAt,
    rowCount,
  }));
}

export async function handleOpenDataset(args: { datasetId: string }, ctx: HandlerContext): Promise<{ dataset: DatasetSummary; split: SplitSummary | null }> {
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training before switching datasets.');
  const splitArgs = await restoreTable(ctx.session, args.datasetId);
  const dataset = summarize(ctx.session);
  const split = splitArgs && ctx.session.split ? describeSplit(ctx.session, splitArgs) : null;
  return { dataset, split };
}

export async function handleDeleteDataset(args: { datasetId: string }, ctx: HandlerContext): Promise<{ bytesFreed: number }> {
  const store = await getStudioStore();
  if (!store) throw new StudioError('no-storage', 'Nothing is stored: this browser offers no IndexedDB here.');
  if (ctx.session.training && ctx.session.table?.datasetId === args.datasetId) {
    throw new StudioError('busy', 'This dataset is training right now; stop the run before deleting it.');
  }
  const result = await deleteDataset(store, args.datasetId);
  if (!result.ok) throw new StudioError(result.error.code, result.error.message);
  if (ctx.session.table?.datasetId === args.datasetId) ctx.session.table.datasetId = null;
  return { bytesFreed: result.value.bytesFreed };
}

export async function handleStorageInfo(args: { requestPersistence: boolean }): Promise<StorageInfo> {
  // StorageManager.persist() exists only on the page (Window); the page asks, the worker reports.
  const manager = (globalThis.navigator as { storage?: StorageManagerLike } | undefined)?.storage;
  if (args.requestPersistence && manager?.persist) await requestPersistence(manager).catch(() => false);
  const health = await storageHealth(manager);
  return { supported: health.supported, usageBytes: health.usageBytes, quotaBytes: health.quotaBytes, persisted: health.persisted };
}
