// The studio's Web Worker: owns the data, tokenizer, model and training; the table of handlers, one per request
// kind, and the dispatcher (dispatch.ts) that runs them and posts results, failures and events. No React, no DOM.
import type { ToWorker } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/messages';
import { handleParseFile, handleSetColumns, handleSplit } from './handlers/dataset';
import { handleApplyFixes, handleCleanedCsv } from './handlers/fixes';
import { handleGetRows, handleQualityReport } from './handlers/quality';
import { handleImportValidation, handleSemanticTwins } from './handlers/semantic';
import { handleDeleteDataset, handleListDatasets, handleOpenDataset, handleStorageInfo } from './handlers/library';
import { handleBenchData, handleBenchmark } from './handlers/benchmark';
import { handleKernelCheck } from './handlers/kernelCheck';
import { handleSearch } from './handlers/search';
import { handleLoadModel } from './handlers/model';
import { handleEstimateModel } from './handlers/modelEstimate';
import { handleDeleteRun, handleExportCheckpoint, handleExportProject, handleGetRunDetail, handleImportProject, handleListRuns } from './handlers/runs';
import {
  handleExportAdapter,
  handlePauseTraining,
  handleResumeRun,
  handleResumeTraining,
  handleStopTraining,
  handleTrain,
  handleTrainLm,
} from './handlers/training';
import { handleSetBackend } from './handlers/backend';
import { handleLmData } from './handlers/lmData';
import { handleFewShot } from './handlers/lmFewShot';
import { handleGenerate, handleStopGenerate } from './handlers/lmGenerate';
import { handleRecipeData } from './handlers/recipe';
import { handleImportAdapter } from './handlers/importAdapter';
import { handleImportModel } from './handlers/importModel';
import { handleClassify } from './handlers/classify';
import { handleDebugFault } from './handlers/debugFault';
import { StudioSession } from './session';
import { holdLivenessLock } from './liveness';
import { createDispatcher, type Handlers, type Post } from './dispatch';

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
  kernelCheck: handleKernelCheck,
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
  importModel: handleImportModel,
  classify: handleClassify,
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
  debugFault: handleDebugFault,
};

const post: Post = (msg, transfer = []) => self.postMessage(msg, { transfer });
const dispatch = createDispatcher(HANDLERS, new StudioSession(), post);

self.onmessage = (e: MessageEvent<ToWorker>) => void dispatch(e.data);

post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
holdLivenessLock(post);
