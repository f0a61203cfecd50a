// Tests for checkpoint writes: meta + blob + pruning in one transaction, an injected failure in the middle
// of a write (the old set survives), quota errors as typed values, keep-last-K-plus-best, reads.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteCheckpoint, latestCheckpoint, listCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoints';
import type { StudioStore } from './db';
import { createRun } from './runs';
import { STORES } from './schema';
import { freshStore, sampleCheckpoint, sampleRun, seedRun } from './testSupport';

let store: StudioStore;
let runId: string;
let datasetId: string;

beforeEach(async () => {
  store = await freshStore();
  const seeded = await seedRun(store);
  runId = seeded.run.id;
  datasetId = seeded.dataset.id;
});
afterEach(() => {
  vi.restoreAllMocks();
  store.db.close();
});

/** Makes the given IDBObjectStore method throw `error` when called on `storeName`; other stores work. */
function failOn(method: 'add' | 'put' | 'delete', storeName: string, error: () => unknown) {
  const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
  vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
    if (this.name === storeName) throw error();
    return original.apply(this, args);
  } as never);
}

async function steps(): Promise<number[]> {
  return (await listCheckpoints(store, runId)).map((c) => c.step);
}

async function blobCount(): Promise<number> {
  return store.db.count(STORES.checkpointBlobs);
}

describe('writeCheckpoint', () => {
  it('stores meta apart from the blob and reads both back', async () => {
    const written = await writeCheckpoint(store, sampleCheckpoint(runId, 10));
    expect(written.ok).toBe(true);
    if (!written.ok) return;
    expect(written.value.meta).toMatchObject({ runId, step: 10, kind: 'periodic' });
    expect(written.value.meta.sizeBytes).toBeGreaterThanOrEqual(64 + 128);
    const back = await readCheckpoint(store, written.value.meta.id);
    expect(back?.blob.adapter).toEqual(new Uint8Array(64).fill(10));
    expect(back?.blob.optimizer).toEqual(new Uint8Array(128).fill(11));
    expect(back?.blob.dataOrder).toEqual({ epoch: 0, batch: 10 });
    expect(back?.blob.rngState).toBe(310);
    // Listing returns metadata only.
    expect(Object.keys((await listCheckpoints(store, runId))[0]).sort()).toEqual(['createdAt', 'id', 'kind', 'metric', 'runId', 'sizeBytes', 'step'].sort());
  });

  it('keeps the last K plus the best as checkpoints are written', async () => {
    const policy = { keepLast: 2 };
    const valLoss = [0.9, 0.5, 0.7, 0.8, 0.6];
    for (const [i, value] of valLoss.entries()) {
      const step = (i + 1) * 10;
      const r = await writeCheckpoint(store, sampleCheckpoint(runId, step, { kind: 'best', metric: { name: 'valLoss', value, goal: 'min' } }), policy);
      expect(r.ok).toBe(true);
    }
    expect(await steps()).toEqual([20, 40, 50]);
    expect(await blobCount()).toBe(3);
    expect((await latestCheckpoint(store, runId))?.step).toBe(50);
  });

  it('reports what pruning dropped and the bytes it freed', async () => {
    await writeCheckpoint(store, sampleCheckpoint(runId, 1), { keepLast: 1 });
    const first = (await listCheckpoints(store, runId))[0];
    const second = await writeCheckpoint(store, sampleCheckpoint(runId, 2), { keepLast: 1 });
    expect(second.ok && second.value.pruned).toEqual([first.id]);
    expect(second.ok && second.value.bytesFreed).toBe(first.sizeBytes);
  });

  it('leaves the old checkpoints intact when the blob write fails after the meta write', async () => {
    await writeCheckpoint(store, sampleCheckpoint(runId, 10), { keepLast: 1 });
    const before = await listCheckpoints(store, runId);
    failOn('add', STORES.checkpointBlobs, () => new Error('disk on fire'));

    const r = await writeCheckpoint(store, sampleCheckpoint(runId, 20), { keepLast: 1 });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'write-failed' }) });
    vi.restoreAllMocks();
    // Neither the new meta nor the pruning of step 10 happened.
    expect(await listCheckpoints(store, runId)).toEqual(before);
    expect(await blobCount()).toBe(1);
    expect((await readCheckpoint(store, before[0].id))?.blob.adapter).toEqual(new Uint8Array(64).fill(10));
  });

  it('leaves the old checkpoints intact when pruning fails after meta and blob were written', async () => {
    await writeCheckpoint(store, sampleCheckpoint(runId, 10), { keepLast: 1 });
    failOn('delete', STORES.checkpointBlobs, () => new DOMException('stop', 'UnknownError'));
    const r = await writeCheckpoint(store, sampleCheckpoint(runId, 20), { keepLast: 1 });
    expect(r.ok).toBe(false);
    vi.restoreAllMocks();
    expect(await steps()).toEqual([10]);
    expect(await blobCount()).toBe(1);
  });

  it('turns a QuotaExceededError into a typed quota error that says what to delete', async () => {
    // Another run holds checkpoints the user could delete.
    const other = await createRun(store, sampleRun(datasetId, { name: 'old run' }));
    if (!other.ok) throw new Error('setup');
    await writeCheckpoint(store, sampleCheckpoint(other.value.id, 5));
    await writeCheckpoint(store, sampleCheckpoint(runId, 10));
    failOn('add', STORES.checkpointBlobs, () => new DOMException('The quota has been exceeded.', 'QuotaExceededError'));

    const r = await writeCheckpoint(store, sampleCheckpoint(runId, 20));
    vi.restoreAllMocks();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('quota');
    expect(r.error.bytesNeeded).toBeGreaterThanOrEqual(192);
    expect(r.error.message).toMatch(/storage is full/);
    expect(r.error.message).toMatch(/step 20/);
    expect(r.error.message).toMatch(/Delete old runs or checkpoints/);
    expect(r.error.message).toMatch(/Checkpoints of 1 other run take \d/);
    expect(await steps()).toEqual([10]);
  });

  it('maps a quota abort raised asynchronously by the transaction (requests see only AbortError)', async () => {
    await writeCheckpoint(store, sampleCheckpoint(runId, 10));
    const original = IDBObjectStore.prototype.add;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = original.apply(this, args);
      // What a browser does when the write does not fit: abort the whole transaction with the quota error.
      // fake-indexeddb's internal _abort sets transaction.error and fails pending requests with AbortError.
      const fakeTx = this.transaction as unknown as { _abort(errorName: string): void };
      if (this.name === STORES.checkpointBlobs) fakeTx._abort('QuotaExceededError');
      return request;
    });
    const r = await writeCheckpoint(store, sampleCheckpoint(runId, 20));
    vi.restoreAllMocks();
    expect(r.ok || r.error.code).toBe('quota');
    expect(await steps()).toEqual([10]);
    expect(await blobCount()).toBe(1);
  });

  it('refuses a checkpoint for a run that does not exist, writing nothing', async () => {
    const r = await writeCheckpoint(store, sampleCheckpoint('no-such-run', 1));
    expect(r.ok || r.error.code).toBe('not-found');
    expect(await blobCount()).toBe(0);
  });

  it('deletes one checkpoint and reports its size', async () => {
    const w = await writeCheckpoint(store, sampleCheckpoint(runId, 1));
    if (!w.ok) throw new Error('setup');
    expect(await deleteCheckpoint(store, w.value.meta.id)).toEqual({ ok: true, value: w.value.meta.sizeBytes });
    expect(await blobCount()).toBe(0);
    expect((await deleteCheckpoint(store, w.value.meta.id)).ok).toBe(false);
  });
});
