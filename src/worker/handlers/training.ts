// train / stopTraining / exportAdapter: build the tfjs model and LoRA adapter for the loaded base model,
// run the loop on the split, keep the adapter as PEFT files, and zip them for download.
import * as tf from '@tensorflow/tfjs-core';
import type { AdapterFile, LeakageAck, TrainConfig, TrainOutcome } from '../../protocol/messages';
import { currentBackend } from '../../model/backend';
import { tryParseModelConfig } from '../../model/config';
import type { MlmHead } from '../../model/mlmHead';
import { exportPeftAdapter } from '../../model/peftAdapter';
import { baseModelEmbedder, evaluateFewShot } from '../../train/fewShot';
import { forgettingMonitor, type ForgettingProbe } from '../../train/forgettingProbe';
import { runTraining, type TrainerParts, type TrainingResult } from '../../train/runTraining';
import { buildAdapterZip, encodeOptimizerState } from '../checkpointCodec';
import { buildClassifierParts, buildProbe, prepareClassifierData, type ClassifierData } from '../classifierParts';
import { classifierRunEvents } from '../classifierEvents';
import { disposeLmLive } from '../lmSession';
import { RunRecorder } from '../runRecorder';
import type { StudioSession } from '../session';
import type { HandlerContext } from '../studio.worker';
import { createTrainSwitch, loopControls, requestPause, requestResume } from '../trainControls';
import { StudioError } from '../userError';

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
}

export async function handleTrain(args: { config: TrainConfig; acknowledgedLeakage?: LeakageAck | null }, ctx: HandlerContext): Promise<TrainOutcome> {
  const { session } = ctx;
  const { config } = args;
  if (session.training) throw new StudioError('busy', 'A training run is already going.');
  if (!session.table || !session.split) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const base = session.baseModel;
  if (!base) throw new StudioError('no-model', 'Load a base model first.');
  const parsedConfig = tryParseModelConfig(base.configJson);
  if (!parsedConfig.ok) throw new StudioError('unsupported-model', parsedConfig.error);
  checkConfig(config, parsedConfig.value.maxTokens);

  ctx.emit({ type: 'status', message: 'Tokenizing…' });
  const data = prepareClassifierData(session, base, config, session.audit?.test ?? []);
  disposeLmLive(session.lmLive); // a classification run replaces the causal-LM playground's decoder (issue 7)
  session.lmLive = null;
  let parts: TrainerParts | null = null;
  let probe: ForgettingProbe | null = null;
  let head: MlmHead | null = null;
  session.training = true;
  session.stopRequested = false;
  const sw = createTrainSwitch();
  session.trainSwitch = sw;
  try {
    ctx.emit({ type: 'status', message: 'Building the model…' });
    parts = buildClassifierParts(base, data, config);
    const backend = currentBackend();
    const started = await RunRecorder.start({ datasetId: session.table.datasetId, datasetName: session.table.fileName, modelId: base.modelId, backend, config });
    const recorder = started instanceof RunRecorder ? started : null;
    const storageProblem = started instanceof RunRecorder ? null : started.problem;
    session.activeRunId = recorder?.runId ?? null;
    ctx.emit({ type: 'trainStarted', totalSteps: 0, backend, trainExamples: data.train.length, runId: recorder?.runId ?? null });

    const fewShot = config.fewShotK > 0 && data.validation.length > 0 ? await measureFewShot(parts, data, config, ctx) : null;
    ctx.emit({ type: 'status', message: 'Measuring the base model on the general-English probe…' });
    ({ probe, head } = await buildProbe(base, parts.model, data, config.maxSeqLength));
    ctx.emit({ type: 'probeInfo', kind: probe.kind, description: probe.description, base: probe.base });
    ctx.emit({ type: 'status', message: `Training on ${backend}; the first step compiles kernels and is slower.` });

    const events = classifierRunEvents(ctx, config, data.labelNames, recorder);
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
      },
      loopControls(session, sw),
      events.callbacks,
      forgettingMonitor(probe, parts.adapter),
    ).catch(async (e) => {
      await recorder?.setStatus('failed', e instanceof Error ? e.message : String(e));
      throw e;
    });

    if (result.steps > 0) await keepTrainedAdapter(session, base.modelId, data.labelNames, parts, recorder, result);
    const message = result.status === 'stopped' ? 'stopped early by you' : result.status === 'early-stopped' ? `early-stopped; best step ${result.bestStep}` : null;
    await recorder?.setStatus('finished', message);
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
      acknowledgedLeakage: args.acknowledgedLeakage ?? null,
    };
  } finally {
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

/** Serialises the (best, restored) adapter for download and writes it as the run's checkpoint. */
async function keepTrainedAdapter(
  session: StudioSession,
  modelId: string,
  labelNames: string[],
  parts: TrainerParts,
  recorder: RunRecorder | null,
  result: TrainingResult,
): Promise<void> {
  const files = await exportPeftAdapter(parts.adapter, { baseModelNameOrPath: modelId, taskType: 'SEQ_CLS' });
  session.trained = { modelId, labelNames, adapterConfigJson: files['adapter_config.json'], adapterSafetensors: files['adapter_model.safetensors'] };
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
  const zip = run.lmZip ?? buildAdapterZip(run); // causal-LM runs carry their own zip (lmTraining.ts)
  return { fileName: `${run.modelId.replace(/[^\w.-]+/g, '--')}-${run.lmZip ? 'causal-lm-' : ''}lora-adapter.zip`, bytes: zip.slice() };
}
