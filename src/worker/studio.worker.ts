// The studio's Web Worker: owns the data, tokenizer, model and training; routes each typed request
// to its handler and posts results, failures and events. No React, no DOM.
import type { FromWorker, RequestKind, Requests, ToWorker, WorkerEvent } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/messages';
import { handleParseFile, handleSetColumns, handleSplit } from './handlers/dataset';
import { handleApplyFixes, handleCleanedCsv } from './handlers/fixes';
import { handleGetRows, handleQualityReport } from './handlers/quality';
import { handleImportValidation, handleSemanticTwins } from './handlers/semantic';
import { handleDeleteDataset, handleListDatasets, handleOpenDataset, handleStorageInfo } from './handlers/library';
import { handleBenchData, handleBenchmark } from './handlers/benchmark';
import { handleSearch } from './handlers/search';
import { handleLoadModel } from './handlers/model';
import { handleEstimateModel } from './handlers/modelEstimate';
import { handleDeleteRun, handleExportCheckpoint, handleExportProject, handleGetRunDetail, handleImportProject, handleListRuns } from './handlers/runs';
import { handleExportAdapter, handlePauseTraining, handleResumeRun, handleResumeTraining, handleStopTraining, handleTrain } from './handlers/training';
import { handleSetBackend } from './handlers/backend';
import { handleLmData } from './handlers/lmData';
import { handleTrainLm } from './handlers/lmTraining';
import { handleFewShot } from './handlers/lmFewShot';
import { handleGenerate, handleStopGenerate } from './handlers/lmGenerate';
import { handleRecipeData } from './handlers/recipe';
import { handleImportAdapter } from './handlers/importAdapter';
import { StudioSession } from './session';
import { toUserError } from './userError';

export type HandlerContext = { session: StudioSession; emit(event: WorkerEvent): void };
type Handlers = { [K in RequestKind]: (args: Requests[K]['args'], ctx: HandlerContext) => Promise<Requests[K]['result']> };

const HANDLERS: Handlers = {
  setBackend: handleSetBackend,
  parseFile: handleParseFile,
  setColumns: handleSetColumns,
  split: handleSplit,
  listDatasets: handleListDatasets,
  openDataset: handleOpenDataset,
  deleteDataset: handleDeleteDataset,
  storageInfo: handleStorageInfo,
  listRuns: handleListRuns,
  getRunDetail: handleGetRunDetail,
  deleteRun: handleDeleteRun,
  exportCheckpoint: handleExportCheckpoint,
  exportProject: handleExportProject,
  importProject: handleImportProject,
  benchmark: handleBenchmark,
  benchData: handleBenchData,
  loadModel: handleLoadModel,
  estimateModel: handleEstimateModel,
  train: handleTrain,
  stopTraining: handleStopTraining,
  pauseTraining: handlePauseTraining,
  resumeTraining: handleResumeTraining,
  resumeRun: handleResumeRun,
  search: handleSearch,
  exportAdapter: handleExportAdapter,
  recipeData: handleRecipeData,
  importAdapter: handleImportAdapter,
  qualityReport: handleQualityReport,
  applyFixes: handleApplyFixes,
  getRows: handleGetRows,
  cleanedCsv: handleCleanedCsv,
  semanticTwins: handleSemanticTwins,
  importValidation: handleImportValidation,
  lmData: handleLmData,
  trainLm: handleTrainLm,
  fewShot: handleFewShot,
  generate: handleGenerate,
  stopGenerate: handleStopGenerate,
};

const post = (msg: FromWorker, transfer: Transferable[] = []) => self.postMessage(msg, { transfer });
const ctx: HandlerContext = { session: new StudioSession(), emit: (event) => post({ type: 'event', event }) };

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type !== 'request') return;
  const handler = HANDLERS[msg.kind] as (args: unknown, ctx: HandlerContext) => Promise<unknown>;
  try {
    const result = await handler(msg.args, ctx);
    const transfer = result && typeof result === 'object' && 'bytes' in result && result.bytes instanceof Uint8Array ? [result.bytes.buffer] : [];
    post({ type: 'result', requestId: msg.requestId, result }, transfer);
  } catch (err) {
    console.error(err);
    post({ type: 'failure', requestId: msg.requestId, error: toUserError(err) });
  }
};

post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
