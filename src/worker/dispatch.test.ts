// The worker's dispatcher with fake handlers and a fake post: results and failures carry the request's id, events
// a handler emits are tagged with it (two concurrent jobs stay apart), downloads transfer their bytes, an unknown
// request kind fails with a reload hint, and thrown errors become the user's message.
import { describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../protocol/messages';
import { createDispatcher } from './dispatch';
import { StudioSession } from './session';
import { StudioError } from './userError';

function harness(handlers: Parameters<typeof createDispatcher>[0]) {
  const posted: { msg: FromWorker; transfer?: Transferable[] }[] = [];
  const session = new StudioSession();
  const dispatch = createDispatcher(handlers, session, (msg, transfer) => posted.push({ msg, transfer }));
  return { dispatch, posted, session };
}
const request = (requestId: number, kind: string, args: unknown = {}) => ({ type: 'request', requestId, kind, args }) as unknown as ToWorker;

describe('worker dispatcher', () => {
  it('tags every event with the request that emitted it and answers each request by its id', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { dispatch, posted } = harness({
      train: async (_args, ctx) => {
        ctx.emit({ type: 'status', message: 'training' });
        await gate;
        ctx.emit({ type: 'status', message: 'done training' });
        return { status: 'finished' } as never;
      },
      storageInfo: async (_args, ctx) => {
        ctx.emit({ type: 'status', message: 'measuring' });
        return { supported: false, usageBytes: null, quotaBytes: null, persisted: null };
      },
    });
    const long = dispatch(request(7, 'train'));
    await dispatch(request(8, 'storageInfo'));
    release();
    await long;
    expect(posted.map((p) => p.msg)).toEqual([
      { type: 'event', event: { type: 'status', message: 'training' }, requestId: 7 },
      { type: 'event', event: { type: 'status', message: 'measuring' }, requestId: 8 },
      { type: 'result', requestId: 8, result: { supported: false, usageBytes: null, quotaBytes: null, persisted: null } },
      { type: 'event', event: { type: 'status', message: 'done training' }, requestId: 7 },
      { type: 'result', requestId: 7, result: { status: 'finished' } },
    ]);
  });

  it('turns a thrown StudioError into a failure with its code and message, and transfers download bytes', async () => {
    const bytes = Uint8Array.from([1, 2, 3]);
    const { dispatch, posted } = harness({
      exportAdapter: async () => ({ fileName: 'a.zip', bytes }),
      listRuns: async () => {
        throw new StudioError('no-storage', 'Nothing is stored.');
      },
    });
    await dispatch(request(1, 'exportAdapter'));
    await dispatch(request(2, 'listRuns'));
    expect(posted[0].msg).toEqual({ type: 'result', requestId: 1, result: { fileName: 'a.zip', bytes } });
    expect(posted[0].transfer).toEqual([bytes.buffer]);
    expect(posted[1].msg).toMatchObject({ type: 'failure', requestId: 2, error: { code: 'no-storage', message: 'Nothing is stored.' } });
  });

  it('fails an unknown request kind with a reload hint and ignores messages that are not requests', async () => {
    const { dispatch, posted } = harness({});
    await dispatch({ type: 'ping' } as unknown as ToWorker);
    await dispatch(request(3, 'noSuchRequest'));
    expect(posted).toHaveLength(1);
    expect(posted[0].msg).toMatchObject({ type: 'failure', requestId: 3 });
    expect((posted[0].msg as { error: { message: string } }).error.message).toMatch(/reload the page/);
  });

  it('runs at most one training job per session; each job has its own stop signal', () => {
    const session = new StudioSession();
    const job = session.beginJob()!;
    expect(session.training).toBe(true);
    expect(session.beginJob()).toBeNull();
    job.runId = 'run-1';
    expect(session.activeRunId).toBe('run-1');
    job.stop();
    expect(job.signal.aborted).toBe(true);
    expect(job.controls().shouldStop()).toBe(true);
    session.endJob(job);
    expect(session.training).toBe(false);
    const next = session.beginJob()!;
    expect(next.controls().shouldStop()).toBe(false); // a new job does not inherit the old stop
  });
});
