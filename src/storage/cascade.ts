// Deletes inside an open all-stores transaction: a run with its metric chunks and checkpoints, reporting
// the bytes freed. Shared by deleteRun, deleteDataset and deleteCheckpoint so the three agree on sizes.
import type { StudioTx } from './db';
import { restoreAll, restoreCheckpointMeta, restoreMetricChunk } from './restore';
import { type ALL_STORES, INDEXES, STORES } from './schema';

export type AllStoresTx = StudioTx<typeof ALL_STORES, 'readwrite'>;

export type DeleteReport = { bytesFreed: number; runIds: string[]; checkpointIds: string[] };

export const emptyReport = (): DeleteReport => ({ bytesFreed: 0, runIds: [], checkpointIds: [] });

export function metricRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

export async function deleteCheckpointInTx(t: AllStoresTx, checkpointId: string): Promise<number> {
  const meta = restoreCheckpointMeta(await t.objectStore(STORES.checkpoints).get(checkpointId));
  await t.objectStore(STORES.checkpoints).delete(checkpointId);
  await t.objectStore(STORES.checkpointBlobs).delete(checkpointId);
  return meta?.sizeBytes ?? 0;
}

export async function deleteRunInTx(t: AllStoresTx, runId: string, report: DeleteReport): Promise<void> {
  const checkpoints = restoreAll(await t.objectStore(STORES.checkpoints).index(INDEXES.checkpointsByRunId).getAll(runId), restoreCheckpointMeta);
  for (const c of checkpoints) {
    report.bytesFreed += await deleteCheckpointInTx(t, c.id);
    report.checkpointIds.push(c.id);
  }
  const metrics = t.objectStore(STORES.metrics);
  const chunks = restoreAll(await metrics.getAll(metricRange(runId)), restoreMetricChunk);
  report.bytesFreed += chunks.reduce((sum, c) => sum + c.approxBytes, 0);
  await metrics.delete(metricRange(runId));
  await t.objectStore(STORES.runs).delete(runId);
  report.runIds.push(runId);
}
