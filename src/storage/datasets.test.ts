// Tests for datasets and deletes: save/list/read rows, lookup by content hash, and deleting a dataset or a
// run with everything under it, reporting the bytes freed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listCheckpoints, writeCheckpoint } from './checkpoints';
import { deleteDataset, findDatasetByHash, getDataset, getDatasetRows, listDatasets, saveDataset, updateDataset } from './datasets';
import type { StudioStore } from './db';
import { appendMetrics, listMetrics } from './metrics';
import { createRun, deleteRun, getRun, listRuns } from './runs';
import { STORES } from './schema';
import { freshStore, sampleCheckpoint, sampleDataset, sampleRun, seedRun } from './testSupport';

let store: StudioStore;
beforeEach(async () => {
  store = await freshStore();
});
afterEach(() => store.db.close());

async function countAll(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of Object.values(STORES)) out[name] = await store.db.count(name);
  return out;
}

describe('datasets', () => {
  it('updates columns and split in place, keeping the rows', async () => {
    const saved = await saveDataset(store, sampleDataset());
    if (!saved.ok) throw new Error(saved.error.message);
    const split = { info: { seed: 7, validationFraction: 0.5, trainCount: 1, validationCount: 2 }, assignment: { train: [1], validation: [0, 2] } };
    const updated = await updateDataset(store, saved.value.id, { columns: { textColumn: 1, labelColumn: 0 }, split });
    if (!updated.ok) throw new Error(updated.error.message);
    expect(await getDataset(store, saved.value.id)).toMatchObject({ columns: { textColumn: 1, labelColumn: 0 }, split: split.info });
    expect(await getDatasetRows(store, saved.value.id)).toEqual({ rows: sampleDataset().rows, split: split.assignment });
    const missing = await updateDataset(store, 'nope', { report: {} });
    expect(missing.ok).toBe(false);
  });

  it('saves meta apart from rows and reads both back', async () => {
    const saved = await saveDataset(store, sampleDataset());
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value).toMatchObject({ name: 'sms.csv', rowCount: 3, columns: { textColumn: 0, labelColumn: 1 } });
    expect(saved.value.storedBytes).toBeGreaterThan(0);
    expect(await listDatasets(store)).toEqual([saved.value]);
    expect(await getDatasetRows(store, saved.value.id)).toEqual({
      rows: sampleDataset().rows,
      split: { train: [0, 1], validation: [2] },
    });
    expect(await findDatasetByHash(store, 'ab'.repeat(32))).toEqual(saved.value);
    expect(await findDatasetByHash(store, 'cd'.repeat(32))).toBeNull();
  });

  it('lists newest first and skips a record that cannot be restored', async () => {
    await saveDataset(store, sampleDataset({ name: 'old', createdAt: 1 }));
    await saveDataset(store, sampleDataset({ name: 'new', createdAt: 2 }));
    // A damaged record (numeric id, no fields) is dropped on read instead of reaching the UI.
    await store.db.put(STORES.datasets, { id: 42 } as never);
    expect(await store.db.count(STORES.datasets)).toBe(3);
    expect((await listDatasets(store)).map((d) => d.name)).toEqual(['new', 'old']);
  });

  it('fills defaults for an old record missing newer fields (lazy upgrade on read)', async () => {
    const t = store.db.transaction(STORES.datasets, 'readwrite');
    await t.store.put({ id: 'legacy', name: 'legacy.csv', createdAt: 5 } as never);
    await t.done;
    expect(await getDataset(store, 'legacy')).toMatchObject({
      id: 'legacy',
      header: [],
      columns: { textColumn: 0, labelColumn: 0 },
      report: null,
      split: null,
    });
  });
});

describe('deletes', () => {
  it('deleting a dataset removes its runs, metrics and checkpoints and reports the bytes freed', async () => {
    const { dataset, run } = await seedRun(store);
    await appendMetrics(store, run.id, [{ kind: 'train', step: 1, epoch: 0, loss: 1, learningRate: 0.1 }]);
    await writeCheckpoint(store, sampleCheckpoint(run.id, 1));
    await writeCheckpoint(store, sampleCheckpoint(run.id, 2));
    const other = await saveDataset(store, sampleDataset({ name: 'keep me' }));
    if (!other.ok) throw new Error('setup');

    const checkpointBytes = (await listCheckpoints(store, run.id)).reduce((s, c) => s + c.sizeBytes, 0);
    const metricBytes = (await store.db.getAll(STORES.metrics)).reduce((s, c) => s + c.approxBytes, 0);
    const report = await deleteDataset(store, dataset.id);
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value.runIds).toEqual([run.id]);
    expect(report.value.checkpointIds).toHaveLength(2);
    expect(report.value.bytesFreed).toBe(dataset.storedBytes + checkpointBytes + metricBytes);
    expect(report.value.bytesFreed).toBeGreaterThan(2 * 192);
    expect(await countAll()).toEqual({
      datasets: 1,
      datasetRows: 1,
      runs: 0,
      metrics: 0,
      checkpoints: 0,
      checkpointBlobs: 0,
    });
    expect(await getDatasetRows(store, other.value.id)).not.toBeNull();
  });

  it('deleting a run keeps the dataset and the other runs', async () => {
    const { dataset, run } = await seedRun(store);
    const other = await createRun(store, sampleRun(dataset.id, { name: 'other' }));
    if (!other.ok) throw new Error('setup');
    await writeCheckpoint(store, sampleCheckpoint(run.id, 1));
    await writeCheckpoint(store, sampleCheckpoint(other.value.id, 1));
    await appendMetrics(store, other.value.id, [{ kind: 'train', step: 1, epoch: 0, loss: 1, learningRate: 0.1 }]);

    const report = await deleteRun(store, run.id);
    expect(report.ok && report.value.bytesFreed).toBeGreaterThanOrEqual(192);
    expect(await getRun(store, run.id)).toBeNull();
    expect((await listRuns(store)).map((r) => r.id)).toEqual([other.value.id]);
    expect(await listCheckpoints(store, other.value.id)).toHaveLength(1);
    expect(await listMetrics(store, other.value.id)).toHaveLength(1);
    expect(await getDataset(store, dataset.id)).not.toBeNull();
  });

  it('reports a missing dataset or run as not-found', async () => {
    const a = await deleteDataset(store, 'nope');
    const b = await deleteRun(store, 'nope');
    expect(a.ok || a.error.code).toBe('not-found');
    expect(b.ok || b.error.code).toBe('not-found');
  });
});
