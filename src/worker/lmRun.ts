// A causal-LM training job: the session's instruction rows (prompt masked unless asked, EOS appended) or packed
// domain-text blocks, LoRA + AdamW on the playground's decoder, the forgetting probe, the same loop as
// classification through runRecorded, and the CAUSAL_LM adapter zip kept for the download and the playground.
import * as tf from '@tensorflow/tfjs-core';
import type { LeakageAck, LmTrainOptions, TrainConfig, TrainOutcome } from '../protocol/messages';
import { currentBackend } from '../model/backend';
import { tryCreateLoraAdapter, type LoraAdapter } from '../model/lora';
import { buildLmAdapterZip } from '../model/peft/lmAdapterZip';
import { buildPeftLoraConfig, exportPeftAdapter, stringifyPeftConfig, tryImportPeftAdapter } from '../model/peftAdapter';
import { loraTargetPresets } from '../model/targets';
import { chatTemplateFile } from '../tokenize/chatFormat';
import { encodeOne, padId } from '../tokenize/tokenizer';
import { createAdamW, type AdamW } from '../train/adamw';
import { exactMatchSample, sampleItems } from '../train/causalLmEval';
import { encodeOptimizerState } from '../train/checkpointCodec';
import { createForgettingProbe, forgettingMonitor, type ForgettingProbe } from '../train/forgettingProbe';
import { causalLmTask, type LmMetrics, type LmTrainRow } from '../train/loop';
import { PROBE_SENTENCES } from '../train/probeSentences';
import { CHAT_FIELDS, instructionDataFromCsv, instructionDataFromJsonl } from '../data/instructionData';
import type { HandlerContext } from './handlerContext';
import { domainBlocks, ensureLive, eosIds, requireLmData, tokenizeInstructions, type PreparedRow } from './lmPrepare';
import { finalCheckpointMeta, runRecorded, type ResumeJob } from './recordedRun';
import type { ImportedAdapterState, StudioSession } from './session';
import type { TrainJob } from './trainJob';
import { StudioError } from './userError';

/** What a stored LM run keeps in its record (hyperparameters.extra) so a resume rebuilds the same rows. */
export type LmRunExtra = {
  task: 'instruction' | 'domain';
  trainOnPrompt: boolean;
  exactMatchSamples: number;
  template: string;
  completionCut: number;
  /** The text column domain text was read from (a CSV), if any. */
  textColumn?: string;
  split: { train: number[]; validation: number[] };
};

/** Tokenized train / validation rows, and the validation rows to decode for exact match (instruction data). */
export function prepareRows(session: StudioSession, config: TrainConfig, lm: LmTrainOptions) {
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

export async function trainCausalLm(
  ctx: HandlerContext,
  job: TrainJob,
  config: TrainConfig,
  lm: LmTrainOptions,
  opts: { acknowledgedLeakage: LeakageAck | null; resume: ResumeJob<LmMetrics> | null; init?: ImportedAdapterState | null },
): Promise<TrainOutcome> {
  const { session } = ctx;
  const { resume } = opts;
  const data = requireLmData(session);
  const live = ensureLive(session, config);
  const base = session.baseModel!;
  if (data.task === 'classify') throw new StudioError('no-data', 'Pick instruction tuning or domain text first.');
  live.adapter?.dispose(); // a new run replaces the playground's adapter
  live.adapter = null;
  session.trained = null;
  ctx.emit({ type: 'status', message: 'Tokenizing…' });
  const rows = prepareRows(session, config, lm);
  if (rows.train.length === 0)
    throw new StudioError('no-data', 'No training rows are left: every row was empty or cut before its completion. Raise Max tokens or check the data.');
  const presets = loraTargetPresets(live.model.family);
  const targetModules = (presets.find((p) => p.id === config.loraTargets) ?? presets[0]).targetModules;
  const init = opts.init ?? null;
  // Continuing an imported CAUSAL_LM adapter (issue 14): its rank, targets and weights are the starting point.
  const created = init
    ? tryImportPeftAdapter(live.model, { 'adapter_config.json': init.configJson, 'adapter_model.safetensors': init.weights }, { seed: config.seed })
    : tryCreateLoraAdapter(live.model, { r: config.loraR, loraAlpha: config.loraAlpha, loraDropout: config.loraDropout, targetModules, seed: config.seed });
  if (!created.ok) {
    throw new StudioError(init ? 'adapter-mismatch' : 'bad-lora', init ? `The imported adapter does not fit ${base.modelId}: ${created.error}` : created.error);
  }
  const adapter: LoraAdapter = created.value;
  let optimizer: AdamW | null = null;
  let probe: ForgettingProbe | null = null;
  try {
    optimizer = createAdamW(
      adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })),
      { weightDecay: config.weightDecay, noDecay: adapter.noDecayVariables },
    );
    const parts = { model: live.model, adapter, optimizer };
    const backend = currentBackend();
    const eos = eosIds(session);
    const samples = sampleItems(rows.exact, lm.exactMatchSamples, config.seed).map((r) => exactMatchSample(r.row));
    const task = causalLmTask(
      parts,
      { train: rows.train, validation: rows.validation, padId: padId(base.tokenizer), exactMatch: { samples, eosTokenIds: eos } },
      config.batchSize,
    );
    const template = chatTemplateFile(live.template);
    const adapterConfigJson = stringifyPeftConfig(
      buildPeftLoraConfig(adapter, { baseModelNameOrPath: base.modelId, taskType: 'CAUSAL_LM', revision: base.revision }),
    );
    const zipOf = (adapterSafetensors: Uint8Array, configJson = adapterConfigJson) =>
      buildLmAdapterZip({
        modelId: base.modelId,
        task: data.task as LmRunExtra['task'],
        adapterConfigJson: configJson,
        adapterSafetensors,
        template,
        trainOnPrompt: lm.trainOnPrompt,
      });
    const extra: LmRunExtra = {
      task: data.task,
      trainOnPrompt: lm.trainOnPrompt,
      exactMatchSamples: lm.exactMatchSamples,
      template: live.template.source,
      completionCut: rows.cut,
      ...(data.textColumn ? { textColumn: data.textColumn } : {}),
      split: data.split,
    };
    return await runRecorded(
      ctx,
      job,
      {
        task,
        config,
        backend,
        record: {
          datasetId: session.table?.datasetId ?? null,
          datasetName: data.fileName,
          modelId: base.modelId,
          modelRevision: base.revision,
          extra: init ? { ...extra, continuedFrom: init.fileName } : extra,
        },
        finishedNote: () => (init ? `continued from imported adapter ${init.fileName}` : null),
        resume,
        zipAdapter: (st) => zipOf(st),
        evalPoint: (e) => ({
          step: e.step,
          epoch: e.epoch,
          valLoss: e.valLoss,
          valAccuracy: e.metrics.tokenAccuracy,
          perplexity: e.metrics.perplexity,
          tokenAccuracy: e.metrics.tokenAccuracy,
          exactMatch: e.metrics.exactMatch,
          trainLoss: e.trainLoss,
          probe: e.probe,
          isBest: e.isBest,
        }),
        prepare: async () => {
          // Forgetting probe: perplexity of the causal LM on the shipped general-English sentences.
          ctx.emit({ type: 'status', message: 'Measuring the base model on the general-English probe…' });
          probe = await createForgettingProbe({
            model: live.model,
            sentences: PROBE_SENTENCES.map((t) => encodeOne(base.tokenizer, t, Math.min(config.maxSeqLength, 64))),
            padTokenId: padId(base.tokenizer),
          });
          ctx.emit({ type: 'probeInfo', kind: probe.kind, description: probe.description, base: probe.base });
          ctx.emit({ type: 'status', message: `Training the causal LM on ${backend}; the first step compiles kernels and is slower.` });
          return forgettingMonitor(probe, adapter);
        },
      },
      async ({ result, recorder, storageProblem }) => {
        if (result.steps > 0) {
          const files = await exportPeftAdapter(adapter, { baseModelNameOrPath: base.modelId, taskType: 'CAUSAL_LM', revision: base.revision });
          const zip = zipOf(files['adapter_model.safetensors'], files['adapter_config.json']);
          session.trained = {
            modelId: base.modelId,
            labelNames: [],
            adapterConfigJson: files['adapter_config.json'],
            adapterSafetensors: files['adapter_model.safetensors'],
            lmZip: zip,
          };
          await recorder?.checkpoint({
            ...finalCheckpointMeta(result),
            adapter: zip,
            optimizer: encodeOptimizerState(await parts.optimizer.getState()),
            dataOrder: { epochs: config.epochs, stepsDone: result.steps },
            rngState: { seed: config.seed },
          });
        }
        live.adapter = adapter; // kept for the playground
        adapter.strength = 1;
        console.log(`[lm] ${base.modelId} ${data.task}: ${result.steps} steps, ${Math.round(result.tokensPerSec)} train tokens/s on ${backend}`);
        const kept = result.keptEval;
        return {
          status: result.status,
          steps: result.steps,
          finalTrainLoss: result.finalTrainLoss,
          bestValLoss: result.bestValLoss,
          meanStepMs: result.meanStepMs,
          tokensPerSec: result.tokensPerSec,
          bestStep: result.bestStep,
          restoredBest: result.restoredBest,
          diagnostics: result.diagnostics,
          backend,
          runId: recorder?.runId ?? null,
          storageProblem: storageProblem(),
          acknowledgedLeakage: opts.acknowledgedLeakage,
          resumedFromStep: resume?.point.loop.stepsDone ?? null,
          continuedFrom: init?.fileName ?? null,
          lm: {
            task: data.task,
            final: kept ? { loss: kept.loss, ...kept.metrics } : null,
            trainTokensPerSec: result.tokensPerSec,
            template: data.task === 'instruction' ? live.template.source : null,
          },
        };
      },
    );
  } catch (e) {
    if (live.adapter !== adapter) adapter.dispose();
    throw e;
  } finally {
    (probe as ForgettingProbe | null)?.dispose();
    optimizer?.dispose();
    console.debug('tensors after LM run', tf.memory().numTensors);
  }
}

/**
 * The LM data of a stored run, rebuilt from its dataset's table (already in the session) and its record: the same
 * examples in the same order (JSONL and .txt files were stored as tables of what was read), and the run's split.
 */
export function restoreLmSession(session: StudioSession, extra: LmRunExtra): void {
  const loaded = session.table;
  if (!loaded) throw new StudioError('no-data', "The run's dataset is not open.");
  const { table } = loaded;
  const chat = table.header.length === 1 && CHAT_FIELDS.includes(table.header[0] as (typeof CHAT_FIELDS)[number]);
  const parsed = chat
    ? instructionDataFromJsonl(table.rows.map((r) => `{${JSON.stringify(table.header[0])}:${r[0]}}`).join('\n'))
    : instructionDataFromCsv(table, extra.textColumn ? { textColumn: extra.textColumn } : {});
  if (!parsed.ok) throw new StudioError('bad-lm-data', `The run's dataset can no longer be read as ${extra.task} data: ${parsed.error}`);
  const n = parsed.value.examples.length;
  if ([...extra.split.train, ...extra.split.validation].some((i) => i >= n)) {
    throw new StudioError('bad-lm-data', "The run's dataset changed since the run started; start a new run.");
  }
  session.lm = {
    fileName: loaded.fileName,
    task: extra.task,
    suggestedTask: extra.task,
    format: `${extra.task} data`,
    examples: parsed.value.examples,
    errors: [],
    ...(extra.textColumn ? { textColumn: extra.textColumn } : {}),
    split: extra.split,
  };
}
