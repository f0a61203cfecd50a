// The worker's one connection to IndexedDB, opened lazily; null when the browser gives no IndexedDB
// (private modes), in which case the studio works but says that nothing is saved.
import { markInterruptedRuns, openStudioDb, type StudioStore } from '../storage';
import { debugStorageQuota } from './debugWorker';

type StorageBuckets = { open(name: string, options: { quota: number }): Promise<{ indexedDB: IDBFactory }> };

/** The default IndexedDB, or in a browser test with ?storageQuota=N a storage bucket that holds only N bytes. */
async function studioDbFactory(): Promise<IDBFactory | undefined> {
  const quota = debugStorageQuota();
  const buckets = (globalThis.navigator as { storageBuckets?: StorageBuckets } | undefined)?.storageBuckets;
  if (quota === null || !buckets) return undefined;
  return (await buckets.open(TEST_BUCKET, { quota })).indexedDB;
}

/** The storage bucket of ?storageQuota=N (browser tests only). */
export const TEST_BUCKET = 'studio-quota-test';

let opening: Promise<StudioStore | null> | null = null;

export function getStudioStore(): Promise<StudioStore | null> {
  opening ??= studioDbFactory()
    .then((factory) => openStudioDb(factory ? { factory } : {}))
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
