// One tab trains a run at a time: an exclusive Web Lock per run id, taken with ifAvailable so a second tab
// is told at once instead of waiting. The LockManager is injectable for tests.

export type LockManagerLike = {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
};

export type RunLock = {
  runId: string;
  /** False where the browser has no Web Locks: the lock is then advisory only. */
  enforced: boolean;
  release(): void;
};

export const runLockName = (runId: string): string => `finetune-studio:run:${runId}`;

const defaultLocks = (): LockManagerLike | undefined => globalThis.navigator?.locks as LockManagerLike | undefined;

/** The run's lock, held until release(); or null when another tab (or this one) already trains the run. */
export function acquireRunLock(runId: string, locks: LockManagerLike | undefined = defaultLocks()): Promise<RunLock | null> {
  if (!locks) return Promise.resolve({ runId, enforced: false, release: () => undefined });
  return new Promise<RunLock | null>((resolve, reject) => {
    locks
      .request(runLockName(runId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return;
        }
        // The lock is held until the promise returned here settles.
        return new Promise<void>((release) => resolve({ runId, enforced: true, release: () => release() }));
      })
      .catch(reject);
  });
}
