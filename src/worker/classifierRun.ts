// A classification training job: tokenized splits, the model with a head for the labels, LoRA + AdamW, the
// few-shot baseline and forgetting probe, the loop through runRecorded, and the kept adapter for the download.
import * as tf from '@tensorflow/tfjs-core';
import type { LeakageAck, TrainConfig, TrainOutcome } from '../protocol/messages';
import { currentBackend } from '../model/backend';
import type { MlmHead } from '../model/mlmHead';
import { buildAdapterZip } from '../model/peft/adapterZip';
import { buildPeftLoraConfig, exportPeftAdapter, stringifyPeftConfig } from '../model/peftAdapter';
import { encodeOptimizerState } from '../train/checkpointCodec';
import { baseModelEmbedder, evaluateFewShot } from '../train/fewShot';
import { forgettingMonitor, type ForgettingProbe } from '../train/forgettingProbe';
import { classifierTask, type TrainerParts, type TrainingResult } from '../train/loop';
import type { ClassificationMetrics } from '../train/metrics';
import { buildClassifierParts, buildProbe, prepareClassifierData, type ClassifierData } from './classifierParts';
import type { HandlerContext } from './handlerContext';
import { finalCheckpointMeta, runRecorded, type ResumeJob } from './recordedRun';
import type { ImportedAdapterState, LoadedBaseModel } from './session';
import type { TrainJob } from './trainJob';
import { StudioError } from './userError';
import type { StrategyState } from '../model/strategy';
import { measureBaselines, verdictFor } from './baselines';
import { fullModelZip } from './fullModelZip';

export async function trainClassifier(
  ctx: HandlerContext,
  job: TrainJob,
  base: LoadedBaseModel,
  config: TrainConfig,
  opts: { acknowledgedLeakage: LeakageAck | null; resume: ResumeJob<ClassificationMetrics> | null; init?: ImportedAdapterState | null },
): Promise<TrainOutcome> {
  const { session } = ctx;
  const { resume } = opts;
  const table = session.table;
  if (!table) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  ctx.emit({ type: 'status', message: 'Tokenizing…' });
  const init = opts.init ?? null;
  const data = prepareClassifierData(session, base, config, session.audit?.test ?? [], init?.labelNames);
  session.disposeLmLive(); // a classification run replaces the causal-LM playground's decoder (issue 7)
  let parts: (TrainerParts & { strategy: StrategyState }) | null = null;
  let probe: ForgettingProbe | null = null;
  let head: MlmHead | null = null;
  try {
    ctx.emit({ type: 'status', message: 'Building the model…' });
    parts = buildClassifierParts(base, data, config, init ? { 'adapter_config.json': init.configJson, 'adapter_model.safetensors': init.weights } : undefined);
    const p = parts;
    const backend = currentBackend();
    const zipInfo = { modelId: base.modelId, labelNames: data.labelNames };
    const adapterConfigJson = stringifyPeftConfig(
      buildPeftLoraConfig(p.adapter, {
        baseModelNameOrPath: base.modelId,
        taskType: 'SEQ_CLS',
        revision: base.revision,
        extraModulesToSave: p.strategy.extraModulesToSave,
      }),
    );
    let fewShot: TrainOutcome['fewShot'] = null;
    let baselines: ReturnType<typeof measureBaselines> | null = null;
    let verdictSentence: string | null = null;
    const task = classifierTask(
      p,
      {
        train: data.train,
        validation: data.validation,
        test: data.test.length > 0 ? data.test : undefined,
        padTokenId: data.padTokenId,
        numClasses: data.labelNames.length,
      },
      config.batchSize,
    );
    return await runRecorded(
      ctx,
      job,
      {
        task,
        config,
        backend,
        untrainedStart: !base.pretrained && !init,
        record: {
          datasetId: table.datasetId,
          datasetName: table.fileName,
          modelId: base.modelId,
          modelRevision: base.revision,
          ...(init ? { extra: { continuedFrom: init.fileName, targetModules: init.targetModules } } : {}),
        },
        resume,
        zipAdapter: (adapterSafetensors) => buildAdapterZip({ ...zipInfo, adapterConfigJson, adapterSafetensors }),
        evalPoint: (e) => ({
          step: e.step,
          epoch: e.epoch,
          valLoss: e.valLoss,
          valAccuracy: e.metrics.accuracy,
          macroF1: e.metrics.macroF1,
          trainLoss: e.trainLoss,
          probe: e.probe,
          isBest: e.isBest,
        }),
        onEval: (e) =>
          ctx.emit({
            type: 'evalDetail',
            step: e.step,
            labels: [...data.labelNames],
            confusion: e.metrics.confusion,
            perClass: e.metrics.perClass.map((c, i) => ({ label: data.labelNames[i] ?? String(i), ...c })),
          }),
        prepare: async () => {
          ctx.emit({ type: 'status', message: 'Classical baseline: TF-IDF + logistic regression on the same split…' });
          baselines = measureBaselines(session, data);
          ctx.emit({ type: 'baselines', ...baselines });
          // A resumed run measured its few-shot baseline when it started.
          if (!resume && config.fewShotK > 0 && data.validation.length > 0) fewShot = await measureFewShot(p, data, config, ctx);
          // A model that was never pretrained knows no general English to forget: no probe.
          let monitor = null;
          if (base.pretrained) {
            ctx.emit({ type: 'status', message: 'Measuring the base model on the general-English probe…' });
            ({ probe, head } = await buildProbe(base, p.model, data, config.maxSeqLength));
            ctx.emit({ type: 'probeInfo', kind: probe.kind, description: probe.description, base: probe.base });
            monitor = forgettingMonitor(probe, p.adapter);
          }
          ctx.emit({ type: 'status', message: `Training on ${backend}; the first step compiles kernels and is slower.` });
          return monitor;
        },
        finishedNote: () => [init ? `continued from imported adapter ${init.fileName}` : null, verdictSentence].filter(Boolean).join('; ') || null,
      },
      async ({ result, recorder, storageProblem }) => {
        if (result.steps > 0) {
          const files = await exportPeftAdapter(p.adapter, {
            baseModelNameOrPath: base.modelId,
            taskType: 'SEQ_CLS',
            revision: base.revision,
            extraModulesToSave: p.strategy.extraModulesToSave,
          });
          session.trained = { ...zipInfo, adapterConfigJson: files['adapter_config.json'], adapterSafetensors: files['adapter_model.safetensors'] };
          if (p.strategy.fullModel) session.trained.fullModelZip = await fullModelZip(base, p.model.family, data.labelNames, p.adapter);
          await recorder?.checkpoint({
            ...finalCheckpointMeta(result),
            adapter: buildAdapterZip(session.trained),
            optimizer: encodeOptimizerState(await p.optimizer.getState()),
            dataOrder: { stepsDone: result.steps },
            rngState: { seed: 0 },
          });
        }
        const strategy = p.strategy.strategy;
        const best = result.steps > 0 ? bestMetrics(result) : null;
        const measured = baselines ?? measureBaselines(session, data);
        const verdict = verdictFor(best, measured, data.labelNames, strategy, base.pretrained);
        verdictSentence = verdict?.sentence ?? null;
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
          test: result.test
            ? { loss: result.test.loss, accuracy: result.test.metrics.accuracy, macroF1: result.test.metrics.macroF1, examples: data.test.length }
            : null,
          fewShot,
          backend,
          runId: recorder?.runId ?? null,
          storageProblem: storageProblem(),
          acknowledgedLeakage: opts.acknowledgedLeakage,
          resumedFromStep: resume?.point.loop.stepsDone ?? null,
          classical: measured.classical,
          majority: measured.majority,
          verdict,
          strategy,
          best: best ? { accuracy: best.accuracy, macroF1: best.macroF1 } : null,
          continuedFrom: init?.fileName ?? null,
        };
      },
    );
  } finally {
    (probe as ForgettingProbe | null)?.dispose();
    (head as MlmHead | null)?.dispose();
    parts?.optimizer.dispose();
    parts?.adapter.dispose();
    parts?.model.dispose();
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
function bestMetrics(result: TrainingResult<ClassificationMetrics>) {
  const evals = result.history.evals.filter((e) => e.step > 0);
  return (result.bestStep !== null ? evals.find((e) => e.step === result.bestStep) : undefined)?.metrics ?? evals.at(-1)?.metrics ?? null;
}
