// The part of a training job every task shares: the run record (new, or the stored run a resume continues), the
// Web Lock per run, the trainStarted event, the loop with its events and checkpoints, and the failure status.
import type { BackendName, TrainConfig } from '../protocol/messages';
import { acquireRunLock, type JsonValue, type RunLock } from '../storage';
import type { AdapterZipper } from '../train/checkpointCodec';
import {
  buildLoopConfig,
  DeviceLostError,
  runLoop,
  type EvalEvent,
  type ForgettingMonitor,
  type ResumePoint,
  type TrainingResult,
  type TrainTask,
} from '../train/loop';
import type { EvalPoint } from '../protocol/messages';
import type { HandlerContext } from './handlerContext';
import { runEvents } from './runEvents';
import { RunRecorder } from '../storage';
import { getStudioStore } from './storageHandle';
import type { TrainJob } from './trainJob';

/** A stored run to continue: its id and the loop's resume point (the caller holds the run's lock). */
export type ResumeJob<M> = { runId: string; point: ResumePoint<M> };

export type RecordedRunSpec<B, M> = {
  task: TrainTask<B, M>;
  config: TrainConfig;
  backend: BackendName;
  /** The base model has random weights (not pretrained): early stopping waits for a first improvement. */
  untrainedStart?: boolean;
  /** What a new run record says; ignored on resume. */
  record: { datasetId: string | null; datasetName: string; modelId: string; modelRevision?: string | null; extra?: JsonValue };
  resume: ResumeJob<M> | null;
  zipAdapter: AdapterZipper;
  evalPoint(e: EvalEvent<M>): EvalPoint;
  onEval?(e: EvalEvent<M>): void;
  /** Runs after trainStarted (few-shot baseline, forgetting probe); returns the probe the loop measures. */
  prepare(): Promise<ForgettingMonitor | null>;
  /** A sentence for the run's final status (e.g. the verdict against the baselines), read after finish. */
  finishedNote?(): string | null;
};

/** storageProblem: the first storage problem so far (read it last: the final checkpoint may add one). */
export type RecordedRun<M> = { result: TrainingResult<M>; recorder: RunRecorder | null; storageProblem(): string | null };

/** Runs the loop for `spec`; `finish` stores the final adapter while the run's lock is still held. */
export async function runRecorded<B, M, R>(
  ctx: HandlerContext,
  job: TrainJob,
  spec: RecordedRunSpec<B, M>,
  finish: (run: RecordedRun<M>) => Promise<R>,
): Promise<R> {
  const { resume, config } = spec;
  let lock: RunLock | null = null;
  try {
    const store = await getStudioStore();
    const started = resume
      ? (RunRecorder.attach(store, resume.runId) ?? { problem: 'This browser offers no IndexedDB here, so the run is not saved.' })
      : await RunRecorder.start(store, { ...spec.record, backend: spec.backend, config: config as TrainConfig & Record<string, JsonValue> });
    const recorder = started instanceof RunRecorder ? started : null;
    const storageProblem = started instanceof RunRecorder ? null : started.problem;
    // Two tabs must not train the same run (a resumed run's lock is already held by the resume handler).
    if (recorder && !resume) lock = await acquireRunLock(recorder.runId);
    if (resume) await recorder?.setStatus('running', null, spec.backend); // a resume may continue on another backend
    job.runId = recorder?.runId ?? null;
    ctx.emit({ type: 'trainStarted', totalSteps: 0, backend: spec.backend, trainExamples: spec.task.trainLengths.length, runId: job.runId });
    const probe = await spec.prepare();
    const events = runEvents(ctx, { epochs: config.epochs, recorder, zipAdapter: spec.zipAdapter, evalPoint: spec.evalPoint, onEval: spec.onEval });
    const result = await runLoop(
      spec.task,
      buildLoopConfig(config, { untrainedStart: spec.untrainedStart }),
      job.controls(),
      events,
      probe,
      resume?.point ?? null,
    ).catch(async (e) => {
      if (e instanceof DeviceLostError) {
        // Resumable from its last checkpoint (on another backend): see gpuLossRecovery.ts.
        e.runId = recorder?.runId ?? null;
        await recorder?.setStatus('paused', e.message);
        throw e;
      }
      // A resume that cannot continue (e.g. the dataset's split changed) leaves the run resumable, not failed.
      await recorder?.setStatus(resume ? 'interrupted' : 'failed', e instanceof Error ? e.message : String(e));
      throw e;
    });
    const out = await finish({ result, recorder, storageProblem: () => storageProblem ?? recorder?.problem ?? null });
    const message =
      result.status === 'stopped' ? 'stopped early by you' : result.status === 'early-stopped' ? `early-stopped; best step ${result.bestStep}` : null;
    await recorder?.setStatus('finished', [message, spec.finishedNote?.() ?? null].filter(Boolean).join('. ') || null);
    return out;
  } finally {
    lock?.release();
  }
}

/** The final adapter's checkpoint record fields (the run is over: no loop state to resume from). */
export const finalCheckpointMeta = (result: TrainingResult<unknown>) => ({
  step: result.restoredBest && result.bestStep !== null ? result.bestStep : result.steps,
  kind: result.restoredBest ? ('best' as const) : ('periodic' as const),
  metric: result.bestValLoss === null ? null : { name: 'val_loss', value: result.bestValLoss, goal: 'min' as const },
});
