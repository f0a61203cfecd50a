// Tells the bridge when the studio worker is gone without a word (it closed itself, Chrome killed it for memory,
// it crashed): the worker holds a Web Lock named in its 'alive' message for as long as it lives, and the page
// queues for the same lock, which it is granted the moment the worker's context is gone. No polling, so a worker
// busy in a long synchronous step is never mistaken for a dead one (a heartbeat would have to guess a timeout).

/** The part of navigator.locks used here (a fake in tests). */
export type LivenessLocks = {
  request(name: string, options: { signal: AbortSignal }, callback: () => void): Promise<unknown>;
};

/** The message every in-flight request gets when the worker died under it. */
export const WORKER_CRASHED_MESSAGE =
  'The studio worker stopped unexpectedly (most often the browser ran out of memory); a fresh one was started. ' +
  'Your stored datasets and runs are kept: try again, or resume an interrupted run from Runs.';

const pageLocks = (): LivenessLocks | undefined => (globalThis.navigator as { locks?: LivenessLocks } | undefined)?.locks;

/**
 * Calls onGone once the worker holding lock `name` is gone. Returns a cancel function (for a worker the bridge
 * ends itself). Without Web Locks (insecure contexts) nothing is watched and only error events are seen.
 */
export function watchWorkerLock(name: string, onGone: () => void, locks: LivenessLocks | undefined = pageLocks()): () => void {
  if (!locks) return () => undefined;
  const abort = new AbortController();
  locks
    .request(name, { signal: abort.signal }, () => {
      if (!abort.signal.aborted) onGone();
    })
    .catch(() => undefined); // aborted: the bridge ended this worker on purpose
  return () => abort.abort();
}
