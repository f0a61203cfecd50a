// train / stopTraining / exportAdapter: build the tfjs model and LoRA adapter for the loaded base model,
// run the loop on the split, keep the adapter as PEFT files, and zip them for download.
import * as tf from '@tensorflow/tfjs-core';
import type { AdapterFile, TrainConfig, TrainOutcome, LeakageAck } from '../../protocol/messages';
import { sortLabelNames } from '../../data/dataset';
import { tryLoadModel } from '../../model/loadModel';
import { loraTargetPresets } from '../../model/targets';
import type { SequenceModel } from '../../model/types';
import { currentBackend } from '../../model/backend';
import { tryParseModelConfig, withLabels } from '../../model/config';
import { tryCreateLoraAdapter, type LoraAdapter } from '../../model/lora';
import { exportPeftAdapter } from '../../model/peftAdapter';
import { createAdamW, type AdamW } from '../../train/adamw';
import type { TokenizedExample } from '../../train/batches';
import { evaluateLogits, trainStep } from '../../train/classifierStep';
import { NonFiniteLossError, runClassifierTraining, type ClassifierSteps } from '../../train/runTraining';
import { encodeOne, padId } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../studio.worker';
import { StudioError } from '../userError';
import { buildAdapterZip, encodeOptimizerState } from '../checkpointCodec';
import { RunRecorder } from '../runRecorder';

/** Global-norm gradient clipping, as HF Trainer's default max_grad_norm. */
const MAX_GRAD_NORM = 1.0;

function checkConfig(c: TrainConfig, maxPositions: number): void {
  const bad = (what: string) => {
    throw new StudioError('bad-hyperparameter', what);
  };
  if (!(c.learningRate > 0 && c.learningRate < 10)) bad('The learning rate must be above 0 (typical LoRA values: 1e-4 to 1e-2).');
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1 || c.batchSize > 512) bad('The batch size must be a whole number from 1 to 512.');
  if (!Number.isInteger(c.epochs) || c.epochs < 1 || c.epochs > 1000) bad('Epochs must be a whole number from 1 to 1000.');
  if (!Number.isInteger(c.maxSeqLength) || c.maxSeqLength < 4 || c.maxSeqLength > maxPositions) {
    bad(`Max tokens must be a whole number from 4 to ${maxPositions} (this model's max_position_embeddings).`);
  }
  if (!Number.isInteger(c.loraR) || c.loraR < 1) bad('LoRA rank r must be a whole number of at least 1.');
  if (!(c.loraAlpha > 0)) bad('LoRA alpha must be above 0.');
  if (!(c.loraDropout >= 0 && c.loraDropout < 1)) bad('LoRA dropout must be from 0 to below 1.');
  if (!(c.weightDecay >= 0 && c.weightDecay < 1)) bad('Weight decay must be from 0 to below 1.');
  if (!Number.isInteger(c.evalEverySteps) || c.evalEverySteps < 0) bad('"Validate every N steps" must be 0 (once per epoch) or a whole number.');
}

function targetModulesFor(model: SequenceModel, preset: TrainConfig['loraTargets']): string[] {
  const presets = loraTargetPresets(model.family);
  return (presets.find((p) => p.id === preset) ?? presets[0]).targetModules;
}

/** Decoder classifiers pool the token before the first pad_token_id (HF), so pad with the config's id. */
function batchPadId(configPad: number | null, tokenizerPad: number): number {
  return typeof configPad === 'number' ? configPad : tokenizerPad;
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

  const { rows } = session.table.table;
  const labelOf = (i: number) => rows[i][session.labelColumn];
  const labelNames = sortLabelNames(session.split.train.map(labelOf).concat(session.split.validation.map(labelOf)));
  const labelId = new Map(labelNames.map((l, i) => [l, i]));
  ctx.emit({ type: 'status', message: 'Tokenizing…' });
  const tokenize = (i: number): TokenizedExample => ({
    ids: encodeOne(base.tokenizer, rows[i][session.textColumn], config.maxSeqLength),
    label: labelId.get(labelOf(i))!,
  });
  const train = session.split.train.map(tokenize);
  const validation = session.split.validation.map(tokenize);

  let model: SequenceModel | null = null;
  let adapter: LoraAdapter | null = null;
  let optimizer: AdamW | null = null;
  session.training = true;
  session.stopRequested = false;
  try {
    ctx.emit({ type: 'status', message: 'Building the model…' });
    const built = tryLoadModel(base.tensors, withLabels(parsedConfig.value, labelNames), {
      task: 'SEQ_CLS',
      seed: config.seed,
      keepBackwardWeights: true, // the backward pass then avoids slow transposed matmuls (perf-baseline.md)
    });
    if (!built.ok) throw new StudioError('bad-weights', `${base.modelId}: ${built.error}`);
    model = built.value;
    const lora = tryCreateLoraAdapter(model, {
      r: config.loraR,
      loraAlpha: config.loraAlpha,
      loraDropout: config.loraDropout,
      targetModules: targetModulesFor(model, config.loraTargets),
      seed: config.seed,
    });
    if (!lora.ok) throw new StudioError('bad-lora', lora.error);
    adapter = lora.value;
    optimizer = createAdamW(
      adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })),
      { weightDecay: config.weightDecay, noDecay: adapter.noDecayVariables },
    );

    const backend = currentBackend();
    const [m, a, o] = [model, adapter, optimizer];
    const steps: ClassifierSteps = {
      trainStep: (batch, lr, seed) => trainStep(m, a, o, batch, { lr, seed, maxGradNorm: MAX_GRAD_NORM }),
      predictLogits: (batch) => evaluateLogits(m, a, batch),
    };
    const totalSteps = Math.ceil(train.length / config.batchSize) * config.epochs;
    const started = await RunRecorder.start({
      datasetId: session.table.datasetId,
      datasetName: session.table.fileName,
      modelId: base.modelId,
      backend,
      config,
    });
    const recorder = started instanceof RunRecorder ? started : null;
    const storageProblem = started instanceof RunRecorder ? null : started.problem;
    session.activeRunId = recorder?.runId ?? null;
    ctx.emit({ type: 'trainStarted', totalSteps, backend, trainExamples: train.length, runId: recorder?.runId ?? null });
    ctx.emit({ type: 'status', message: `Training on ${backend}; the first step compiles kernels and is slower.` });

    let stepMsSum = 0;
    let tokens = 0;
    const result = await runClassifierTraining(
      steps,
      { train, validation, padTokenId: batchPadId(parsedConfig.value.padTokenId, padId(base.tokenizer)) },
      config,
      {
        now: () => performance.now(),
        shouldStop: () => session.stopRequested,
        onTrainPoint: (p) => {
          stepMsSum += p.stepMs;
          tokens += p.realTokens;
          const meanMs = stepMsSum / p.step;
          recorder?.add({ kind: 'train', step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate });
          ctx.emit({
            type: 'trainPoint',
            point: { step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate },
            progress: {
              step: p.step,
              totalSteps: p.totalSteps,
              epoch: p.epoch,
              epochs: config.epochs,
              stepMs: p.stepMs,
              tokensPerSec: tokens / (stepMsSum / 1000),
              etaSec: ((p.totalSteps - p.step) * meanMs) / 1000,
            },
          });
        },
        onEval: (p) => {
          recorder?.add({ kind: 'eval', ...p });
          ctx.emit({ type: 'evalPoint', point: p });
        },
      },
    ).catch(async (e) => {
      await recorder?.setStatus('failed', e instanceof Error ? e.message : String(e));
      throw e;
    });

    if (result.steps > 0) {
      const files = await exportPeftAdapter(adapter, { baseModelNameOrPath: base.modelId, taskType: 'SEQ_CLS' });
      session.trained = {
        modelId: base.modelId,
        labelNames,
        adapterConfigJson: files['adapter_config.json'],
        adapterSafetensors: files['adapter_model.safetensors'],
      };
      await recorder?.checkpoint({
        step: result.steps,
        kind: 'periodic',
        metric: result.bestValLoss === null ? null : { name: 'val_loss', value: result.bestValLoss, goal: 'min' },
        adapter: buildAdapterZip(session.trained),
        optimizer: encodeOptimizerState(await optimizer.getState()),
        dataOrder: { epochs: config.epochs, stepsDone: result.steps },
        rngState: { seed: config.seed },
      });
    }
    await recorder?.setStatus('finished', result.status === 'stopped' ? 'stopped early by you' : null);
    return { ...result, backend, runId: recorder?.runId ?? null, storageProblem: storageProblem ?? recorder?.problem ?? null, acknowledgedLeakage: args.acknowledgedLeakage ?? null };
  } catch (e) {
    if (e instanceof NonFiniteLossError) throw new StudioError('non-finite-loss', e.message);
    throw e;
  } finally {
    optimizer?.dispose();
    adapter?.dispose();
    model?.dispose();
    session.training = false;
    session.activeRunId = null;
    session.stopRequested = false;
    console.debug('tensors after run', tf.memory().numTensors);
  }
}

export async function handleStopTraining(_args: Record<string, never>, ctx: HandlerContext): Promise<null> {
  if (ctx.session.training) ctx.session.stopRequested = true;
  return null;
}

export async function handleExportAdapter(_args: Record<string, never>, ctx: HandlerContext): Promise<AdapterFile> {
  const run = ctx.session.trained;
  if (!run) throw new StudioError('no-adapter', 'Train an adapter first; there is nothing to download yet.');
  const zip = buildAdapterZip(run);
  return { fileName: `${run.modelId.replace(/[^\w.-]+/g, '--')}-lora-adapter.zip`, bytes: zip };
}
