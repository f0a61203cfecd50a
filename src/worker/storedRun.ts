// Opens a stored interrupted or paused run for a resume: takes its Web Lock, decodes its latest checkpoint (and
// the best adapter before it), reopens its dataset and base model, trims metric points after the checkpoint and
// sends the kept ones to the page. The caller trains on and then releases the lock.
import type { ModelSource } from '../protocol/messages';
import {
  acquireRunLock,
  getRun,
  latestCheckpoint,
  listCheckpoints,
  listMetrics,
  readCheckpoint,
  trimMetricsAfterStep,
  type CheckpointMeta,
  type RunRecord,
  type StudioStore,
} from '../storage';
import type { AdapterSnapshot, TrainState } from '../train/checkpoints';
import { decodeAdapterSnapshot, decodeLoopCheckpoint } from '../train/checkpointCodec';
import type { LoopState, ResumePoint } from '../train/loop';
import { restoreTable } from './datasetStore';
import type { HandlerContext } from './handlerContext';
import { loadBaseModel } from './modelLoader';
import { bankUsable } from '../model/weightBank';
import { getStudioStore } from './storageHandle';
import { StudioError } from './userError';

export type StoredRun = {
  run: RunRecord;
  /** The loop's resume point (its metric type is the run's task's: the caller knows which). */
  point<M>(): ResumePoint<M>;
  release(): void;
};

export async function openStoredRun(ctx: HandlerContext, runId: string, source: ModelSource | null): Promise<StoredRun> {
  const { session } = ctx;
  const store = await getStudioStore();
  if (!store) throw new StudioError('no-storage', 'Nothing is stored: this browser offers no IndexedDB here.');
  const run = await getRun(store, runId);
  if (!run) throw new StudioError('not-found', 'That run is no longer stored.');
  if (run.status !== 'interrupted' && run.status !== 'paused') {
    throw new StudioError('not-resumable', `This run is ${run.status}; only interrupted or paused runs can be resumed.`);
  }
  const lock = await acquireRunLock(run.id);
  if (!lock) throw new StudioError('run-locked', 'Another tab is training this run right now; continue it there, or close that tab first.');
  try {
    const latest = await latestCheckpoint(store, run.id);
    if (!latest)
      throw new StudioError('no-checkpoint', 'This run stopped before its first checkpoint, so there is nothing to resume from; start a new run instead.');
    const stored = await readCheckpoint(store, latest.id);
    const decoded = stored && decodeLoopCheckpoint<unknown>(stored.blob, latest.step);
    if (!decoded)
      throw new StudioError(
        'bad-checkpoint',
        `The checkpoint at step ${latest.step} cannot be resumed from (it holds no training state); start a new run instead.`,
      );
    const best = latest.kind === 'best' ? { step: latest.step, weights: decoded.state.weights } : await bestAdapterBefore(store, run.id, latest);

    if (session.table?.datasetId !== run.datasetId || !session.split) {
      ctx.emit({ type: 'status', message: 'Reopening the dataset…' });
      await restoreTable(session, run.datasetId);
    }
    const modelId = run.config.modelId;
    if (session.baseModel?.modelId !== modelId || !bankUsable(session.baseModel.weights)) {
      const sourceId = source ? (source.kind === 'hub' ? source.modelId : source.name) : null;
      if (!source || sourceId !== modelId) throw new StudioError('no-model', `Load the run's base model (${modelId}) first, then resume.`);
      ctx.emit({ type: 'status', message: `Loading ${modelId}…` });
      await loadBaseModel({ source }, ctx);
    }
    // Points logged after the checkpoint are redone: drop them so the curve has no duplicated steps.
    const trimmed = await trimMetricsAfterStep(store, run.id, latest.step);
    if (!trimmed.ok) throw new StudioError(trimmed.error.code, trimmed.error.message);
    const points = await listMetrics(store, run.id);
    ctx.emit({
      type: 'runHistory',
      runId: run.id,
      trainPoints: points.flatMap((p) => (p.kind === 'train' ? [{ step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate }] : [])),
      evalPoints: points.flatMap((p) => (p.kind === 'eval' ? [{ step: p.step, epoch: p.epoch, valLoss: p.valLoss, valAccuracy: p.valAccuracy }] : [])),
    });
    const point = <M>(): ResumePoint<M> => ({ state: decoded.state as TrainState, loop: decoded.loop as LoopState<M>, best });
    return { run, point, release: () => lock.release() };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** The best adapter stored at or before `latest` (restored at the end of the run if nothing later beats it). */
async function bestAdapterBefore(store: StudioStore, runId: string, latest: CheckpointMeta): Promise<AdapterSnapshot | null> {
  const meta = (await listCheckpoints(store, runId)).filter((c) => c.kind === 'best' && c.step <= latest.step).at(-1);
  const stored = meta && (await readCheckpoint(store, meta.id));
  return stored ? decodeAdapterSnapshot(stored.blob.adapter, stored.meta.step) : null;
}
