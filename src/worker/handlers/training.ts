// train / trainLm / resumeRun / pause / resume / stop / exportAdapter: validate the request, start the session's
// one training job, hand it to the classification or causal-LM run (both use the one loop), post the outcome.
import type { AdapterFile, LeakageAck, LmTrainOptions, ModelSource, TrainConfig, TrainOutcome } from '../../protocol/messages';
import { DEFAULT_TRAIN_CONFIG } from '../../protocol/defaults';
import { learningRateProblem, trainConfigProblem } from '../../protocol/trainConfig';
import { tryParseModelConfig } from '../../model/config';
import { buildAdapterZip } from '../../model/peft/adapterZip';
import type { HandlerContext } from '../handlerContext';
import { trainClassifier } from '../classifierRun';
import { restoreLmSession, trainCausalLm, type LmRunExtra } from '../lmRun';
import { ensureLive } from '../lmPrepare';
import { checkRunFits } from '../modelFit';
import { openStoredRun } from '../storedRun';
import type { LoadedBaseModel, StudioSession } from '../session';
import type { TrainJob } from '../trainJob';
import { StudioError } from '../userError';
import { surviveDeviceLoss } from '../gpuLossRecovery';
import type { Diagnostic } from '../../train/diagnostics';

/** The one config check of every training path (the form shows the same messages). */
export function checkTrainConfig(c: TrainConfig, maxPositions: number): void {
  const problem = trainConfigProblem(c, { maxPositions });
  if (problem) throw new StudioError('bad-hyperparameter', problem);
}

/** The loaded base model, with the config checked against it. */
function requireModel(session: StudioSession, config: TrainConfig): LoadedBaseModel {
  if (!session.table || !session.split) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const base = session.baseModel;
  if (!base) throw new StudioError('no-model', 'Load a base model first.');
  const parsedConfig = tryParseModelConfig(base.configJson);
  if (!parsedConfig.ok) throw new StudioError('unsupported-model', parsedConfig.error);
  checkTrainConfig(config, parsedConfig.value.maxTokens);
  return base;
}

async function withJob<T>(session: StudioSession, run: (job: TrainJob) => Promise<T>): Promise<T> {
  const job = session.beginJob();
  if (!job) throw new StudioError('busy', 'A training run is already going.');
  try {
    return await run(job);
  } finally {
    session.endJob(job);
  }
}

export async function handleTrain(
  args: { config: TrainConfig; acknowledgedLeakage?: LeakageAck | null; fromImported?: boolean },
  ctx: HandlerContext,
): Promise<TrainOutcome> {
  if (ctx.session.training) throw new StudioError('busy', 'A training run is already going.');
  const init = args.fromImported ? ctx.session.imported : null;
  if (args.fromImported && init?.task !== 'SEQ_CLS')
    throw new StudioError('no-adapter', 'Import a classification adapter first (the Runs step), then continue training from it.');
  // A continued run has the imported adapter's rank and alpha (the form shows them); its targets come with the weights.
  const config: TrainConfig = init ? { ...args.config, loraR: init.r, loraAlpha: init.loraAlpha, strategy: 'lora' } : args.config;
  const base = requireModel(ctx.session, config);
  if (init && init.modelId !== base.modelId) {
    throw new StudioError(
      'adapter-mismatch',
      `The imported adapter ${init.fileName} was imported onto ${init.modelId}; the loaded model is ${base.modelId}. Load ${init.modelId} again to continue from it.`,
    );
  }
  await checkRunFits(base, config, 'SEQ_CLS', 2);
  return surviveDeviceLoss(
    ctx,
    () => withJob(ctx.session, (job) => trainClassifier(ctx, job, base, config, { acknowledgedLeakage: args.acknowledgedLeakage ?? null, resume: null, init })),
    (runId, note) => resumeStored(ctx, runId, null, note),
  );
}

export async function handleTrainLm(
  args: { config: TrainConfig; lm: LmTrainOptions; acknowledgedLeakage?: LeakageAck | null; fromImported?: boolean },
  ctx: HandlerContext,
): Promise<TrainOutcome> {
  if (ctx.session.training) throw new StudioError('busy', 'A training run is already going.');
  const init = args.fromImported ? ctx.session.imported : null;
  if (args.fromImported && init?.task !== 'CAUSAL_LM') {
    throw new StudioError('no-adapter', 'Import a causal-LM adapter first (the Runs step), then continue training from it.');
  }
  const config: TrainConfig = init ? { ...args.config, loraR: init.r, loraAlpha: init.loraAlpha } : args.config;
  if (init && ctx.session.baseModel && init.modelId !== ctx.session.baseModel.modelId) {
    throw new StudioError(
      'adapter-mismatch',
      `The imported adapter ${init.fileName} was imported onto ${init.modelId}; the loaded model is ${ctx.session.baseModel.modelId}. Load ${init.modelId} again to continue from it.`,
    );
  }
  if (ctx.session.baseModel) await checkRunFits(ctx.session.baseModel, config, 'CAUSAL_LM', 0);
  const live = ensureLive(ctx.session, config);
  checkTrainConfig(config, live.model.config.maxTokens);
  return surviveDeviceLoss(
    ctx,
    () =>
      withJob(ctx.session, (job) => trainCausalLm(ctx, job, config, args.lm, { acknowledgedLeakage: args.acknowledgedLeakage ?? null, resume: null, init })),
    (runId, note) => resumeStored(ctx, runId, null, note),
  );
}

export async function handlePauseTraining(_args: Record<string, never>, ctx: HandlerContext): Promise<null> {
  ctx.session.job?.pause();
  return null;
}

export async function handleResumeTraining(args: { learningRate?: number }, ctx: HandlerContext): Promise<null> {
  const problem = args.learningRate === undefined ? null : learningRateProblem(args.learningRate);
  if (problem) throw new StudioError('bad-hyperparameter', problem);
  ctx.session.job?.resume(args.learningRate ? { learningRate: args.learningRate } : undefined);
  return null;
}

export async function handleStopTraining(_args: Record<string, never>, ctx: HandlerContext): Promise<null> {
  ctx.session.job?.stop();
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
 * Continues a stored interrupted or paused run (classification or causal LM) from its latest checkpoint: reopens
 * its dataset and split, loads its base model, drops metric points after the checkpoint, sends the kept points to
 * the page, and trains on with the same data order, optimizer moments and lr schedule.
 */
export async function handleResumeRun(args: { runId: string; source: ModelSource | null }, ctx: HandlerContext): Promise<TrainOutcome> {
  if (ctx.session.training) throw new StudioError('busy', 'A training run is already going.');
  return surviveDeviceLoss(
    ctx,
    () => resumeStored(ctx, args.runId, args.source, null),
    (runId, note) => resumeStored(ctx, runId, null, note),
  );
}

/** handleResumeRun's work; `note` (the backend change after a lost GPU) joins the run's diagnostics. */
async function resumeStored(ctx: HandlerContext, runId: string, source: ModelSource | null, note: Diagnostic | null): Promise<TrainOutcome> {
  const { session } = ctx;
  // Reopening the data and loading the model come first: they refuse to run while a job is going.
  const opened = await openStoredRun(ctx, runId, source);
  const stored = note
    ? {
        ...opened,
        point: <M>() => {
          const p = opened.point<M>();
          return { ...p, loop: { ...p.loop, raised: [...p.loop.raised, note] } };
        },
      }
    : opened;
  try {
    const { extra: rawExtra, ...hyper } = stored.run.config.hyperparameters as Partial<TrainConfig> & { extra?: unknown };
    const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...hyper };
    const extra = rawExtra as Partial<LmRunExtra> | undefined;
    if (extra?.task === 'instruction' || extra?.task === 'domain') {
      restoreLmSession(session, extra as LmRunExtra);
      const live = ensureLive(session, config);
      checkTrainConfig(config, live.model.config.maxTokens);
      const lm = { trainOnPrompt: !!extra.trainOnPrompt, exactMatchSamples: extra.exactMatchSamples ?? 0 };
      return await withJob(session, (job) =>
        trainCausalLm(ctx, job, config, lm, { acknowledgedLeakage: null, resume: { runId: stored.run.id, point: stored.point() } }),
      );
    }
    const base = requireModel(session, config);
    return await withJob(session, (job) =>
      trainClassifier(ctx, job, base, config, { acknowledgedLeakage: null, resume: { runId: stored.run.id, point: stored.point() } }),
    );
  } finally {
    stored.release();
  }
}
