// After the studio worker died (bridge/workerLiveness.ts): the fresh worker has no backend, model or table, so the
// page forgets them (Start loads them again), reopens the stored dataset, and says what happened to a running
// run: the fresh worker marks it interrupted, and Resume in Runs continues it from its last checkpoint.
import type { WorkerBridge } from '../bridge/workerBridge';
import { openStoredDataset, refreshLibrary } from './libraryActions';
import { useStudioStore as store } from './studioStore';

export const RUN_INTERRUPTED_BY_CRASH =
  'The studio worker stopped unexpectedly (most often the browser ran out of memory), so the run was cut off. ' +
  'It is saved as interrupted: open Runs and press Resume to continue from its last checkpoint.';

export function installCrashRecovery(bridge: WorkerBridge): void {
  bridge.onCrash((message) => void afterCrash(message));
}

async function afterCrash(message: string): Promise<void> {
  const s = store.getState();
  const wasTraining = s.trainStatus === 'running' || s.trainStatus === 'stopping' || s.searchStatus === 'running';
  store.setState({ backend: null, model: null, modelStatus: 'none', paused: null, pauseRequested: false, statusMessage: message });
  const datasetId = s.dataset?.datasetId ?? null;
  // The fresh worker marks the cut-off run interrupted when it first opens storage (listRuns here).
  await refreshLibrary();
  if (datasetId) await openStoredDataset(datasetId);
  // Set after the failed call's own handler ran (it shows the generic message).
  if (wasTraining) {
    store.setState({
      trainStatus: 'failed',
      searchStatus: s.searchStatus === 'running' ? 'failed' : s.searchStatus,
      trainError: { code: 'worker-crashed', message: RUN_INTERRUPTED_BY_CRASH },
      statusMessage: null,
    });
  } else store.setState({ libraryError: { code: 'worker-crashed', message } });
}
