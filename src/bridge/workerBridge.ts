// The only code that creates the studio worker: posts typed requests, matches results by requestId, fans
// streamed events (tagged with their request's id) out to subscribers, and refuses a worker bundle of another
// protocol version (a stale cached bundle after a deploy) with a "reload the page" error. No React, no store.
import { PROTOCOL_VERSION, type FromWorker, type RequestKind, type Requests, type ToWorker, type UserError, type WorkerEvent } from '../protocol/messages';
import { installDebugHooks, workerName } from './debugHooks';
import { watchWorkerLock, WORKER_CRASHED_MESSAGE, type LivenessLocks } from './workerLiveness';

export class WorkerRequestError extends Error {
  constructor(readonly userError: UserError) {
    super(userError.message);
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
/** requestId: the request whose job posted the event, or null. */
type Listener = (event: WorkerEvent, requestId: number | null) => void;

/** The message every call gets once the worker turned out to speak another protocol version. */
export const STALE_WORKER_MESSAGE =
  'The studio was updated while this page was open: the page and its worker are different versions. Reload the page to continue (your stored data and runs are kept).';

/** Something wrong with the worker itself, told to the page as soon as it is known (not on the next request). */
export type WorkerHealth = { kind: 'stale'; message: string };
type HealthListener = (health: WorkerHealth) => void;

export type WorkerBridge = {
  call<K extends RequestKind>(kind: K, args: Requests[K]['args']): Promise<Requests[K]['result']>;
  subscribe(listener: Listener): () => void;
  /** Starts the worker now, so its protocol version is checked at page start-up. */
  start(): void;
  /** Called when the worker turns out to be unusable (a stale bundle); returns the unsubscribe. */
  onHealth(listener: HealthListener): () => void;
  /** Called when the worker died after start-up (its calls already failed, a fresh worker is started). */
  onCrash(listener: (message: string) => void): () => void;
};

/** The part of a Worker the bridge uses (a fake port in tests). */
export type WorkerPort = Pick<Worker, 'postMessage' | 'terminate'> & {
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
};

export function createWorkerBridge(makeWorker: () => WorkerPort, expectedVersion = PROTOCOL_VERSION, liveness: { locks?: LivenessLocks } = {}): WorkerBridge {
  const pending = new Map<number, Pending>();
  const listeners = new Set<Listener>();
  const healthListeners = new Set<HealthListener>();
  const crashListeners = new Set<(message: string) => void>();
  let unwatch: (() => void) | null = null;
  let nextId = 1;
  let worker: WorkerPort | null = null;
  let stale: UserError | null = null;

  const failAll = (message: string, code = 'worker-crashed') => {
    for (const p of pending.values()) p.reject(new WorkerRequestError({ code, message }));
    pending.clear();
    unwatch?.(); // a worker ended here is not a crash
    unwatch = null;
    worker?.terminate();
    worker = null; // the next call starts a fresh worker
  };

  const ensureWorker = (): WorkerPort => {
    if (worker) return worker;
    const w = makeWorker();
    let ready = false;
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      if (msg.type === 'ready') {
        ready = true;
        if (msg.protocolVersion !== expectedVersion) {
          stale = { code: 'stale-worker', message: STALE_WORKER_MESSAGE };
          console.error(`studio worker speaks protocol ${msg.protocolVersion}, the page ${expectedVersion}`);
          failAll(stale.message, stale.code);
          const health: WorkerHealth = { kind: 'stale', message: stale.message };
          healthListeners.forEach((l) => l(health));
        }
      } else if (msg.type === 'alive') {
        unwatch?.();
        unwatch = watchWorkerLock(msg.lock, () => workerGone(w), liveness.locks);
      } else if (msg.type === 'event') listeners.forEach((l) => l(msg.event, msg.requestId ?? null));
      else if (msg.type === 'result' || msg.type === 'failure') {
        const p = pending.get(msg.requestId);
        if (!p) return;
        pending.delete(msg.requestId);
        if (msg.type === 'result') p.resolve(msg.result);
        else p.reject(new WorkerRequestError(msg.error));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      // An uncaught error after start-up (e.g. in a helper worker of a backend) leaves the worker alive,
      // and every request handler answers for itself; only a worker that never started is given up.
      console.error('studio worker error', e.message);
      if (ready) return;
      failAll(
        `The studio worker stopped unexpectedly (${e.message || 'unknown error'}). ` +
          'Your data is still on this page; try again, or reload if it keeps happening.',
      );
    };
    worker = w;
    return w;
  };

  // The worker died after start-up (see workerLiveness.ts): fail its calls, say so, start a fresh one.
  const workerGone = (w: WorkerPort) => {
    if (worker !== w) return;
    unwatch = null;
    console.error('studio worker is gone');
    failAll(WORKER_CRASHED_MESSAGE);
    crashListeners.forEach((l) => l(WORKER_CRASHED_MESSAGE));
    ensureWorker();
  };

  return {
    call(kind, args) {
      if (stale) return Promise.reject(new WorkerRequestError(stale));
      const requestId = nextId++;
      const w = ensureWorker();
      return new Promise((resolve, reject) => {
        pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
        const msg = { type: 'request', requestId, kind, args } as ToWorker;
        w.postMessage(msg);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (!stale) ensureWorker();
    },
    onHealth(listener) {
      healthListeners.add(listener);
      if (stale) listener({ kind: 'stale', message: stale.message });
      return () => healthListeners.delete(listener);
    },
    onCrash(listener) {
      crashListeners.add(listener);
      return () => crashListeners.delete(listener);
    },
  };
}

let shared: WorkerBridge | null = null;

/** The app's single bridge to src/worker/studio.worker.ts (a module worker). */
export function getStudioBridge(): WorkerBridge {
  if (shared) return shared;
  shared = createWorkerBridge(
    // ?debug=1 in the page address names the worker 'studio-debug': it then logs stack traces (debugHooks.ts).
    () =>
      new Worker(new URL('../worker/studio.worker.ts', import.meta.url), {
        type: 'module',
        name: workerName(),
      }),
  );
  installDebugHooks(shared);
  return shared;
}
