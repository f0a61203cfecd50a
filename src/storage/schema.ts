// The database's name, version and store names, and the idb schema type that ties stores to records.
// Types and constants only.
import type { DBSchema } from 'idb';
import type { CheckpointBlob, CheckpointMeta, DatasetMeta, DatasetRowsRecord, MetricChunk, RunRecord, RunStatus } from './records';

// DO NOT CHANGE THESE WITHOUT ADDING A MIGRATION (migrations.ts) AND BUMPING DB_VERSION.
// Renaming a store or the database silently orphans every user's saved datasets, runs and checkpoints.
export const DB_NAME = 'finetune-studio';
export const DB_VERSION = 1;
export const STORES = Object.freeze({
  datasets: 'datasets',
  datasetRows: 'datasetRows',
  runs: 'runs',
  metrics: 'metrics',
  checkpoints: 'checkpoints',
  checkpointBlobs: 'checkpointBlobs',
} as const);
export const INDEXES = Object.freeze({
  datasetsByContentHash: 'byContentHash',
  runsByDatasetId: 'byDatasetId',
  runsByStatus: 'byStatus',
  checkpointsByRunId: 'byRunId',
} as const);
// END OF DO NOT CHANGE.

export type StoreName = (typeof STORES)[keyof typeof STORES];

export interface StudioSchema extends DBSchema {
  datasets: { key: string; value: DatasetMeta; indexes: { byContentHash: string } };
  datasetRows: { key: string; value: DatasetRowsRecord };
  runs: { key: string; value: RunRecord; indexes: { byDatasetId: string; byStatus: RunStatus } };
  metrics: { key: [string, number]; value: MetricChunk };
  checkpoints: { key: string; value: CheckpointMeta; indexes: { byRunId: string } };
  checkpointBlobs: { key: string; value: CheckpointBlob };
}

/** For the few transactions that span everything: cascading deletes and project import. */
export const ALL_STORES = [STORES.datasets, STORES.datasetRows, STORES.runs, STORES.metrics, STORES.checkpoints, STORES.checkpointBlobs] as const;
