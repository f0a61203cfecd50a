// Test settings the page hands the worker in its name (bridge/debugHooks.ts): 'studio-debug' for a page opened
// with ?debug=1 (stack traces, fault injection), plus ';storageQuota=N' to keep the studio's database in a
// storage bucket of N bytes, so a browser test meets a real quota error (Chromium ignores DevTools' quota override
// for IndexedDB). Never set in normal use.
const workerName = (): string => (globalThis as { name?: string }).name ?? '';

export const isDebugWorker = (): boolean => /^studio-debug(;|$)/.test(workerName());

/** The test's storage-bucket quota in bytes, or null. */
export function debugStorageQuota(): number | null {
  const m = /;storageQuota=(\d+)$/.exec(workerName());
  return isDebugWorker() && m ? Number(m[1]) : null;
}
