// Schema migrations, one per version step: MIGRATIONS[i] takes the database from version i to i + 1.
// Runs inside the versionchange transaction; a step that throws aborts the upgrade and the old data stays.
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { INDEXES, STORES } from './schema';

export type UpgradeDb = IDBPDatabase<unknown>;
export type UpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;

/** One version step. It may await IndexedDB requests on `tx`, but nothing else (the transaction would commit). */
export type Migration = {
  toVersion: number;
  describe: string;
  migrate(db: UpgradeDb, tx: UpgradeTx): void | Promise<void>;
};

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    toVersion: 1,
    describe: 'datasets, runs, metric chunks and checkpoints, metadata apart from blobs',
    migrate(db) {
      const datasets = db.createObjectStore(STORES.datasets, { keyPath: 'id' });
      datasets.createIndex(INDEXES.datasetsByContentHash, 'contentHash');
      db.createObjectStore(STORES.datasetRows, { keyPath: 'datasetId' });
      const runs = db.createObjectStore(STORES.runs, { keyPath: 'id' });
      runs.createIndex(INDEXES.runsByDatasetId, 'datasetId');
      runs.createIndex(INDEXES.runsByStatus, 'status');
      db.createObjectStore(STORES.metrics, { keyPath: ['runId', 'seq'] });
      const checkpoints = db.createObjectStore(STORES.checkpoints, { keyPath: 'id' });
      checkpoints.createIndex(INDEXES.checkpointsByRunId, 'runId');
      db.createObjectStore(STORES.checkpointBlobs, { keyPath: 'checkpointId' });
    },
  },
]);

/** Runs the steps after `oldVersion` up to `newVersion`, in order, one version at a time. */
export async function runMigrations(db: UpgradeDb, tx: UpgradeTx, oldVersion: number, newVersion: number, migrations: readonly Migration[]): Promise<void> {
  for (let version = oldVersion + 1; version <= newVersion; version++) {
    const step = migrations[version - 1];
    if (!step || step.toVersion !== version) throw new Error(`no migration to schema version ${version}`);
    await step.migrate(db, tx);
  }
}
