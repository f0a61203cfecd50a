// The bridge against a fake worker port: results matched by requestId (out of order), failures as
// WorkerRequestError, events fanned out with their request's id, a stale worker bundle refused with the
// "reload the page" message, and a worker that dies before start-up failing its calls and restarting.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../protocol/messages';
import { createWorkerBridge, STALE_WORKER_MESSAGE, WorkerRequestError, type WorkerPort } from './workerBridge';

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
  const bridge = createWorkerBridge(() => {
    const p = new FakePort();
    ports.push(p);
    return p;
  }, version);
  return { bridge, ports };
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
});
