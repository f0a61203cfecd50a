// trainLm: causal-LM LoRA fine-tuning of the loaded decoder on the session's instruction data (prompt masked
// unless asked, EOS appended) or domain text (packed blocks). Streams the same trainPoint / evalPoint events as
// classification (eval points carry perplexity, token accuracy, exact match), records the run with RunRecorder,
// keeps the model and adapter alive for the playground, and stores the CAUSAL_LM adapter zip for the download.
import * as tf from '@tensorflow/tfjs-core';
import type { LeakageAck, LmTrainOptions, TrainConfig, TrainOutcome } from '../../protocol/messages';
import { currentBackend } from '../../model/backend';
import { tryCreateLoraAdapter, type LoraAdapter } from '../../model/lora';
import { exportPeftAdapter } from '../../model/peftAdapter';
import { loraTargetPresets } from '../../model/targets';
import { createAdamW, type AdamW } from '../../train/adamw';
import { evaluateLm, exactMatchEval, exactMatchSample, sampleItems } from '../../train/causalLmEval';
import { FORGETTING_ERROR_FACTOR, forgettingThreshold, probeDrift } from '../../train/diagnostics';
import { createForgettingProbe, type ForgettingProbe } from '../../train/forgettingProbe';
import { PROBE_SENTENCES } from '../../train/probeSentences';
import type { DiagnosticInfo } from '../../protocol/messages';
import { causalLmTrainStep } from '../../train/causalLmStep';
import { LmNonFiniteLossError, lmTotalSteps, runLmTraining, type LmTrainRow } from '../../train/runLmTraining';
import { chatTemplateFile } from '../../tokenize/chatFormat';
import { encodeOne, padId } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../studio.worker';
import type { StudioSession } from '../session';
import { StudioError } from '../userError';
import { RunRecorder } from '../runRecorder';
import { buildLmAdapterZip } from '../lmAdapterZip';
import { encodeOptimizerState } from '../checkpointCodec';
import { domainBlocks, ensureLive, eosIds, requireLmData, tokenizeInstructions, type PreparedRow } from './lmPrepare';

const MAX_GRAD_NORM = 1.0;

function check(c: TrainConfig, maxTokens: number): void {
  const bad = (m: string) => {
    throw new StudioError('bad-hyperparameter', m);
  };
  if (!(c.learningRate > 0 && c.learningRate < 10)) bad('The learning rate must be above 0 (typical LoRA values: 1e-4 to 1e-2).');
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1 || c.batchSize > 512) bad('The batch size must be a whole number from 1 to 512.');
  if (!Number.isInteger(c.epochs) || c.epochs < 1 || c.epochs > 1000) bad('Epochs must be a whole number from 1 to 1000.');
  if (!Number.isInteger(c.maxSeqLength) || c.maxSeqLength < 4 || c.maxSeqLength > maxTokens) bad(`Max tokens must be a whole number from 4 to ${maxTokens} (this model's context).`);
  if (!Number.isInteger(c.loraR) || c.loraR < 1 || !(c.loraAlpha > 0) || !(c.loraDropout >= 0 && c.loraDropout < 1)) bad('LoRA r must be ≥ 1, alpha > 0 and dropout in [0, 1).');
}

/** Tokenized train / validation rows, and the validation rows to decode for exact match (instruction data). */
function prepareRows(session: StudioSession, config: TrainConfig, lm: LmTrainOptions) {
  const data = requireLmData(session);
  const base = session.baseModel!;
  const live = session.lmLive!;
  const pick = (idx: number[]) => idx.map((i) => data.examples[i]);
  if (data.task === 'domain') {
    const train = domainBlocks(base.tokenizer, pick(data.split.train), config.maxSeqLength).blocks;
    const validation = domainBlocks(base.tokenizer, pick(data.split.validation), config.maxSeqLength).blocks;
    return { train, validation, exact: [] as PreparedRow[], cut: 0 };
  }
  const opts = { maxLength: config.maxSeqLength, trainOnPrompt: lm.trainOnPrompt };
  const hasTarget = (r: PreparedRow) => r.row.labels.some((l) => l !== -100);
  const train = tokenizeInstructions(base.tokenizer, live.template, pick(data.split.train), opts).rows;
  const validation = tokenizeInstructions(base.tokenizer, live.template, pick(data.split.validation), opts).rows;
  const cut = [...train, ...validation].filter((r) => r.row.completionCut).length;
  const toRow = (r: PreparedRow): LmTrainRow => ({ inputIds: r.row.inputIds, labels: r.row.labels });
  return {
    train: train.filter(hasTarget).map(toRow),
    validation: validation.filter(hasTarget).map(toRow),
    exact: validation.filter((r) => !r.row.completionCut),
    cut,
  };
}

export async function handleTrainLm(
  args: { config: TrainConfig; lm: LmTrainOptions; acknowledgedLeakage?: LeakageAck | null },
  ctx: HandlerContext,
): Promise<TrainOutcome> {
  const { session } = ctx;
  const { config } = args;
  if (session.training) throw new StudioError('busy', 'A training run is already going.');
  const data = requireLmData(session);
  const live = ensureLive(session);
  const base = session.baseModel!;
  check(config, live.model.config.maxTokens);
  live.adapter?.dispose(); // a new run replaces the playground's adapter
  live.adapter = null;
  session.trained = null;
  ctx.emit({ type: 'status', message: 'Tokenizing…' });
  const rows = prepareRows(session, config, args.lm);
  const presets = loraTargetPresets(live.model.family);
  const targetModules = (presets.find((p) => p.id === config.loraTargets) ?? presets[0]).targetModules;
  const created = tryCreateLoraAdapter(live.model, { r: config.loraR, loraAlpha: config.loraAlpha, loraDropout: config.loraDropout, targetModules, seed: config.seed });
  if (!created.ok) throw new StudioError('bad-lora', created.error);
  const adapter: LoraAdapter = created.value;
  let optimizer: AdamW | null = null;
  let probe: ForgettingProbe | null = null;
  session.training = true;
  session.stopRequested = false;
  try {
    optimizer = createAdamW(adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })), { weightDecay: config.weightDecay, noDecay: adapter.noDecayVariables });
    const o = optimizer;
    const backend = currentBackend();
    const model = live.model;
    const eos = eosIds(session);
    const exactSamples = sampleItems(rows.exact, args.lm.exactMatchSamples, config.seed).map((r) => exactMatchSample(r.row));
    const started = await RunRecorder.start({
      datasetId: session.table?.datasetId ?? null, datasetName: data.fileName, modelId: base.modelId, modelRevision: base.revision, backend, config,
      extra: { task: data.task, trainOnPrompt: args.lm.trainOnPrompt, template: live.template.source, completionCut: rows.cut },
    });
    const recorder = started instanceof RunRecorder ? started : null;
    session.activeRunId = recorder?.runId ?? null;
    // Forgetting probe: perplexity of the causal LM on the shipped general-English sentences.
    ctx.emit({ type: 'status', message: 'Measuring the base model on the general-English probe…' });
    probe = await createForgettingProbe({
      model,
      sentences: PROBE_SENTENCES.map((t) => encodeOne(base.tokenizer, t, Math.min(config.maxSeqLength, 64))),
      padTokenId: padId(base.tokenizer),
    });
    const probeRef = probe;
    ctx.emit({ type: 'probeInfo', kind: probe.kind, description: probe.description, base: probe.base });
    let lastProbe: number | null = null;
    let forgettingSince: number | null = null;
    const totalSteps = lmTotalSteps(rows.train.length, config);
    ctx.emit({ type: 'trainStarted', totalSteps, backend, trainExamples: rows.train.length, runId: recorder?.runId ?? null });
    ctx.emit({ type: 'status', message: `Training the causal LM on ${backend}; the first step compiles kernels and is slower.` });
    const result = await runLmTraining(
      {
        trainStep: async (batch, lr, seed) => {
          const loss = causalLmTrainStep(model, adapter, o, batch, { lr, seed, maxGradNorm: MAX_GRAD_NORM });
          const v = (await loss.data())[0];
          loss.dispose();
          return v;
        },
        evaluate: async (batches) => {
          const m = await evaluateLm(model, adapter, batches);
          const em = exactSamples.length > 0 ? (await exactMatchEval(model, adapter, exactSamples, { eosTokenIds: eos })).exactMatch : null;
          lastProbe = await probeRef.measure(adapter);
          return { loss: m.loss, perplexity: m.perplexity, tokenAccuracy: m.tokenAccuracy, exactMatch: em };
        },
      },
      { train: rows.train, validation: rows.validation, padId: padId(base.tokenizer) },
      config,
      {
        now: () => performance.now(),
        shouldStop: () => session.stopRequested,
        onTrainPoint: (p) => {
          recorder?.add({ kind: 'train', step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate });
          ctx.emit({
            type: 'trainPoint',
            point: { step: p.step, epoch: p.epoch, loss: p.loss, learningRate: p.learningRate },
            progress: { step: p.step, totalSteps: p.totalSteps, epoch: p.epoch, epochs: config.epochs, stepMs: p.stepMs, tokensPerSec: p.realTokens / (p.stepMs / 1000), etaSec: ((p.totalSteps - p.step) * p.stepMs) / 1000 },
          });
        },
        onEval: (p) => {
          const point = { step: p.step, epoch: p.epoch, valLoss: p.loss, valAccuracy: p.tokenAccuracy, perplexity: p.perplexity, tokenAccuracy: p.tokenAccuracy, exactMatch: p.exactMatch, probe: lastProbe };
          const drift = lastProbe === null ? 0 : probeDrift(probeRef.kind, probeRef.base, lastProbe);
          if (drift > forgettingThreshold(probeRef.kind)) {
            forgettingSince ??= p.step;
            ctx.emit({ type: 'diagnostic', diagnostic: forgettingDiagnostic(drift, forgettingSince, probeRef.kind) });
          }
          recorder?.add({ kind: 'eval', ...point });
          ctx.emit({ type: 'evalPoint', point });
        },
      },
    ).catch(async (e) => {
      await recorder?.setStatus('failed', e instanceof Error ? e.message : String(e));
      throw e;
    });
    const template = chatTemplateFile(live.template);
    if (result.steps > 0) {
      const files = await exportPeftAdapter(adapter, { baseModelNameOrPath: base.modelId, taskType: 'CAUSAL_LM', revision: base.revision });
      const zip = buildLmAdapterZip({ modelId: base.modelId, task: data.task, adapterConfigJson: files['adapter_config.json'], adapterSafetensors: files['adapter_model.safetensors'], template, trainOnPrompt: args.lm.trainOnPrompt });
      session.trained = { modelId: base.modelId, labelNames: [], adapterConfigJson: files['adapter_config.json'], adapterSafetensors: files['adapter_model.safetensors'], lmZip: zip };
      await recorder?.checkpoint({
        step: result.steps, kind: 'periodic', metric: result.bestValLoss === null ? null : { name: 'val_loss', value: result.bestValLoss, goal: 'min' },
        adapter: zip, optimizer: encodeOptimizerState(await o.getState()), dataOrder: { epochs: config.epochs, stepsDone: result.steps }, rngState: { seed: config.seed },
      });
    }
    await recorder?.setStatus('finished', result.status === 'stopped' ? 'stopped early by you' : null);
    live.adapter = adapter; // kept for the playground
    adapter.strength = 1;
    console.log(`[lm] ${base.modelId} ${data.task}: ${result.steps} steps, ${Math.round(result.tokensPerSec)} train tokens/s on ${backend}`);
    return {
      status: result.status, steps: result.steps, finalTrainLoss: result.finalTrainLoss, bestValLoss: result.bestValLoss, meanStepMs: result.meanStepMs,
      tokensPerSec: result.tokensPerSec, backend, runId: recorder?.runId ?? null, storageProblem: started instanceof RunRecorder ? recorder?.problem ?? null : started.problem,
      acknowledgedLeakage: args.acknowledgedLeakage ?? null,
      lm: { task: data.task, final: result.final, trainTokensPerSec: result.tokensPerSec, template: data.task === 'instruction' ? live.template.source : null },
    };
  } catch (e) {
    if (live.adapter !== adapter) adapter.dispose();
    if (e instanceof LmNonFiniteLossError) throw new StudioError('non-finite-loss', e.message);
    throw e;
  } finally {
    probe?.dispose();
    optimizer?.dispose();
    session.training = false;
    session.activeRunId = null;
    session.stopRequested = false;
    console.debug('tensors after LM run', tf.memory().numTensors);
  }
}

function forgettingDiagnostic(drift: number, since: number, kind: ForgettingProbe['kind']): DiagnosticInfo {
  const pct = Math.round(drift * 100);
  return {
    id: 'forgetting',
    severity: drift > FORGETTING_ERROR_FACTOR * forgettingThreshold(kind) ? 'error' : 'warning',
    startedAtStep: since,
    title: 'The model is forgetting general English',
    message:
      `Perplexity on the general-English probe is ${pct}% above the base model's (since step ${since}). ` +
      'Lower the learning rate, train fewer steps, use a smaller LoRA rank, or mix general text into the data; ' +
      'the playground\'s adapter-strength slider shows the trade-off.',
  };
}
