// Tests for runs and their metrics: create/list/status rules and timing, markInterruptedRuns at startup,
// chunked metric appends in order, and trimming points past a checkpoint for a clean resume.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioStore } from './db';
import { appendMetrics, listMetrics, trimMetricsAfterStep } from './metrics';
import type { MetricPoint, RunRecord } from './records';
import { addRunDiagnostics, createRun, getRun, listRuns, markInterruptedRuns, updateRunStatus } from './runs';
import { freshStore, sampleRun, seedRun } from './testSupport';

let store: StudioStore;
let run: RunRecord;
let datasetId: string;

beforeEach(async () => {
  store = await freshStore();
  ({
    run,
    dataset: { id: datasetId },
  } = await seedRun(store));
});
afterEach(() => store.db.close());

const train = (step: number): MetricPoint => ({ kind: 'train', step, epoch: 0, loss: 1 / step, learningRate: 1e-3 });
const evalAt = (step: number): MetricPoint => ({ kind: 'eval', step, epoch: 0, valLoss: 0.5, valAccuracy: 0.8 });

describe('runs', () => {
  it('creates a running run with its config and timing', async () => {
    expect(run).toMatchObject({ status: 'running', datasetId, config: { modelId: 'tiny-bert', seed: 7 } });
    expect(run.timing).toEqual({ createdAt: 2000, updatedAt: 2000, finishedAt: null, activeMs: 0 });
    expect(await getRun(store, run.id)).toEqual(run);
  });

  it('refuses a run on a dataset that does not exist', async () => {
    const r = await createRun(store, sampleRun('missing'));
    expect(r.ok || r.error.code).toBe('not-found');
  });

  it('lists newest first, optionally by dataset', async () => {
    const second = await createRun(store, sampleRun(datasetId, { name: 'second', createdAt: 5000 }));
    expect((await listRuns(store)).map((r) => r.name)).toEqual(['second', 'first run']);
    expect(second.ok).toBe(true);
    expect(await listRuns(store, { datasetId: 'other' })).toEqual([]);
  });

  it('changes status, adds active time, and stamps finishedAt on a final status', async () => {
    await updateRunStatus(store, run.id, 'paused', { at: 3000, activeMsDelta: 400, message: 'Storage is full' });
    const finished = await updateRunStatus(store, run.id, 'finished', { at: 4000, activeMsDelta: 100, message: null });
    expect(finished.ok && finished.value).toMatchObject({
      status: 'finished',
      statusMessage: null,
      timing: { updatedAt: 4000, finishedAt: 4000, activeMs: 500 },
    });
  });

  it('records the backend a resumed run continues on (WASM after a lost GPU device)', async () => {
    const before = run.config.backend;
    await updateRunStatus(store, run.id, 'paused', { at: 3000 });
    const kept = await updateRunStatus(store, run.id, 'running', { at: 3500 });
    expect(kept.ok && kept.value.config.backend).toBe(before);
    await updateRunStatus(store, run.id, 'paused', { at: 3600 });
    const moved = await updateRunStatus(store, run.id, 'running', { at: 4000, backend: 'wasm-moved' });
    expect(moved.ok && moved.value.config.backend).toBe('wasm-moved');
    expect((await getRun(store, run.id))?.config.backend).toBe('wasm-moved');
  });

  it('does not bring a finished run back to running', async () => {
    await updateRunStatus(store, run.id, 'finished', { at: 3000 });
    const r = await updateRunStatus(store, run.id, 'running', { at: 4000 });
    expect(r.ok || r.error.code).toBe('invalid-status');
    expect((await getRun(store, run.id))?.status).toBe('finished');
  });

  it('appends diagnostics', async () => {
    await addRunDiagnostics(store, run.id, [{ code: 'loss-spike', step: 3 }], 3000);
    await addRunDiagnostics(store, run.id, [{ code: 'overfit', step: 9 }], 3100);
    expect((await getRun(store, run.id))?.diagnostics).toEqual([
      { code: 'loss-spike', step: 3 },
      { code: 'overfit', step: 9 },
    ]);
  });
});

describe('markInterruptedRuns', () => {
  it('marks only running runs as interrupted, with a message, and returns their ids', async () => {
    const paused = await createRun(store, sampleRun(datasetId, { name: 'paused' }));
    const done = await createRun(store, sampleRun(datasetId, { name: 'done' }));
    if (!paused.ok || !done.ok) throw new Error('setup');
    await updateRunStatus(store, paused.value.id, 'paused', { at: 2500 });
    await updateRunStatus(store, done.value.id, 'finished', { at: 2500 });

    expect(await markInterruptedRuns(store, 9000)).toEqual({ ok: true, value: [run.id] });
    const after = await getRun(store, run.id);
    expect(after).toMatchObject({ status: 'interrupted', timing: { updatedAt: 9000 } });
    expect(after?.statusMessage).toMatch(/reloaded/);
    expect((await getRun(store, paused.value.id))?.status).toBe('paused');
    expect((await getRun(store, done.value.id))?.status).toBe('finished');
    // A second startup finds nothing left to mark; the run can resume.
    expect(await markInterruptedRuns(store, 9100)).toEqual({ ok: true, value: [] });
    expect((await updateRunStatus(store, run.id, 'running', { at: 9200 })).ok).toBe(true);
  });
});

describe('metrics', () => {
  it('appends chunks and reads every point back in order', async () => {
    expect(await appendMetrics(store, run.id, [train(1), train(2)])).toEqual({ ok: true, value: 0 });
    expect(await appendMetrics(store, run.id, [train(3), evalAt(3)])).toEqual({ ok: true, value: 1 });
    expect(await appendMetrics(store, run.id, [])).toEqual({ ok: true, value: -1 });
    expect(await listMetrics(store, run.id)).toEqual([train(1), train(2), train(3), evalAt(3)]);
  });

  it('keeps runs apart', async () => {
    const other = await createRun(store, sampleRun(datasetId));
    if (!other.ok) throw new Error('setup');
    await appendMetrics(store, run.id, [train(1)]);
    await appendMetrics(store, other.value.id, [train(7)]);
    expect(await listMetrics(store, other.value.id)).toEqual([train(7)]);
  });

  it('refuses points for a run that does not exist', async () => {
    const r = await appendMetrics(store, 'nope', [train(1)]);
    expect(r.ok || r.error.code).toBe('not-found');
  });

  it('trims points past a checkpoint so a resumed run has contiguous, unique steps', async () => {
    await appendMetrics(store, run.id, [train(1), train(2), train(3)]);
    await appendMetrics(store, run.id, [train(4), evalAt(4), train(5)]);
    await appendMetrics(store, run.id, [train(6)]);
    // Crash after step 6; the last checkpoint is at step 3.
    expect(await trimMetricsAfterStep(store, run.id, 3)).toEqual({ ok: true, value: 4 });
    await appendMetrics(store, run.id, [train(4), train(5)]);
    const steps = (await listMetrics(store, run.id)).map((p) => p.step);
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });
});
