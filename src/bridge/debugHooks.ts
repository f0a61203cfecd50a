// Test-only: a page opened with ?debug=1 gets window.studioDebug.fault('crash' | 'device-lost'), which asks the
// worker for that fault (issue 13's browser tests; the worker refuses it unless it was started from such a page),
// and names its worker so (with ?storageQuota=N the worker keeps its database in a bucket of N bytes).
import type { DebugFault } from '../protocol/messages';
import type { WorkerBridge } from './workerBridge';

export const isDebugPage = (): boolean => typeof location !== 'undefined' && /[?&]debug=1\b/.test(location.search);

/** The worker's name carries the test settings (worker/debugWorker.ts): ?debug=1 and ?storageQuota=N. */
export function workerName(): string {
  if (!isDebugPage()) return 'studio';
  const quota = /[?&]storageQuota=(\d+)\b/.exec(location.search)?.[1];
  return quota ? `studio-debug;storageQuota=${quota}` : 'studio-debug';
}

export function installDebugHooks(bridge: WorkerBridge): void {
  if (!isDebugPage()) return;
  (globalThis as { studioDebug?: unknown }).studioDebug = { fault: (fault: DebugFault) => bridge.call('debugFault', { fault }) };
}
