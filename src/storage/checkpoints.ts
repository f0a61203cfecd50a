// Checkpoint repository: write meta + blob and prune to the retention policy in ONE transaction (a crash or
// quota error leaves the old set intact), list metadata cheaply, read one back, delete one.
import { err, type Result } from '../lib/result';
import { approxJsonBytes, formatBytes } from './bytes';
import { deleteCheckpointInTx } from './cascade';
import { tx, type StudioStore } from './db';
import { captureWrite, notFound, quotaError, StorageErrorThrow, type StorageError } from './errors';
import type { CheckpointBlob, CheckpointKind, CheckpointMeta, CheckpointMetric, JsonValue } from './records';
import { restoreAll, restoreCheckpointBlob, restoreCheckpointMeta } from './restore';
import { checkpointsToPrune, DEFAULT_RETENTION, type RetentionPolicy } from './retention';
import { ALL_STORES, INDEXES, STORES } from './schema';
import { checkpointUsageByRun } from './usage';

export type NewCheckpoint = {
  runId: string;
  step: number;
  kind: CheckpointKind;
  createdAt: number;
  metric: CheckpointMetric | null;
  adapter: Uint8Array;
  optimizer: Uint8Array;
  dataOrder: JsonValue;
  rngState: JsonValue;
};

export type CheckpointWrite = { meta: CheckpointMeta; pruned: string[]; bytesFreed: number };

export type Checkpoint = { meta: CheckpointMeta; blob: CheckpointBlob };

export async function writeCheckpoint(
  store: StudioStore,
  input: NewCheckpoint,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<Result<CheckpointWrite, StorageError>> {
  const { adapter, optimizer, dataOrder, rngState, ...fields } = input;
  const id = store.newId();
  const sizeBytes = adapter.byteLength + optimizer.byteLength + approxJsonBytes({ dataOrder, rngState });
  const meta: CheckpointMeta = { ...fields, id, sizeBytes };
  const blob: CheckpointBlob = { checkpointId: id, adapter, optimizer, dataOrder, rngState };
  const what = `the checkpoint at step ${input.step}`;
  const result = await captureWrite({ what, bytesNeeded: sizeBytes }, () =>
    tx(store.db, ALL_STORES, 'readwrite', async (t) => {
      if (!(await t.objectStore(STORES.runs).getKey(input.runId))) throw new StorageErrorThrow(notFound('The run'));
      await t.objectStore(STORES.checkpoints).add(meta);
      await t.objectStore(STORES.checkpointBlobs).add(blob);
      const all = restoreAll(await t.objectStore(STORES.checkpoints).index(INDEXES.checkpointsByRunId).getAll(input.runId), restoreCheckpointMeta);
      const pruned = checkpointsToPrune(all, policy);
      let bytesFreed = 0;
      for (const prunedId of pruned) bytesFreed += await deleteCheckpointInTx(t, prunedId);
      return { meta, pruned, bytesFreed };
    }),
  );
  if (result.ok || result.error.code !== 'quota') return result;
  return err(quotaError({ what, bytesNeeded: sizeBytes, hint: await otherRunsHint(store, input.runId) }));
}

/** "Checkpoints of 3 other runs take 240 MB." — what the user could delete to make room. */
async function otherRunsHint(store: StudioStore, runId: string): Promise<string | undefined> {
  try {
    const others = (await checkpointUsageByRun(store)).filter((u) => u.runId !== runId && u.bytes > 0);
    if (others.length === 0) return undefined;
    const total = others.reduce((sum, u) => sum + u.bytes, 0);
    const runs = others.length === 1 ? '1 other run' : `${others.length} other runs`;
    return `Checkpoints of ${runs} take ${formatBytes(total)}.`;
  } catch {
    return undefined;
  }
}

/** Metadata only, by step ascending. */
export async function listCheckpoints(store: StudioStore, runId: string): Promise<CheckpointMeta[]> {
  const raw = await tx(store.db, [STORES.checkpoints], 'readonly', (t) => t.objectStore(STORES.checkpoints).index(INDEXES.checkpointsByRunId).getAll(runId));
  return restoreAll(raw, restoreCheckpointMeta).sort((a, b) => a.step - b.step || a.createdAt - b.createdAt);
}

/** The checkpoint to resume from: the one with the highest step. */
export async function latestCheckpoint(store: StudioStore, runId: string): Promise<CheckpointMeta | null> {
  return (await listCheckpoints(store, runId)).at(-1) ?? null;
}

export async function readCheckpoint(store: StudioStore, id: string): Promise<Checkpoint | null> {
  return tx(store.db, [STORES.checkpoints, STORES.checkpointBlobs], 'readonly', async (t) => {
    const meta = restoreCheckpointMeta(await t.objectStore(STORES.checkpoints).get(id));
    const blob = restoreCheckpointBlob(await t.objectStore(STORES.checkpointBlobs).get(id));
    return meta && blob ? { meta, blob } : null;
  });
}

export async function deleteCheckpoint(store: StudioStore, id: string): Promise<Result<number, StorageError>> {
  return captureWrite({ what: 'the deletion' }, () =>
    tx(store.db, ALL_STORES, 'readwrite', async (t) => {
      if (!(await t.objectStore(STORES.checkpoints).getKey(id))) throw new StorageErrorThrow(notFound('The checkpoint'));
      return deleteCheckpointInTx(t, id);
    }),
  );
}
