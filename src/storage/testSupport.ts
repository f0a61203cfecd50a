// Test-only builders: a fresh fake-indexeddb store per test and sample dataset/run/checkpoint inputs.
// Imported by *.test.ts only; nothing in the worker imports it.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createRun, type NewRun } from './runs';
import { saveDataset, type NewDataset } from './datasets';
import { openStudioDb, type OpenOptions, type StudioStore } from './db';
import type { NewCheckpoint } from './checkpoints';
import type { DatasetMeta, RunRecord } from './records';

/** A store on its own in-memory IndexedDB, with readable sequential ids (id-1, id-2...). */
export async function freshStore(options: OpenOptions = {}): Promise<StudioStore & { factory: IDBFactory }> {
  const factory = (options.factory as IDBFactory | undefined) ?? new IDBFactory();
  let next = 0;
  const store = await openStudioDb({ newId: () => `id-${++next}`, ...options, factory });
  return { ...store, factory };
}

export const sampleDataset = (overrides: Partial<NewDataset> = {}): NewDataset => ({
  name: 'sms.csv',
  sizeBytes: 1234,
  createdAt: 1_000,
  contentHash: 'ab'.repeat(32),
  rowCount: 3,
  header: ['text', 'label'],
  columns: { textColumn: 0, labelColumn: 1 },
  report: { warnings: [], labels: { ham: 2, spam: 1 } },
  split: { seed: 42, validationFraction: 0.34, trainCount: 2, validationCount: 1 },
  rows: [
    ['hello there', 'ham'],
    ['WIN A PRIZE', 'spam'],
    ['see you at 5', 'ham'],
  ],
  splitAssignment: { train: [0, 1], validation: [2] },
  ...overrides,
});

export const sampleRun = (datasetId: string, overrides: Partial<NewRun> = {}): NewRun => ({
  datasetId,
  name: 'first run',
  config: { modelId: 'tiny-bert', backend: 'cpu', seed: 7, hyperparameters: { learningRate: 0.001, loraR: 4 } },
  createdAt: 2_000,
  ...overrides,
});

export const sampleCheckpoint = (runId: string, step: number, overrides: Partial<NewCheckpoint> = {}): NewCheckpoint => ({
  runId,
  step,
  kind: 'periodic',
  createdAt: 3_000 + step,
  metric: null,
  adapter: new Uint8Array(64).fill(step % 256),
  optimizer: new Uint8Array(128).fill((step + 1) % 256),
  dataOrder: { epoch: 0, batch: step },
  rngState: step * 31,
  ...overrides,
});

/** Saves a dataset and one run on it; throws if either write fails (test setup only). */
export async function seedRun(store: StudioStore): Promise<{ dataset: DatasetMeta; run: RunRecord }> {
  const dataset = await saveDataset(store, sampleDataset());
  if (!dataset.ok) throw new Error(dataset.error.message);
  const run = await createRun(store, sampleRun(dataset.value.id));
  if (!run.ok) throw new Error(run.error.message);
  return { dataset: dataset.value, run: run.value };
}
