// search: grid or random hyperparameter search; trials train one after another in this worker with
// early stopping, each scored by its best validation macro-F1. Stop ends the search after the trial.
import type { EvalPoint, FineTuneStrategy, SearchSpaceArgs, SearchTrialInfo, TrainConfig } from '../../protocol/messages';
import { gridConfigs, randomConfigs, runSearch, type TrialConfig } from '../../train/search';
import { buildLoopConfig, runTraining } from '../../train/loop';
import { trainConfigProblem } from '../../protocol/trainConfig';
import { tryParseModelConfig } from '../../model/config';
import { buildClassifierParts, prepareClassifierData } from '../classifierParts';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

type TrialHistory = { evalPoints: EvalPoint[]; bestValLoss: number | null };

const MAX_TRIALS = 50;

export async function handleSearch(
  args: { space: SearchSpaceArgs; strategy: 'grid' | 'random'; maxTrials: number; maxMinutes: number; seed: number; base: TrainConfig },
  ctx: HandlerContext,
): Promise<{ trials: SearchTrialInfo[]; bestIndex: number | null; stoppedBy: string | null }> {
  const { session } = ctx;
  if (session.training) throw new StudioError('busy', 'A training run is already going.');
  const base = session.baseModel;
  if (!base || !session.split) throw new StudioError('no-data', 'Load a dataset and a base model first.');
  const { strategies, ...space } = args.space;
  if (Object.values(space).some((values) => values.length === 0 || values.some((v) => !(v > 0)))) {
    throw new StudioError('bad-search', 'Every hyperparameter needs at least one positive value (comma-separated).');
  }
  const maxTrials = Math.min(MAX_TRIALS, Math.max(1, Math.floor(args.maxTrials)));
  const numeric = args.strategy === 'grid' ? gridConfigs(space) : randomConfigs(space, maxTrials, args.seed);
  // Strategies vary slowest: every numeric combination is tried with the first strategy, then the next.
  const configs: (TrialConfig & { strategy?: FineTuneStrategy })[] =
    strategies && strategies.length > 0 ? strategies.flatMap((s) => numeric.map((c) => ({ ...c, strategy: s }))) : numeric;
  const parsed = tryParseModelConfig(base.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  const trialConfig = (t: TrialConfig & { strategy?: FineTuneStrategy }): TrainConfig => ({
    ...args.base,
    ...t,
    loraR: Math.round(t.loraR),
    batchSize: Math.round(t.batchSize),
    epochs: Math.round(t.epochs),
    fewShotK: 0,
  });
  // Every trial is checked up front with the same validator as a single run, so none fails half-way.
  for (const c of configs.slice(0, maxTrials)) {
    const problem = trainConfigProblem(trialConfig(c), { maxPositions: parsed.value.maxTokens });
    if (problem) throw new StudioError('bad-search', `Trial lr ${c.learningRate}, batch ${c.batchSize}: ${problem}`);
  }
  const data = prepareClassifierData(session, base, args.base, session.audit?.test ?? []);
  const job = session.beginJob();
  if (!job) throw new StudioError('busy', 'A training run is already going.');
  let index = 0;
  try {
    const runTrial = async (t: TrialConfig & { strategy?: FineTuneStrategy }) => {
      const config = trialConfig(t);
      const parts = buildClassifierParts(base, data, config);
      const evalPoints: EvalPoint[] = [];
      // A trial that diverges pauses itself; in a search nobody resumes it, so it ends instead.
      let diverged = false;
      const loop = job.controls();
      const controls = { ...loop, shouldStop: () => diverged || loop.shouldStop(), awaitResume: async () => undefined };
      try {
        const result = await runTraining(
          parts,
          { train: data.train, validation: data.validation, padTokenId: data.padTokenId, numClasses: data.labelNames.length },
          // The same builder as a single run (gradient accumulation and lr decay included), early stopping always on.
          { ...buildLoopConfig({ ...config, earlyStopping: true }), checkpointEverySteps: 0 },
          controls,
          {
            onPause: (p) => {
              if (p.reason === 'non-finite-loss') diverged = true;
            },
            onTrainPoint: () => undefined,
            onDiagnostic: () => undefined,
            onEval: (e) => evalPoints.push({ step: e.step, epoch: e.epoch, valLoss: e.valLoss, valAccuracy: e.metrics.accuracy, macroF1: e.metrics.macroF1 }),
          },
        );
        const metric = Math.max(0, ...evalPoints.filter((p) => p.step > 0).map((p) => p.macroF1 ?? 0));
        return { metric, history: { evalPoints, bestValLoss: result.bestValLoss } satisfies TrialHistory };
      } finally {
        parts.optimizer.dispose();
        parts.adapter.dispose();
        parts.model.dispose();
      }
    };
    const total = Math.min(configs.length, maxTrials);
    const toInfo = (t: { index: number; config: TrialConfig; metric: number; history: unknown; durationMs: number }): SearchTrialInfo => {
      const h = t.history as TrialHistory;
      return { index: t.index, config: t.config, metric: t.metric, bestValLoss: h.bestValLoss, durationMs: t.durationMs, evalPoints: h.evalPoints };
    };
    const result = await runSearch(configs, runTrial, {
      maxTrials,
      maxMinutes: args.maxMinutes,
      higherIsBetter: true,
      now: () => performance.now(),
      shouldStop: () => job.stopped,
      onTrial: (t) => {
        index += 1;
        ctx.emit({ type: 'status', message: `Search: trial ${index} of ${total} done` });
        ctx.emit({ type: 'searchTrial', trial: toInfo(t), total });
      },
    });
    const trials = result.trials.map(toInfo);
    return { trials, bestIndex: trials[0]?.index ?? null, stoppedBy: result.stoppedBy };
  } finally {
    session.endJob(job);
  }
}
