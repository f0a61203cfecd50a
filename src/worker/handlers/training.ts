// train / resumeRun / stopTraining / exportAdapter: build the tfjs model and LoRA adapter for the loaded base model,
// run the loop on the split (or continue a stored run from its checkpoint), keep the adapter as PEFT files, zip them.
import * as tf from '@tensorflow/tfjs-core';
import type { AdapterFile, LeakageAck, ModelSource, TrainConfig, TrainOutcome } from '../../protocol/messages';
import { currentBackend } from '../../model/backend';
import { tryParseModelConfig } from '../../model/config';
import type { MlmHead } from '../../model/mlmHead';
import { buildPeftLoraConfig, exportPeftAdapter, stringifyPeftConfig } from '../../model/peftAdapter';
import { baseModelEmbedder, evaluateFewShot } from '../../train/fewShot';
import { forgettingMonitor, type ForgettingProbe } from '../../train/forgettingProbe';
import { runTraining, type ResumePoint, type TrainerParts, type TrainingResult } from '../../train/runTraining';
import type { AdapterSnapshot } from '../../train/checkpoints';
import {
  acquireRunLock,
  getRun,
  latestCheckpoint,
  listCheckpoints,
  listMetrics,
  readCheckpoint,
  trimMetricsAfterStep,
  type CheckpointMeta,
  type RunLock,
  type StudioStore,
} from '../../storage';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import { getStudioStore } from '../storageHandle';
import { restoreTable } from './datasetStore';
import { handleLoadModel } from './model';
import { buildAdapterZip, decodeAdapterSnapshot, decodeLoopCheckpoint, encodeOptimizerState } from '../checkpointCodec';
import { buildClassifierParts, buildProbe, prepareClassifierData, type ClassifierData } from '../classifierParts';
import { classifierRunEvents } from '../classifierEvents';
import { disposeLmLive } from '../lmSession';
import { RunRecorder } from '../runRecorder';
import type { LoadedBaseModel, StudioSession } from '../session';
import type { HandlerContext } from '../studio.worker';
import { createTrainSwitch, loopControls, requestPause, requestResume } from '../trainControls';
import { StudioError } from '../userError';
import type { StrategyState } from '../../model/strategy';
import { measureBaselines, verdictFor } from '../baselines';
import { fullModelZip } from '../fullModelZip';

function checkConfig(c: TrainConfig, maxPositions: number): void {
  const bad = (what: string) => {
    throw new StudioError('bad-hyperparameter', what);
  };
  if (!(c.learningRate > 0 && c.learningRate <= 1e4)) bad('The learning rate must be a number above 0 and at most 10000 (typical LoRA values: 1e-4 to 1e-2).');
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1 || c.batchSize > 512) bad('The batch size must be a whole number from 1 to 512.');
  if (!Number.isInteger(c.epochs) || c.epochs < 1 || c.epochs > 1000) bad('Epochs must be a whole number from 1 to 1000.');
  if (!Number.isInteger(c.maxSeqLength) || c.maxSeqLength < 4 || c.maxSeqLength > maxPositions) {
    bad(`Max tokens must be a whole number from 4 to ${maxPositions} (this model's max_position_embeddings).`);
  }
  if (!Number.isInteger(c.loraR) || c.loraR < 1) bad('LoRA rank r must be a whole number of at least 1.');
  if (!(c.loraAlpha > 0)) bad('LoRA alpha must be above 0.');
  if (!(c.loraDropout >= 0 && c.loraDropout < 1)) bad('LoRA dropout must be from 0 to below 1.');
  if (!(c.weightDecay >= 0 && c.weightDecay < 1)) bad('Weight decay must be from 0 to below 1.');
  if (!Number.isInteger(c.evalEverySteps) || c.evalEverySteps < 0) bad('"Validate every N steps" must be 0 (4 times per epoch) or a whole number.');
  if (!Number.isInteger(c.gradAccumSteps) || c.gradAccumSteps < 1 || c.gradAccumSteps > 64) bad('Gradient accumulation must be a whole number from 1 to 64.');
  if (!Number.isInteger(c.patience) || c.patience < 1) bad('Early-stopping patience must be a whole number of at least 1.');
  if (!(c.minDelta >= 0)) bad('Early-stopping min-delta must be 0 or more.');
  if (!Number.isInteger(c.fewShotK) || c.fewShotK < 0) bad('Few-shot k must be 0 (skip) or a whole number.');
  if (!Number.isInteger(c.checkpointEverySteps ?? 0) || (c.checkpointEverySteps ?? 0) < 0) bad('"Checkpoint every N steps" must be 0 (at each validation) or a whole number.');
}

/** The loaded base model, with the config checked against it. */
function requireModel(session: StudioSession, config: TrainConfig): LoadedBaseModel {
  if (!session.table || !session.split) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const base = session.baseModel;
  if (!base) throw new StudioError('no-model', 'Load a base model first.');
  const parsedConfig = tryParseModelConfig(base.configJson);
  if (!parsedConfig.ok) throw new StudioError('unsupported-model', parsedConfig.error);
  checkConfig(config, parsedConfig.value.maxTokens);
  return base;
}

export async function handleTrain(args: { config: TrainConfig; acknowledgedLeakage?: LeakageAck | null }, ctx: HandlerContext): Promise<TrainOutcome> {
  if (ctx.session.training) throw new StudioError('busy', 'A training run is already going.');
  const base = requireModel(ctx.session, args.config);
  return trainClassifier(ctx, base, args.config, { acknowledgedLeakage: args.acknowledgedLeakage ?? null, resume: null });
}

/** A stored run to continue: its id and the loop's resume point (the caller holds the run's lock). */
type ResumeJob = { runId: string; point: ResumePoint };

async function trainClassifier(
  ctx: HandlerContext,
  base: LoadedBaseModel,
  config: TrainConfig,
  opts: { acknowledgedLeakage: LeakageAck | null; resume: ResumeJob | null },
): Promise<TrainOutcome> {
  const { session } = ctx;
  const { resume } = opts;
  if (!session.table) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  ctx.emit({ type: 'status', message: 'Tokenizing…' });
  const data = prepareClassifierData(session, base, config, session.audit?.test ?? []);
  disposeLmLive(session.lmLive); // a classification run replaces the causal-LM playground's decoder (issue 7)
  session.lmLive = null;
  let parts: (TrainerParts & { strategy: StrategyState }) | null = null;
  let probe: ForgettingProbe | null = null;
  let head: MlmHead | null = null;
  let lock: RunLock | null = null;
  session.training = true;
  session.stopRequested = false;
  const sw = createTrainSwitch();
  session.trainSwitch = sw;
  try {
    ctx.emit({ type: 'status', message: 'Building the model…' });
    parts = buildClassifierParts(base, data, config);
    const backend = currentBackend();
    const started = resume
      ? ((await RunRecorder.attach(resume.runId)) ?? { problem: 'This browser offers no IndexedDB here, so the run is not saved.' })
      : await RunRecorder.start({ datasetId: session.table.datasetId, datasetName: session.table.fileName, modelId: base.modelId, backend, config });
    const recorder = started instanceof RunRecorder ? started : null;
    const storageProblem = started instanceof RunRecorder ? null : started.problem;
    // Two tabs must not train the same run (a resumed run's lock is already held by handleResumeRun).
    if (recorder && !resume) lock = await acquireRunLock(recorder.runId);
    if (resume) await recorder?.setStatus('running', null);
    session.activeRunId = recorder?.runId ?? null;
    ctx.emit({ type: 'trainStarted', totalSteps: 0, backend, trainExamples: data.train.length, runId: recorder?.runId ?? null });

    ctx.emit({ type: 'status', message: 'Classical baseline: TF-IDF + logistic regression on the same split…' });
    const baselines = measureBaselines(session, data);
    ctx.emit({ type: 'baselines', ...baselines });
    // A resumed run measured its few-shot baseline when it started.
    const fewShot = !resume && config.fewShotK > 0 && data.validation.length > 0 ? await measureFewShot(parts, data, config, ctx) : null;
    // A model that was never pretrained knows no general English to forget: no probe.
    if (base.pretrained) {
      ctx.emit({ type: 'status', message: 'Measuring the base model on the general-English probe…' });
      ({ probe, head } = await buildProbe(base, parts.model, data, config.maxSeqLength));
      ctx.emit({ type: 'probeInfo', kind: probe.kind, description: probe.description, base: probe.base });
    }
    ctx.emit({ type: 'status', message: `Training on ${backend}; the first step compiles kernels and is slower.` });

    const extraModulesToSave = parts.strategy.extraModulesToSave;
    const adapterConfigJson = stringifyPeftConfig(buildPeftLoraConfig(parts.adapter, { baseModelNameOrPath: base.modelId, taskType: 'SEQ_CLS', extraModulesToSave }));
    const events = classifierRunEvents(ctx, config, data.labelNames, recorder, { modelId: base.modelId, labelNames: data.labelNames, adapterConfigJson });
    const result = await runTraining(
      parts,
      { train: data.train, validation: data.validation, test: data.test.length > 0 ? data.test : undefined, padTokenId: data.padTokenId, numClasses: data.labelNames.length },
      {
        learningRate: config.learningRate,
        batchSize: config.batchSize,
        epochs: config.epochs,
        seed: config.seed,
        evalEverySteps: config.evalEverySteps,
        gradAccumSteps: config.gradAccumSteps,
        lrDecay: config.lrDecay,
        earlyStopping: config.earlyStopping ? { patience: config.patience, minDelta: config.minDelta } : null,
        checkpointEverySteps: config.checkpointEverySteps ?? 0,
      },
      loopControls(session, sw),
      events.callbacks,
      probe ? forgettingMonitor(probe, parts.adapter) : null,
      resume?.point ?? null,
    ).catch(async (e) => {
      // A resume that cannot continue (e.g. the dataset's split changed) leaves the run resumable, not failed.
      await recorder?.setStatus(resume ? 'interrupted' : 'failed', e instanceof Error ? e.message : String(e));
      throw e;
    });

    if (result.steps > 0) await keepTrainedAdapter(session, base, data, parts, recorder, result);
    const strategy = parts.strategy.strategy;
    const best = result.steps > 0 ? bestMetrics(result) : null;
    const verdict = verdictFor(best, baselines, data.labelNames, strategy, base.pretrained);
    const stopped = result.status === 'stopped' ? 'stopped early by you.' : result.status === 'early-stopped' ? `early-stopped; best step ${result.bestStep}.` : null;
    await recorder?.setStatus('finished', [stopped, verdict?.sentence].filter(Boolean).join(' ') || null);
    return {
      status: result.status,
      steps: result.steps,
      finalTrainLoss: result.finalTrainLoss,
      bestValLoss: result.bestValLoss,
      meanStepMs: result.meanStepMs,
      tokensPerSec: result.tokensPerSec,
      bestStep: result.bestStep,
      restoredBest: result.restoredBest,
      paddingWaste: result.paddingWaste,
      diagnostics: result.diagnostics,
      test: result.test ? { loss: result.test.loss, accuracy: result.test.metrics.accuracy, macroF1: result.test.metrics.macroF1, examples: data.test.length } : null,
      fewShot,
      backend,
      runId: recorder?.runId ?? null,
      storageProblem: storageProblem ?? recorder?.problem ?? null,
      acknowledgedLeakage: opts.acknowledgedLeakage,
      resumedFromStep: resume?.point.loop.stepsDone ?? null,
      classical: baselines.classical,
      majority: baselines.majority,
      verdict,
      strategy,
      best: best ? { accuracy: best.accuracy, macroF1: best.macroF1 } : null,
    };
  } finally {
    lock?.release();
    probe?.dispose();
    head?.dispose();
    parts?.optimizer.dispose();
    parts?.adapter.dispose();
    parts?.model.dispose();
    session.training = false;
    session.trainSwitch = null;
    session.activeRunId = null;
    session.stopRequested = false;
    console.debug('tensors after run', tf.memory().numTensors);
  }
}

async function measureFewShot(parts: TrainerParts, data: ClassifierData, config: TrainConfig, ctx: HandlerContext) {
  ctx.emit({ type: 'status', message: `Few-shot baseline: nearest class centroid from ${config.fewShotK} examples per class…` });
  const r = await evaluateFewShot(baseModelEmbedder(parts.model, { batchSize: config.batchSize, padTokenId: data.padTokenId }), data.train, data.validation, {
    k: config.fewShotK,
    seed: config.seed,
    numClasses: data.labelNames.length,
  });
  const fewShot = { k: r.k, accuracy: r.accuracy, macroF1: r.macroF1 };
  ctx.emit({ type: 'fewShot', ...fewShot });
  return fewShot;
}

/** The metrics of the evaluation the adapter was restored to (the best), else the last one. */
function bestMetrics(result: TrainingResult) {
  const evals = result.history.evals.filter((e) => e.step > 0);
  return (result.bestStep !== null ? evals.find((e) => e.step === result.bestStep) : undefined)?.metrics ?? evals.at(-1)?.metrics ?? null;
}

/** Serialises the (best, restored) adapter for download and writes it as the run's checkpoint. */
async function keepTrainedAdapter(
  session: StudioSession,
  base: LoadedBaseModel,
  data: ClassifierData,
  parts: TrainerParts & { strategy: StrategyState },
  recorder: RunRecorder | null,
  result: TrainingResult,
): Promise<void> {
  const { modelId } = base;
  const { labelNames } = data;
  const files = await exportPeftAdapter(parts.adapter, { baseModelNameOrPath: modelId, taskType: 'SEQ_CLS', extraModulesToSave: parts.strategy.extraModulesToSave });
  session.trained = { modelId, labelNames, adapterConfigJson: files['adapter_config.json'], adapterSafetensors: files['adapter_model.safetensors'] };
  if (parts.strategy.fullModel) session.trained.fullModelZip = await fullModelZip(base, parts.model.family, labelNames, parts.adapter);
  await recorder?.checkpoint({
    step: result.restoredBest && result.bestStep !== null ? result.bestStep : result.steps,
    kind: result.restoredBest ? 'best' : 'periodic',
    metric: result.bestValLoss === null ? null : { name: 'val_loss', value: result.bestValLoss, goal: 'min' },
    adapter: buildAdapterZip(session.trained),
    optimizer: encodeOptimizerState(await parts.optimizer.getState()),
    dataOrder: { stepsDone: result.steps },
    rngState: { seed: 0 },
  });
}

export async function handlePauseTraining(_args: Record<string, never>, ctx: HandlerContext): Promise<null> {
  requestPause(ctx.session.trainSwitch);
  return null;
}

export async function handleResumeTraining(args: { learningRate?: number }, ctx: HandlerContext): Promise<null> {
  if (args.learningRate !== undefined && !(args.learningRate > 0 && args.learningRate <= 1e4)) {
    throw new StudioError('bad-hyperparameter', 'The learning rate must be above 0.');
  }
  requestResume(ctx.session.trainSwitch, args.learningRate ? { learningRate: args.learningRate } : undefined);
  return null;
}

export async function handleStopTraining(_args: Record<string, never>, ctx: HandlerContext): Promise<null> {
  if (!ctx.session.training) return null;
  ctx.session.stopRequested = true;
  requestResume(ctx.session.trainSwitch); // a paused loop wakes up and sees the stop
  return null;
}

export async function handleExportAdapter(_args: Record<string, never>, ctx: HandlerContext): Promise<AdapterFile> {
  const run = ctx.session.trained;
  if (!run) throw new StudioError('no-adapter', 'Train an adapter first; there is nothing to download yet.');
  const zip = run.lmZip ?? run.fullModelZip ?? buildAdapterZip(run); // causal-LM and full fine-tuning runs carry their own zip
  const kind = run.lmZip ? 'causal-lm-lora-adapter' : run.fullModelZip ? 'full-model' : 'lora-adapter';
  return { fileName: `${run.modelId.replace(/[^\w.-]+/g, '--')}-${kind}.zip`, bytes: zip.slice() };
}

/**
 * Continues a stored interrupted or paused run from its latest checkpoint: reopens its dataset and split, loads its
 * base model (hub models come from the browser cache), drops metric points after the checkpoint, sends the kept
 * points to the page, and trains on with the same data order, optimizer moments and lr schedule.
 */
export async function handleResumeRun(args: { runId: string; source: ModelSource | null }, ctx: HandlerContext): Promise<TrainOutcome> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'A training run is already going.');
  const store = await getStudioStore();
  if (!store) throw new StudioError('no-storage', 'Nothing is stored: this browser offers no IndexedDB here.');
  const run = await getRun(store, args.runId);
  if (!run) throw new StudioError('not-found', 'That run is no longer stored.');
  if (run.status !== 'interrupted' && run.status !== 'paused') {
    throw new StudioError('not-resumable', `This run is ${run.status}; only interrupted or paused runs can be resumed.`);
  }
  const lock = await acquireRunLock(run.id);
  if (!lock) throw new StudioError('run-locked', 'Another tab is training this run right now; continue it there, or close that tab first.');
  try {
    const latest = await latestCheckpoint(store, run.id);
    if (!latest) throw new StudioError('no-checkpoint', 'This run stopped before its first checkpoint, so there is nothing to resume from; start a new run instead.');
    const stored = await readCheckpoint(store, latest.id);
    const decoded = stored && decodeLoopCheckpoint(stored.blob, latest.step);
    if (!decoded) throw new StudioError('bad-checkpoint', `The checkpoint at step ${latest.step} cannot be resumed from (it holds no training state); start a new run instead.`);
    const best = latest.kind === 'best' ? { step: latest.step, weights: decoded.state.weights } : await bestAdapterBefore(store, run.id, latest);

    if (session.table?.datasetId !== run.datasetId || !session.split) {
      ctx.emit({ type: 'status', message: 'Reopening the dataset…' });
      await restoreTable(session, run.datasetId);
    }
    if (!session.split) throw new StudioError('no-data', "The run's dataset has no stored split; open it and make the split again, then start a new run.");
    const modelId = run.config.modelId;
    if (session.baseModel?.modelId !== modelId) {
      const sourceId = args.source ? (args.source.kind === 'hub' ? args.source.modelId : args.source.name) : null;
      if (!args.source || sourceId !== modelId) throw new StudioError('no-model', `Load the run's base model (${modelId}) first, then resume.`);
      ctx.emit({ type: 'status', message: `Loading ${modelId}…` });
      await handleLoadModel({ source: args.source }, ctx);
    }
    const { extra: _extra, ...hyper } = run.config.hyperparameters as Partial<TrainConfig> & { extra?: unknown };
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...hyper };
    const base = requireModel(session, config);

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
    return await trainClassifier(ctx, base, config, { acknowledgedLeakage: null, resume: { runId: run.id, point: { ...decoded, best } } });
  } finally {
    lock.release();
  }
}

/** The best adapter stored at or before `latest` (restored at the end of the run if nothing later beats it). */
async function bestAdapterBefore(store: StudioStore, runId: string, latest: CheckpointMeta): Promise<AdapterSnapshot | null> {
  const meta = (await listCheckpoints(store, runId)).filter((c) => c.kind === 'best' && c.step <= latest.step).at(-1);
  const stored = meta && (await readCheckpoint(store, meta.id));
  return stored ? decodeAdapterSnapshot(stored.blob.adapter, stored.meta.step) : null;
}
