// The worker's one connection to IndexedDB, opened lazily; null when the browser gives no IndexedDB
// (private modes), in which case the studio works but says that nothing is saved.
import { markInterruptedRuns, openStudioDb, type StudioStore } from '../storage';

let opening: Promise<StudioStore | null> | null = null;

export function getStudioStore(): Promise<StudioStore | null> {
  opening ??= openStudioDb()
    .then(async (store) => {
      // Runs that were 'running' when the last tab closed or crashed are now 'interrupted'.
      await markInterruptedRuns(store, Date.now());
      return store;
    })
    .catch((e) => {
      console.warn('IndexedDB unavailable; datasets and runs will not be saved', e);
      return null;
    });
  return opening;
}
