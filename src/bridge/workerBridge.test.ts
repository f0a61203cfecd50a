// The bridge against a fake worker port: results matched by requestId (out of order), failures as
// WorkerRequestError, events fanned out with their request's id, a stale worker bundle refused with the
// "reload the page" message, and a worker that dies before start-up failing its calls and restarting.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../protocol/messages';
import { createWorkerBridge, STALE_WORKER_MESSAGE, WorkerRequestError, type WorkerPort } from './workerBridge';
import { WORKER_CRASHED_MESSAGE, type LivenessLocks } from './workerLiveness';

/** Web Locks as the browser keeps them: a waiting request is granted when the holder (a worker) is gone. */
class FakeLocks implements LivenessLocks {
  waiting = new Map<string, { callback: () => void; signal: AbortSignal }>();
  request(name: string, options: { signal: AbortSignal }, callback: () => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.set(name, { callback: () => resolve(callback()), signal: options.signal });
      options.signal.addEventListener('abort', () => {
        this.waiting.delete(name);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }
  /** The holder of `name` died: the browser grants the lock to the page's waiting request. */
  holderGone(name: string): void {
    const w = this.waiting.get(name);
    this.waiting.delete(name);
    if (w && !w.signal.aborted) w.callback();
  }
}

class FakePort implements WorkerPort {
  onmessage: WorkerPort['onmessage'] = null;
  onerror: WorkerPort['onerror'] = null;
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(msg: FromWorker): void {
    this.onmessage?.({ data: msg } as MessageEvent<FromWorker>);
  }
}

function setup(version = PROTOCOL_VERSION) {
  const ports: FakePort[] = [];
  const locks = new FakeLocks();
  const bridge = createWorkerBridge(
    () => {
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    version,
    { locks },
  );
  return { bridge, ports, locks };
}

describe('worker bridge', () => {
  it('matches results to their requests by id, in any order, and turns failures into WorkerRequestError', async () => {
    const { bridge, ports } = setup();
    const a = bridge.call('storageInfo', { requestPersistence: false });
    const b = bridge.call('listRuns', {});
    const port = ports[0];
    port.reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    expect(port.sent.map((m) => [m.kind, m.requestId])).toEqual([
      ['storageInfo', 1],
      ['listRuns', 2],
    ]);
    port.reply({ type: 'failure', requestId: 2, error: { code: 'no-storage', message: 'no IndexedDB' } });
    port.reply({ type: 'result', requestId: 1, result: { supported: true, usageBytes: 1, quotaBytes: 2, persisted: false } });
    await expect(a).resolves.toEqual({ supported: true, usageBytes: 1, quotaBytes: 2, persisted: false });
    const err = await b.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerRequestError);
    expect((err as WorkerRequestError).userError.code).toBe('no-storage');
    expect(ports).toHaveLength(1); // one worker for every call
  });

  it('fans events out to every subscriber with the id of the request that posted them, until unsubscribed', () => {
    const { bridge, ports } = setup();
    void bridge.call('train', { config: {} as never }).catch(() => undefined);
    const seen: string[] = [];
    const off = bridge.subscribe((e, id) => seen.push(`${e.type}#${id}`));
    bridge.subscribe((e) => seen.push(`second:${e.type}`));
    ports[0].reply({ type: 'event', event: { type: 'status', message: 'Tokenizing…' }, requestId: 1 });
    off();
    ports[0].reply({ type: 'event', event: { type: 'status', message: 'again' }, requestId: null });
    expect(seen).toEqual(['status#1', 'second:status', 'second:status']);
  });

  it('refuses a worker of another protocol version with a "reload the page" error, now and for later calls', async () => {
    const { bridge, ports } = setup(PROTOCOL_VERSION);
    const pendingCall = bridge.call('listRuns', {});
    ports[0].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION - 1 });
    const err = (await pendingCall.catch((e: unknown) => e)) as WorkerRequestError;
    expect(err.userError).toEqual({ code: 'stale-worker', message: STALE_WORKER_MESSAGE });
    expect(err.message).toMatch(/Reload the page/);
    expect(ports[0].terminated).toBe(true);
    await expect(bridge.call('storageInfo', { requestPersistence: false })).rejects.toThrow(/Reload the page/);
    expect(ports).toHaveLength(1); // no new worker is started for a stale page
  });

  it('tells health listeners about a stale worker at start-up, before any request, and late subscribers too', () => {
    const { bridge, ports } = setup(PROTOCOL_VERSION);
    const seen: string[] = [];
    bridge.onHealth((h) => seen.push(h.kind));
    bridge.start();
    expect(ports).toHaveLength(1); // start() starts the worker without a request
    expect(seen).toEqual([]);
    ports[0].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION + 1 });
    expect(seen).toEqual(['stale']);
    const late: string[] = [];
    bridge.onHealth((h) => late.push(h.message));
    expect(late).toEqual([STALE_WORKER_MESSAGE]);
    bridge.start();
    expect(ports).toHaveLength(1); // a stale page starts no second worker
  });

  it('a worker of the right version reports no health problem', () => {
    const { bridge, ports } = setup();
    const seen: string[] = [];
    bridge.onHealth((h) => seen.push(h.kind));
    bridge.start();
    ports[0].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    expect(seen).toEqual([]);
  });

  it('a worker that fails before start-up rejects its calls as crashed; the next call starts a fresh worker', async () => {
    const { bridge, ports } = setup();
    const first = bridge.call('listRuns', {});
    ports[0].onerror?.({ message: 'SyntaxError in bundle', preventDefault: () => undefined } as ErrorEvent);
    const err = (await first.catch((e: unknown) => e)) as WorkerRequestError;
    expect(err.userError.code).toBe('worker-crashed');
    expect(err.message).toContain('SyntaxError in bundle');
    const second = bridge.call('listRuns', {});
    expect(ports).toHaveLength(2);
    ports[1].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    ports[1].reply({ type: 'result', requestId: ports[1].sent[0].requestId, result: [] });
    await expect(second).resolves.toEqual([]);
  });

  it('an error after start-up leaves the worker and its pending calls alone', async () => {
    const { bridge, ports } = setup();
    const call = bridge.call('listRuns', {});
    ports[0].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    ports[0].onerror?.({ message: 'helper worker failed', preventDefault: () => undefined } as ErrorEvent);
    expect(ports[0].terminated).toBe(false);
    ports[0].reply({ type: 'result', requestId: 1, result: [] });
    await expect(call).resolves.toEqual([]);
  });

  it('a worker that dies after start-up without a word (closed, killed for memory) fails its calls, is reported and replaced', async () => {
    const { bridge, ports, locks } = setup();
    const crashes: string[] = [];
    bridge.onCrash((m) => crashes.push(m));
    const training = bridge.call('train', { config: {} as never });
    const port = ports[0];
    port.reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    port.reply({ type: 'alive', lock: 'worker-lock-1' });
    expect(locks.waiting.has('worker-lock-1')).toBe(true); // the page queues for the worker's lock
    locks.holderGone('worker-lock-1');
    const err = (await training.catch((e: unknown) => e)) as WorkerRequestError;
    expect(err).toBeInstanceOf(WorkerRequestError);
    expect(err.userError).toEqual({ code: 'worker-crashed', message: WORKER_CRASHED_MESSAGE });
    expect(err.message).toMatch(/stopped unexpectedly.*fresh one was started/);
    expect(crashes).toEqual([WORKER_CRASHED_MESSAGE]);
    expect(port.terminated).toBe(true);
    // A fresh worker is started at once (it marks the cut-off run interrupted) and answers the next call.
    expect(ports).toHaveLength(2);
    const next = bridge.call('listRuns', {});
    expect(ports).toHaveLength(2);
    ports[1].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    ports[1].reply({ type: 'result', requestId: ports[1].sent[0].requestId, result: [] });
    await expect(next).resolves.toEqual([]);
  });

  it('a worker the bridge ends itself (a stale bundle) is not reported as a crash', async () => {
    const { bridge, ports, locks } = setup();
    const crashes: string[] = [];
    bridge.onCrash((m) => crashes.push(m));
    void bridge.call('listRuns', {}).catch(() => undefined);
    ports[0].reply({ type: 'alive', lock: 'lock-a' });
    ports[0].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION + 1 });
    expect(locks.waiting.has('lock-a')).toBe(false); // the wait was cancelled when the bridge ended the worker
    locks.holderGone('lock-a');
    expect(crashes).toEqual([]);
    expect(ports).toHaveLength(1);
  });

  it('a busy worker that holds its lock is never taken for dead, however long it is silent', async () => {
    const { bridge, ports, locks } = setup();
    const crashes: string[] = [];
    bridge.onCrash((m) => crashes.push(m));
    const call = bridge.call('listRuns', {});
    ports[0].reply({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    ports[0].reply({ type: 'alive', lock: 'lock-b' });
    await new Promise((r) => setTimeout(r, 50));
    locks.holderGone('some-other-lock');
    expect(crashes).toEqual([]);
    ports[0].reply({ type: 'result', requestId: 1, result: [] });
    await expect(call).resolves.toEqual([]);
  });
});
