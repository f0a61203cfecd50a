// Space held per run (checkpoints and metric chunks), from metadata only, for the Runs view and for
// quota messages that say what to delete.
import { tx, type StudioStore } from './db';
import { restoreAll, restoreCheckpointMeta } from './restore';
import { STORES } from './schema';

export type RunUsage = { runId: string; checkpointCount: number; bytes: number };

/** Largest first. Reads checkpoint metadata only, never blobs. */
export async function checkpointUsageByRun(store: StudioStore): Promise<RunUsage[]> {
  const metas = restoreAll(await tx(store.db, [STORES.checkpoints], 'readonly', (t) => t.objectStore(STORES.checkpoints).getAll()), restoreCheckpointMeta);
  const byRun = new Map<string, RunUsage>();
  for (const m of metas) {
    const u = byRun.get(m.runId) ?? { runId: m.runId, checkpointCount: 0, bytes: 0 };
    u.checkpointCount++;
    u.bytes += m.sizeBytes;
    byRun.set(m.runId, u);
  }
  return [...byRun.values()].sort((a, b) => b.bytes - a.bytes);
}
