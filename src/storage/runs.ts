// Run repository: create, read, list, change status (with timing), record diagnostics, delete, and mark
// runs left "running" by a crash or reload as interrupted at startup. Times are passed in.
import type { Result } from '../lib/result';
import { deleteRunInTx, emptyReport, type DeleteReport } from './cascade';
import { tx, type StudioStore } from './db';
import { captureWrite, notFound, StorageErrorThrow, type StorageError } from './errors';
import type { JsonValue, RunConfig, RunRecord, RunStatus } from './records';
import { restoreAll, restoreRun } from './restore';
import { canChangeStatus, isFinalStatus } from './runStatus';
import { ALL_STORES, INDEXES, STORES } from './schema';

export type NewRun = { datasetId: string; name: string; config: RunConfig; createdAt: number };

export type StatusChange = {
  at: number;
  /** Shown with the status, e.g. the quota message for a run paused by a full disk; null clears it. */
  message?: string | null;
  /** Training time since the last update, added to timing.activeMs. */
  activeMsDelta?: number;
  /** The backend the run continues on, when a resume moved it (e.g. to WASM after a lost GPU device). */
  backend?: string;
};

export async function createRun(store: StudioStore, input: NewRun): Promise<Result<RunRecord, StorageError>> {
  const run: RunRecord = {
    id: store.newId(),
    datasetId: input.datasetId,
    name: input.name,
    config: input.config,
    status: 'running',
    statusMessage: null,
    diagnostics: [],
    timing: { createdAt: input.createdAt, updatedAt: input.createdAt, finishedAt: null, activeMs: 0 },
  };
  return captureWrite({ what: 'the new run' }, () =>
    tx(store.db, [STORES.datasets, STORES.runs], 'readwrite', async (t) => {
      if (!(await t.objectStore(STORES.datasets).getKey(input.datasetId))) {
        throw new StorageErrorThrow(notFound("The run's dataset"));
      }
      await t.objectStore(STORES.runs).add(run);
      return run;
    }),
  );
}

export async function getRun(store: StudioStore, id: string): Promise<RunRecord | null> {
  return restoreRun(await tx(store.db, [STORES.runs], 'readonly', (t) => t.objectStore(STORES.runs).get(id)));
}

/** Newest first; only one dataset's runs when `datasetId` is given. */
export async function listRuns(store: StudioStore, filter: { datasetId?: string } = {}): Promise<RunRecord[]> {
  const raw = await tx(store.db, [STORES.runs], 'readonly', (t) => {
    const runs = t.objectStore(STORES.runs);
    return filter.datasetId === undefined ? runs.getAll() : runs.index(INDEXES.runsByDatasetId).getAll(filter.datasetId);
  });
  return restoreAll(raw, restoreRun).sort((a, b) => b.timing.createdAt - a.timing.createdAt);
}

/** Read-modify-write of one run record in one transaction. */
async function updateRun(store: StudioStore, id: string, what: string, change: (run: RunRecord) => RunRecord): Promise<Result<RunRecord, StorageError>> {
  return captureWrite({ what }, () =>
    tx(store.db, [STORES.runs], 'readwrite', async (t) => {
      const run = restoreRun(await t.objectStore(STORES.runs).get(id));
      if (!run) throw new StorageErrorThrow(notFound('The run'));
      const next = change(run);
      await t.objectStore(STORES.runs).put(next);
      return next;
    }),
  );
}

export async function updateRunStatus(store: StudioStore, id: string, status: RunStatus, change: StatusChange): Promise<Result<RunRecord, StorageError>> {
  return updateRun(store, id, "the run's status", (run) => {
    if (!canChangeStatus(run.status, status)) {
      throw new StorageErrorThrow({
        code: 'invalid-status',
        message: `A ${run.status} run cannot become ${status}.`,
      });
    }
    return {
      ...run,
      status,
      ...(change.backend ? { config: { ...run.config, backend: change.backend } } : {}),
      statusMessage: change.message === undefined ? run.statusMessage : change.message,
      timing: {
        ...run.timing,
        updatedAt: change.at,
        finishedAt: isFinalStatus(status) ? change.at : null,
        activeMs: run.timing.activeMs + Math.max(0, change.activeMsDelta ?? 0),
      },
    };
  });
}

export async function addRunDiagnostics(
  store: StudioStore,
  id: string,
  diagnostics: readonly JsonValue[],
  at: number,
): Promise<Result<RunRecord, StorageError>> {
  return updateRun(store, id, "the run's diagnostics", (run) => ({
    ...run,
    diagnostics: [...run.diagnostics, ...diagnostics],
    timing: { ...run.timing, updatedAt: at },
  }));
}

/**
 * At worker startup: no run can be training yet, so any run still marked running was cut off by a reload or
 * crash. Marks them interrupted (Resume is offered) and returns their ids.
 */
export async function markInterruptedRuns(store: StudioStore, at: number): Promise<Result<string[], StorageError>> {
  return captureWrite({ what: 'the interrupted runs' }, () =>
    tx(store.db, [STORES.runs], 'readwrite', async (t) => {
      const runs = t.objectStore(STORES.runs);
      const stale = restoreAll(await runs.index(INDEXES.runsByStatus).getAll('running'), restoreRun);
      for (const run of stale) {
        await runs.put({
          ...run,
          status: 'interrupted',
          statusMessage: 'Training stopped when the page was closed or reloaded.',
          timing: { ...run.timing, updatedAt: at },
        });
      }
      return stale.map((r) => r.id);
    }),
  );
}

/** Deletes the run with its metrics and checkpoints; reports the bytes freed. */
export async function deleteRun(store: StudioStore, id: string): Promise<Result<DeleteReport, StorageError>> {
  return captureWrite({ what: 'the deletion' }, () =>
    tx(store.db, ALL_STORES, 'readwrite', async (t) => {
      if (!(await t.objectStore(STORES.runs).getKey(id))) throw new StorageErrorThrow(notFound('The run'));
      const report = emptyReport();
      await deleteRunInTx(t, id, report);
      return report;
    }),
  );
}
