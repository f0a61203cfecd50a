// Actions of the runs view and the dataset library: list, open, compare, delete, download, export, import.
import { getStudioBridge, WorkerRequestError } from '../bridge/workerBridge';
import type { AdapterFile, UserError } from '../protocol/messages';
import { useStudioStore as store } from './studioStore';

const MAX_COMPARED_RUNS = 4;

function fail(e: unknown): void {
  const error: UserError = e instanceof WorkerRequestError ? e.userError : { code: 'unexpected', message: String(e) };
  store.setState({ libraryError: error });
}

const kb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`);

/** Reloads stored datasets, runs and the storage estimate. */
export async function refreshLibrary(): Promise<void> {
  try {
    const bridge = getStudioBridge();
    const [storedDatasets, runs, storageInfo] = await Promise.all([
      bridge.call('listDatasets', {}),
      bridge.call('listRuns', {}),
      bridge.call('storageInfo', { requestPersistence: false }),
    ]);
    store.setState({ storedDatasets, runs, storageInfo, libraryError: null });
  } catch (e) {
    fail(e);
  }
}

/** Asks the browser to keep the studio's storage (called when the first run starts). */
export async function askForPersistentStorage(): Promise<void> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return;
  if (await storage.persisted().catch(() => false)) return;
  await storage.persist().catch(() => false);
}

export async function openRun(runId: string | null): Promise<void> {
  if (!runId) return void store.setState({ openRun: null });
  try {
    store.setState({ openRun: await getStudioBridge().call('getRunDetail', { runId }), libraryError: null });
  } catch (e) {
    fail(e);
  }
}

export async function toggleCompare(runId: string): Promise<void> {
  if (store.getState().compareIds.includes(runId)) {
    return void store.setState((s) => ({
      compareIds: s.compareIds.filter((id) => id !== runId),
      compareRuns: s.compareRuns.filter((r) => r.run.id !== runId),
    }));
  }
  // Tick at once; the curves follow when the worker has read them.
  store.setState((s) => ({ compareIds: [...s.compareIds, runId].slice(-MAX_COMPARED_RUNS) }));
  try {
    const detail = await getStudioBridge().call('getRunDetail', { runId });
    store.setState((s) =>
      s.compareIds.includes(runId)
        ? { compareRuns: [...s.compareRuns.filter((r) => r.run.id !== runId), detail].filter((r) => s.compareIds.includes(r.run.id)) }
        : {},
    );
  } catch (e) {
    store.setState((s) => ({ compareIds: s.compareIds.filter((id) => id !== runId) }));
    fail(e);
  }
}

export async function deleteStoredRun(runId: string): Promise<void> {
  try {
    const { bytesFreed } = await getStudioBridge().call('deleteRun', { runId });
    store.setState((s) => ({
      libraryNotice: `Run deleted; ${kb(bytesFreed)} freed.`,
      openRun: s.openRun?.run.id === runId ? null : s.openRun,
      compareRuns: s.compareRuns.filter((r) => r.run.id !== runId),
      compareIds: s.compareIds.filter((id) => id !== runId),
    }));
    await refreshLibrary();
  } catch (e) {
    fail(e);
  }
}

export async function deleteStoredDataset(datasetId: string): Promise<void> {
  try {
    const { bytesFreed } = await getStudioBridge().call('deleteDataset', { datasetId });
    store.setState({ libraryNotice: `Dataset and its runs deleted; ${kb(bytesFreed)} freed.`, openRun: null, compareRuns: [], compareIds: [] });
    await refreshLibrary();
  } catch (e) {
    fail(e);
  }
}

/** Reopens a stored dataset as the current one. */
export async function openStoredDataset(datasetId: string): Promise<void> {
  try {
    const { dataset, split } = await getStudioBridge().call('openDataset', { datasetId });
    store.setState({
      dataset,
      split,
      datasetStatus: 'ready',
      datasetError: null,
      ...(split ? { validationFraction: split.validationFraction, splitSeed: split.seed } : {}),
    });
  } catch (e) {
    fail(e);
  }
}

async function fileFrom(kind: 'exportCheckpoint' | 'exportProject', args: { checkpointId: string } | { datasetId: string }): Promise<AdapterFile | null> {
  try {
    return kind === 'exportCheckpoint'
      ? await getStudioBridge().call('exportCheckpoint', args as { checkpointId: string })
      : await getStudioBridge().call('exportProject', args as { datasetId: string });
  } catch (e) {
    fail(e);
    return null;
  }
}

export const downloadCheckpoint = (checkpointId: string) => fileFrom('exportCheckpoint', { checkpointId });
export const downloadProject = (datasetId: string) => fileFrom('exportProject', { datasetId });

export async function importProjectFile(file: File): Promise<void> {
  try {
    const { runs } = await getStudioBridge().call('importProject', { file });
    store.setState({ libraryNotice: `Imported the project with ${runs} run(s).`, libraryError: null });
    await refreshLibrary();
  } catch (e) {
    store.setState({ libraryNotice: null });
    fail(e);
  }
}
