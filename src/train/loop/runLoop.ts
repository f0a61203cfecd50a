// The one training loop of every task (classification, causal LM): seeded length-bucketed batches, gradient
// accumulation, AdamW with warmup + decay, clipping, periodic evaluation, diagnostics, checkpoints, early stopping,
// best-adapter restore, NaN rollback, pause. The task supplies collate, loss + gradients and evaluation.
// tfjs-core, model/ and train/ only; knows nothing of the worker protocol or storage.
import type { StepPlan } from '../batches';
import { restoreAdapter, restoreTrainState, snapshotAdapter, snapshotTrainState, type AdapterSnapshot, type TrainState } from '../checkpoints';
import { DEFAULT_EARLY_STOPPING, diagnoseRun, earlyStoppingDiagnostic, earlyStoppingStatus, type Diagnostic } from '../diagnostics';
import { createGradAccumulator, type GradAccumulator } from '../gradAccumulation';
import type { EvalPoint, RunHistory, TrainPoint } from '../history';
import { DEFAULT_WARMUP_SHARE, learningRateAt } from '../lrSchedule';
import { assert } from '../../lib/result';
import { planInfo } from './plan';
import { DeviceLostError, lostDeviceReason } from './deviceLost';
import type {
  ForgettingMonitor,
  LoopState,
  PauseReason,
  ResumePoint,
  RunPlanInfo,
  TrainTask,
  TrainingCallbacks,
  TrainingConfig,
  TrainingControls,
  TrainingResult,
} from './types';
/**
 * A step whose loss exceeds this many times max(chance loss, initial validation loss, 1) counts as diverged, like a
 * NaN: a mean cross-entropy ~100 nats means logit margins of ~100 the wrong way, which no healthy run reaches, and
 * catching it before float32 overflows keeps the rollback point sane (lr 1e3 on the tiny BERT: loss 1.3 -> 2.8e3 -> ... -> NaN).
 */
export const DIVERGENCE_LOSS_FACTOR = 100;
/** HF Trainer's default max_grad_norm. */
export const DEFAULT_MAX_GRAD_NORM = 1.0;
/** A state whose validation loss is over 2x the best so far is already diverging: never roll back to it. */
export const GOOD_STATE_LOSS_FACTOR = 2;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** What the loop tracks besides the parts; one per run. */
type RunState<B, M> = {
  task: TrainTask<B, M>;
  config: TrainingConfig;
  controls: TrainingControls;
  cb: TrainingCallbacks<M>;
  probe: ForgettingMonitor | null;
  plan: StepPlan[];
  info: RunPlanInfo;
  acc: GradAccumulator;
  history: RunHistory<M>;
  peakLr: number;
  /** Losses above this count as diverged (Infinity when off). */
  lossCeiling: number;
  best: AdapterSnapshot | null;
  good: TrainState | null;
  raised: Map<string, Diagnostic>;
  timing: { stepMs: number; tokens: number; slots: number; real: number };
};

/**
 * Train the task's adapter on its training examples. Returns when the plan is done, stop is requested, or early
 * stopping fires; with validation the adapter then holds the best evaluation's weights. Throws only on
 * programmer errors (a NaN pauses the run instead). With `resume`, the adapter and optimizer are set to the
 * checkpoint and the run continues at its step: same plan (seeded), same lr schedule, same history.
 */
export async function runLoop<B, M>(
  task: TrainTask<B, M>,
  config: TrainingConfig,
  controls: TrainingControls,
  cb: TrainingCallbacks<M>,
  probe: ForgettingMonitor | null = null,
  resume: ResumePoint<M> | null = null,
): Promise<TrainingResult<M>> {
  const { parts } = task;
  const { plan, info } = planInfo(task.trainLengths, task.chanceLoss, config);
  assert(plan.length > 0, 'no training examples to train on');
  if (resume) {
    assert(
      resume.loop.totalSteps === plan.length && resume.loop.seed === config.seed,
      'the checkpoint belongs to another step plan (data, batch size, epochs or seed changed)',
    );
    restoreTrainState(parts.adapter, parts.optimizer, resume.state);
  }
  const acc = createGradAccumulator(parts.adapter.trainableVariables);
  const run: RunState<B, M> = {
    ...{ task, config, controls, cb, probe, plan, info, acc },
    history: resume ? structuredClone(resume.loop.history) : { train: [], evals: [] },
    peakLr: resume ? resume.loop.peakLr : config.learningRate,
    lossCeiling: resume?.loop.lossCeiling ?? Infinity,
    best: resume?.best ?? null,
    good: resume?.state ?? null,
    raised: new Map((resume?.loop.raised ?? []).map((d) => [d.id, d])),
    timing: { stepMs: 0, tokens: 0, slots: 0, real: 0 },
  };
  try {
    cb.onStart?.(info);
    let done = resume?.loop.stepsDone ?? 0;
    const status = await trainAll(run, done, (d) => (done = d)).catch(async (e: unknown) => {
      // A lost device fails whatever step touched it: its tensors are gone, so the loop ends and says why.
      const lost = e instanceof DeviceLostError ? null : await lostDeviceReason(controls.deviceLost);
      throw lost ? new DeviceLostError(lost, done) : e;
    });
    return await finish(run, status);
  } finally {
    acc.dispose();
  }
}

async function trainAll<B, M>(run: RunState<B, M>, startStep: number, progress: (done: number) => void): Promise<TrainingResult<M>['status']> {
  const { controls, plan } = run;
  if (startStep === 0) {
    if (await evaluateNow(run, 0)) return 'early-stopped';
    const factor = run.config.divergenceLossFactor === undefined ? DIVERGENCE_LOSS_FACTOR : run.config.divergenceLossFactor;
    if (factor !== null) run.lossCeiling = factor * Math.max(1, run.info.chanceLoss, run.history.evals[0]?.valLoss ?? 0);
  }
  run.good ??= await snapshotTrainState(run.task.parts.adapter, run.task.parts.optimizer, startStep);
  let done = startStep; // optimizer steps done = index of the next plan entry
  while (done < plan.length) {
    progress(done);
    if (controls.shouldStop()) return 'stopped';
    const lost = controls.deviceLost?.();
    if (lost) throw new DeviceLostError(lost, done);
    if (controls.isPaused()) {
      await pauseUntilResumed(run, done, 'user');
      continue;
    }
    const point = await trainOneStep(run, done);
    // A lost device may read back zeros or NaN instead of failing: that is no divergence.
    const lostNow = point === null ? await lostDeviceReason(controls.deviceLost) : null;
    if (lostNow) throw new DeviceLostError(lostNow, done);
    if (point === null) {
      done = await rollBack(run, done + 1);
      await pauseUntilResumed(run, done, 'non-finite-loss');
      continue;
    }
    done++;
    const epochEnd = done === plan.length || plan[done].epoch !== plan[done - 1].epoch;
    const evalDue = done % run.info.evalEverySteps === 0 || epochEnd;
    if (evalDue && (await evaluateNow(run, done))) return 'early-stopped';
    const every = run.config.checkpointEverySteps ?? 0;
    const isBest = evalDue && run.best?.step === done;
    // The last step needs none: the caller stores the final adapter when the run ends.
    if (run.cb.onCheckpoint && done < plan.length && (isBest || (every > 0 ? done % every === 0 : evalDue))) {
      const problem = await checkpointNow(run, done, isBest ? 'best' : 'periodic');
      if (problem !== null) await pauseUntilResumed(run, done, 'storage', problem);
    }
    await yieldToEventLoop();
  }
  return 'finished';
}

/** One optimizer step over its micro-batches; null (nothing applied) when the loss or gradient is not finite or the loss diverged. */
async function trainOneStep<B, M>(run: RunState<B, M>, index: number): Promise<TrainPoint | null> {
  const { task, plan, config, acc, controls, info } = run;
  const step = index + 1;
  const batches = plan[index].microBatches.map((idx) => task.collate(idx));
  const total = batches.reduce((n, b) => n + b.weight, 0);
  const lr = learningRateAt(index, plan.length, run.peakLr, config.warmupShare ?? DEFAULT_WARMUP_SHARE, config.lrDecay ?? 'linear');
  const t0 = controls.now();
  batches.forEach((mb, m) => {
    const seed = (config.seed * 100_003 + index * 97 + m) >>> 0; // dropout masks repeat for (seed, step, micro-batch)
    // A step whose micro-batches carry no weight at all (no targets) averages them equally instead of dividing by 0.
    acc.add(() => task.lossAndGrads(mb.batch, seed), total > 0 ? mb.weight / total : 1 / batches.length);
  });
  const summary = acc.summary();
  // The one readback per step, before the update so a NaN never reaches the weights.
  const [loss, gradNorm] = await summary.data().finally(() => summary.dispose());
  if (!Number.isFinite(loss) || !Number.isFinite(gradNorm) || loss > run.lossCeiling) {
    acc.reset();
    return null;
  }
  acc.apply(task.parts.optimizer, lr, config.maxGradNorm === undefined ? DEFAULT_MAX_GRAD_NORM : config.maxGradNorm);
  const stepMs = controls.now() - t0;
  const realTokens = batches.reduce((n, b) => n + b.realTokens, 0);
  const slots = batches.reduce((n, b) => n + b.slots, 0);
  Object.assign(run.timing, {
    stepMs: run.timing.stepMs + stepMs,
    tokens: run.timing.tokens + realTokens,
    slots: run.timing.slots + slots,
    real: run.timing.real + realTokens,
  });
  const p: TrainPoint = {
    step,
    epoch: plan[index].epoch + 1,
    loss,
    learningRate: lr,
    gradNorm,
    stepMs,
    realTokens,
    paddingWaste: 1 - realTokens / slots,
    totalSteps: info.totalSteps,
  };
  run.history.train.push(p);
  run.cb.onTrainPoint(p);
  return p;
}

/** Back to the last good state after a NaN at `failedStep`; returns the step to continue from. */
async function rollBack<B, M>(run: RunState<B, M>, failedStep: number): Promise<number> {
  const good = run.good!;
  restoreTrainState(run.task.parts.adapter, run.task.parts.optimizer, good);
  run.history.train = run.history.train.filter((p) => p.step <= good.step);
  run.cb.onRollback?.({ fromStep: failedStep, toStep: good.step });
  raise(run, {
    id: 'non-finite-loss',
    severity: 'error',
    startedAtStep: failedStep,
    title: 'Training diverged (the loss exploded or became NaN)',
    // The first step's loss is measured before any update: the learning rate cannot have caused it.
    message:
      failedStep === 1 && good.step === 0
        ? "At the very first step, before any update, the loss was already NaN or exploded: the base model's weights (or the model " +
          'files) produce non-finite values, not the learning rate. Lowering the learning rate will not help; reload the model or pick another checkpoint.'
        : `At step ${failedStep} (peak learning rate ${run.peakLr.toExponential(1)}) the loss exploded or stopped being a finite number. ` +
          `The adapter and optimizer were rolled back to step ${good.step} and the run is paused. This almost always means the learning rate ` +
          'is too high: lower it (for example 10x) and resume.',
  });
  return good.step;
}

/** Hands the caller adapter + optimizer + loop state of `step`; resolves to its error message, if any. */
async function checkpointNow<B, M>(run: RunState<B, M>, step: number, kind: 'periodic' | 'best'): Promise<string | null> {
  const state = run.good?.step === step ? run.good : await snapshotTrainState(run.task.parts.adapter, run.task.parts.optimizer, step, run.best ?? undefined);
  const last = run.history.evals.at(-1);
  return run.cb.onCheckpoint!({ step, kind, state, loop: loopState(run, step), valLoss: last && last.step === step ? last.valLoss : null });
}

function loopState<B, M>(run: Pick<RunState<B, M>, 'plan' | 'config' | 'peakLr' | 'lossCeiling' | 'history' | 'raised'>, step: number): LoopState<M> {
  return {
    stepsDone: step,
    totalSteps: run.plan.length,
    seed: run.config.seed,
    peakLr: run.peakLr,
    lossCeiling: Number.isFinite(run.lossCeiling) ? run.lossCeiling : null,
    history: structuredClone(run.history),
    raised: [...run.raised.values()],
  };
}

async function pauseUntilResumed<B, M>(run: RunState<B, M>, step: number, reason: PauseReason, message?: string): Promise<void> {
  run.cb.onPause?.({ step, reason, ...(message === undefined ? {} : { message }) });
  const resume = await run.controls.awaitResume();
  if (resume && resume.learningRate !== undefined && resume.learningRate > 0) run.peakLr = resume.learningRate;
  if (!run.controls.shouldStop()) run.cb.onResume?.({ step, learningRate: run.peakLr });
}

/** Evaluate, snapshot the best and the good state, report diagnostics; true when early stopping fires. */
async function evaluateNow<B, M>(run: RunState<B, M>, step: number): Promise<boolean> {
  const { task, config } = run;
  const { parts } = task;
  if (task.hasValidation) {
    const r = await task.evaluate();
    const since = run.history.train.filter((p) => p.step > (run.history.evals.at(-1)?.step ?? 0)).map((p) => p.loss);
    const point: EvalPoint<M> = {
      step,
      epoch: epochAt(run, step),
      trainLoss: mean(since),
      valLoss: r.loss,
      metrics: r.metrics,
      probe: run.probe ? await run.probe.measure() : null,
    };
    run.history.evals.push(point);
    const es = earlyStoppingStatus(run.history.evals, config.earlyStopping ?? DEFAULT_EARLY_STOPPING);
    const isBest = es.bestIndex === run.history.evals.length - 1;
    if (isBest) run.best = await snapshotAdapter(parts.adapter, step);
    // A rollback target must be healthy, not merely finite: within GOOD_STATE_LOSS_FACTOR of the best so far.
    const healthy = Number.isFinite(r.loss) && r.loss <= Math.min(run.lossCeiling, GOOD_STATE_LOSS_FACTOR * (es.bestValLoss ?? r.loss));
    if (healthy) run.good = await snapshotTrainState(parts.adapter, parts.optimizer, step, run.best ?? undefined);
    const diagnostics = reportDiagnostics(run);
    run.cb.onEval({ ...point, isBest, bestStep: es.bestStep!, bestValLoss: es.bestValLoss!, diagnostics });
    if (config.earlyStopping !== null && es.shouldStop && step > 0) {
      raise(run, earlyStoppingDiagnostic(es, config.earlyStopping ?? DEFAULT_EARLY_STOPPING));
      return true;
    }
    return false;
  }
  if (step > 0) {
    reportDiagnostics(run);
    run.good = await snapshotTrainState(parts.adapter, parts.optimizer, step);
  }
  return false;
}

const epochAt = <B, M>(run: RunState<B, M>, step: number) => (step === 0 ? 0 : run.plan[step - 1].epoch + 1);

function reportDiagnostics<B, M>(run: RunState<B, M>): Diagnostic[] {
  const probe = run.probe ? { kind: run.probe.kind, base: run.probe.base } : null;
  const active = diagnoseRun(run.history, { stepsPerEpoch: run.info.stepsPerEpoch, chanceLoss: run.info.chanceLoss, probe });
  for (const d of active) raise(run, d);
  return active;
}

/** Record a diagnostic and tell the caller when it is new or its severity changed. */
function raise<B, M>(run: RunState<B, M>, d: Diagnostic): void {
  const before = run.raised.get(d.id);
  run.raised.set(d.id, d);
  if (!before || before.severity !== d.severity || before.id === 'non-finite-loss') run.cb.onDiagnostic(d);
}

async function finish<B, M>(run: RunState<B, M>, status: TrainingResult<M>['status']): Promise<TrainingResult<M>> {
  const { task, timing, history } = run;
  const restoredBest = run.best !== null;
  if (run.best) restoreAdapter(task.parts.adapter, run.best);
  const test = task.test ? await task.test() : null;
  // With validation the best adapter is always restored, so its evaluation is the one of the adapter the run keeps.
  const kept = restoredBest ? history.evals.find((e) => e.step === run.best!.step) : undefined;
  const steps = history.train.at(-1)?.step ?? 0;
  return {
    status,
    steps,
    bestStep: run.best?.step ?? null,
    bestValLoss: restoredBest ? (history.evals.find((e) => e.step === run.best!.step)?.valLoss ?? null) : null,
    restoredBest,
    finalTrainLoss: history.train.at(-1)?.loss ?? null,
    meanStepMs: history.train.length > 0 ? timing.stepMs / history.train.length : 0,
    tokensPerSec: timing.stepMs > 0 ? timing.tokens / (timing.stepMs / 1000) : 0,
    paddingWaste: timing.slots > 0 ? 1 - timing.real / timing.slots : 0,
    diagnostics: [...run.raised.values()],
    test,
    keptEval: kept ? { loss: kept.valLoss, metrics: kept.metrics } : null,
    history,
  };
}
