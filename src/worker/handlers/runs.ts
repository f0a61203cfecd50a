// Runs view: list stored runs with their best metrics, open one (curves + checkpoints), delete it,
// download any checkpoint's adapter, export/import a whole project as one file.
import type { AdapterFile, CheckpointSummary, RunDetail, RunSummary, TrainConfig } from '../../protocol/messages';
import {
  deleteRun,
  exportProject,
  getDataset,
  getRun,
  importProject,
  listCheckpoints,
  listMetrics,
  listRuns,
  readCheckpoint,
  ARCHIVE_EXTENSION,
  type MetricPoint,
  type RunRecord,
  type StudioStore,
} from '../../storage';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import type { HandlerContext } from '../handlerContext';
import { getStudioStore } from '../storageHandle';
import { StudioError } from '../userError';
import { checkpointBlobProblem } from '../../train/checkpointCodec';

async function requireStore(): Promise<StudioStore> {
  const store = await getStudioStore();
  if (!store) throw new StudioError('no-storage', 'Nothing is stored: this browser offers no IndexedDB here.');
  return store;
}

function bestOf(points: readonly MetricPoint[]) {
  let bestValLoss: number | null = null;
  let bestValAccuracy: number | null = null;
  let steps = 0;
  for (const p of points) {
    steps = Math.max(steps, p.step);
    if (p.kind !== 'eval') continue;
    bestValLoss = bestValLoss === null ? p.valLoss : Math.min(bestValLoss, p.valLoss);
    bestValAccuracy = bestValAccuracy === null ? p.valAccuracy : Math.max(bestValAccuracy, p.valAccuracy);
  }
  return { bestValLoss, bestValAccuracy, steps };
}

async function summarizeRun(store: StudioStore, run: RunRecord, points: readonly MetricPoint[], names: Map<string, string>): Promise<RunSummary> {
  if (!names.has(run.datasetId)) names.set(run.datasetId, (await getDataset(store, run.datasetId))?.name ?? '(deleted dataset)');
  const hyper = run.config.hyperparameters as Partial<TrainConfig>;
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    statusMessage: run.statusMessage,
    modelId: run.config.modelId,
    modelRevision: run.config.modelRevision ?? null,
    datasetId: run.datasetId,
    datasetName: names.get(run.datasetId)!,
    backend: run.config.backend,
    createdAt: run.timing.createdAt,
    config: { ...DEFAULT_TRAIN_CONFIG, ...hyper },
    ...bestOf(points),
  };
}

export async function handleListRuns(): Promise<RunSummary[]> {
  const store = await getStudioStore();
  if (!store) return [];
  const names = new Map<string, string>();
  const runs = await listRuns(store);
  return Promise.all(runs.map(async (r) => summarizeRun(store, r, await listMetrics(store, r.id), names)));
}

export async function handleGetRunDetail(args: { runId: string }): Promise<RunDetail> {
  const store = await requireStore();
  const run = await getRun(store, args.runId);
  if (!run) throw new StudioError('not-found', 'That run is no longer stored.');
  const points = await listMetrics(store, run.id);
  const checkpoints: CheckpointSummary[] = (await listCheckpoints(store, run.id)).map((c) => ({
    id: c.id,
    step: c.step,
    kind: c.kind,
    sizeBytes: c.sizeBytes,
    metric: c.metric?.value ?? null,
  }));
  return {
    run: await summarizeRun(store, run, points, new Map()),
    trainPoints: points.flatMap((p) => (p.kind === 'train' ? [{ step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate }] : [])),
    evalPoints: points.flatMap((p) =>
      p.kind === 'eval'
        ? [
            {
              step: p.step,
              epoch: p.epoch,
              valLoss: p.valLoss,
              valAccuracy: p.valAccuracy,
              perplexity: p.perplexity,
              tokenAccuracy: p.tokenAccuracy,
              exactMatch: p.exactMatch,
            },
          ]
        : [],
    ),
    checkpoints,
  };
}

export async function handleDeleteRun(args: { runId: string }, ctx: HandlerContext): Promise<{ bytesFreed: number }> {
  if (ctx.session.training && ctx.session.activeRunId === args.runId) throw new StudioError('busy', 'This run is training; stop it before deleting it.');
  const r = await deleteRun(await requireStore(), args.runId);
  if (!r.ok) throw new StudioError(r.error.code, r.error.message);
  return { bytesFreed: r.value.bytesFreed };
}

export async function handleExportCheckpoint(args: { checkpointId: string }): Promise<AdapterFile> {
  const store = await requireStore();
  const checkpoint = await readCheckpoint(store, args.checkpointId);
  if (!checkpoint) throw new StudioError('not-found', 'That checkpoint is no longer stored.');
  const run = await getRun(store, checkpoint.meta.runId);
  const base = (run?.config.modelId ?? 'adapter').replace(/[^\w.-]+/g, '--');
  return { fileName: `${base}-step${checkpoint.meta.step}-lora-adapter.zip`, bytes: checkpoint.blob.adapter };
}

export async function handleExportProject(args: { datasetId: string }): Promise<AdapterFile> {
  const store = await requireStore();
  const meta = await getDataset(store, args.datasetId);
  const r = await exportProject(store, args.datasetId, Date.now());
  if (!r.ok) throw new StudioError(r.error.code, r.error.message);
  return { fileName: `${(meta?.name ?? 'project').replace(/[^\w.-]+/g, '_')}${ARCHIVE_EXTENSION}`, bytes: r.value };
}

const MAX_PROJECT_FILE_BYTES = 1024 * 2 ** 20;

export async function handleImportProject(args: { file: File }): Promise<{ datasetId: string; runs: number }> {
  if (args.file.size > MAX_PROJECT_FILE_BYTES) {
    throw new StudioError(
      'invalid-archive',
      `This project file is ${Math.round(args.file.size / 2 ** 20)} MB, above the ${MAX_PROJECT_FILE_BYTES / 2 ** 20} MB the studio imports. Nothing was imported.`,
    );
  }
  const r = await importProject(await requireStore(), new Uint8Array(await args.file.arrayBuffer()), { checkBlob: checkpointBlobProblem });
  if (!r.ok) throw new StudioError(r.error.code, r.error.message);
  return { datasetId: r.value.datasetId, runs: r.value.runIds.length };
}
