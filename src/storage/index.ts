// The storage room's public API, for the worker only: open the database, then call the repositories.
// The tx() helper, migrations internals and cascade helpers stay private to this folder.
export { DB_NAME, DB_VERSION, STORES } from './schema';
export { openStudioDb, type OpenOptions, type StudioStore } from './db';
export type * from './records';
export { isQuotaExceededError, type StorageError, type StorageErrorCode } from './errors';
export { formatBytes } from './bytes';
export { sha256Hex } from './hash';
export type { DeleteReport } from './cascade';
export {
  saveDataset,
  listDatasets,
  getDataset,
  findDatasetByHash,
  getDatasetRows,
  deleteDataset,
  updateDataset,
  type DatasetPatch,
  type NewDataset,
  type DatasetContent,
} from './datasets';
export { createRun, getRun, listRuns, updateRunStatus, addRunDiagnostics, markInterruptedRuns, deleteRun, type NewRun, type StatusChange } from './runs';
export { canChangeStatus } from './runStatus';
export { appendMetrics, listMetrics, trimMetricsAfterStep } from './metrics';
export {
  writeCheckpoint,
  listCheckpoints,
  latestCheckpoint,
  readCheckpoint,
  deleteCheckpoint,
  type NewCheckpoint,
  type CheckpointWrite,
  type Checkpoint,
} from './checkpoints';
export { DEFAULT_RETENTION, checkpointsToPrune, type RetentionPolicy } from './retention';
export { checkpointUsageByRun, type RunUsage } from './usage';
export { storageHealth, requestPersistence, type StorageHealth, type StorageManagerLike } from './health';
export { acquireRunLock, type RunLock, type LockManagerLike } from './runLock';
export { exportProject, importProject, type ImportReport } from './projectArchive';
export { ARCHIVE_EXTENSION, ARCHIVE_SCHEMA_VERSION } from './archiveFormat';
export { RunRecorder } from './runRecorder';
