// The only code that creates the studio worker: posts typed requests, matches results by requestId,
// and fans streamed events out to subscribers. Knows nothing about React or the store.
import type {
  FromWorker,
  RequestKind,
  Requests,
  ToWorker,
  UserError,
  WorkerEvent,
} from '../protocol/messages';

export class WorkerRequestError extends Error {
  constructor(readonly userError: UserError) {
    super(userError.message);
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Listener = (event: WorkerEvent) => void;

export type WorkerBridge = {
  call<K extends RequestKind>(kind: K, args: Requests[K]['args']): Promise<Requests[K]['result']>;
  subscribe(listener: Listener): () => void;
};

export function createWorkerBridge(makeWorker: () => Worker): WorkerBridge {
  const pending = new Map<number, Pending>();
  const listeners = new Set<Listener>();
  let nextId = 1;
  let worker: Worker | null = null;

  const failAll = (message: string) => {
    for (const p of pending.values()) p.reject(new WorkerRequestError({ code: 'worker-crashed', message }));
    pending.clear();
    worker?.terminate();
    worker = null; // the next call starts a fresh worker
  };

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = makeWorker();
    let ready = false;
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      if (msg.type === 'ready') ready = true;
      else if (msg.type === 'event') listeners.forEach((l) => l(msg.event));
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

  return {
    call(kind, args) {
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
  };
}

let shared: WorkerBridge | null = null;

/** The app's single bridge to src/worker/studio.worker.ts (a module worker). */
export function getStudioBridge(): WorkerBridge {
  shared ??= createWorkerBridge(
    // ?debug=1 in the page address names the worker 'studio-debug': it then logs stack traces (studio.worker.ts).
    () => new Worker(new URL('../worker/studio.worker.ts', import.meta.url), { type: 'module', name: /[?&]debug=1\b/.test(location.search) ? 'studio-debug' : 'studio' }),
  );
  return shared;
}
