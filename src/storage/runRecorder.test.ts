// The run recorder on fake IndexedDB: a new run record with the config, metric points flushed in order (an eval
// flushes at once), a checkpoint that flushes first, status changes, and storage trouble reported, not thrown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioStore } from './db';
import { listCheckpoints } from './checkpoints';
import { listMetrics } from './metrics';
import { getRun } from './runs';
import { RunRecorder } from './runRecorder';
import { freshStore, sampleCheckpoint, seedRun } from './testSupport';

let store: StudioStore;
let datasetId: string;
beforeEach(async () => {
  store = await freshStore();
  ({
    dataset: { id: datasetId },
  } = await seedRun(store));
});
afterEach(() => store.db.close());

describe('RunRecorder', () => {
  it('records the run, its points in order, a checkpoint and the final status', async () => {
    const started = await RunRecorder.start(store, {
      datasetId,
      datasetName: 'd.csv',
      modelId: 'tiny',
      backend: 'cpu',
      config: { seed: 3, learningRate: 0.01 },
      extra: { task: 'instruction' },
    });
    if (!(started instanceof RunRecorder)) throw new Error(started.problem);
    const rec = started;
    rec.add({ kind: 'train', step: 1, epoch: 1, loss: 2, learningRate: 0.01 });
    rec.add({ kind: 'train', step: 2, epoch: 1, loss: 1.5, learningRate: 0.01 });
    expect(await listMetrics(store, rec.runId)).toHaveLength(0); // buffered until an eval, a checkpoint or 20 points
    const { runId: _r, createdAt: _c, ...cp } = sampleCheckpoint(rec.runId, 2);
    expect(await rec.checkpoint(cp)).toBeNull();
    expect((await listMetrics(store, rec.runId)).map((p) => p.step)).toEqual([1, 2]);
    expect((await listCheckpoints(store, rec.runId)).map((c) => c.step)).toEqual([2]);
    await rec.setStatus('paused', 'paused by you');
    await rec.setStatus('finished', null);
    const run = await getRun(store, rec.runId);
    expect(run).toMatchObject({
      status: 'finished',
      config: { modelId: 'tiny', seed: 3, hyperparameters: { seed: 3, learningRate: 0.01, extra: { task: 'instruction' } } },
    });
    expect(rec.problem).toBeNull();
    // attach() writes to the same run (a resume).
    const again = RunRecorder.attach(store, rec.runId)!;
    expect(again.runId).toBe(rec.runId);
  });

  it('says why nothing is saved without storage or without a stored dataset', async () => {
    expect(await RunRecorder.start(null, { datasetId, datasetName: 'd', modelId: 'm', backend: 'cpu', config: { seed: 1 } })).toEqual({
      problem: expect.stringMatching(/no IndexedDB/),
    });
    expect(await RunRecorder.start(store, { datasetId: null, datasetName: 'd', modelId: 'm', backend: 'cpu', config: { seed: 1 } })).toEqual({
      problem: expect.stringMatching(/dataset could not be saved/),
    });
    expect(RunRecorder.attach(null, 'x')).toBeNull();
  });
});
