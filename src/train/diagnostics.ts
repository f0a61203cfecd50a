// Training diagnostics as pure functions over the metric history: overfitting, early stopping, underfitting and
// catastrophic forgetting, each a plain-words finding with advice. No tfjs; thresholds are documented constants.
import type { EvalPoint, TrainPoint } from './history';

export const DIAGNOSTIC_IDS = ['overfitting', 'early-stopping', 'underfitting', 'forgetting', 'non-finite-loss', 'device-lost'] as const;
export type DiagnosticId = (typeof DIAGNOSTIC_IDS)[number];
export type Severity = 'info' | 'warning' | 'error';
export type Diagnostic = { id: DiagnosticId; severity: Severity; startedAtStep: number; title: string; message: string };

/** Validation loss must rise at this many evaluations in a row: one rise is noise on a small split, three is a trend (~3/4 epoch at the default cadence). */
export const OVERFIT_RISING_EVALS = 3;
/** The "growing gap" signal also needs validation loss this far (relative) above its best, so a healthy run whose training loss merely falls faster is not flagged. */
export const OVERFIT_GAP_MIN_RISE = 0.05;
/** Evaluations without improvement before stopping: one epoch at the default 4 evaluations per epoch. */
export const EARLY_STOPPING_PATIENCE = 4;
/** An improvement smaller than this (absolute, in nats of cross-entropy) does not reset patience (Keras/HF min_delta). */
export const EARLY_STOPPING_MIN_DELTA = 1e-3;
/** Training loss still >= 90% of chance after an epoch means the model has learned next to nothing. */
export const UNDERFIT_CHANCE_SHARE = 0.9;
/** Or it fell by less than 5% from the first to the last window: batch-to-batch noise alone is about that size. */
export const UNDERFIT_MIN_DROP = 0.05;
/** Windows of a quarter epoch of steps (at least 4) are averaged so one lucky batch does not decide. */
export const UNDERFIT_WINDOW_SHARE = 0.25;
export const UNDERFIT_MIN_WINDOW_STEPS = 4;
/** Probe perplexity 20% above the base: well beyond run-to-run wobble, early enough to act (calibrate on real runs). */
export const FORGETTING_PERPLEXITY_RISE = 0.2;
/** Embedding drift (1 - mean cosine to the base embeddings) of 0.05, i.e. mean cosine below 0.95. */
export const FORGETTING_EMBEDDING_DRIFT = 0.05;
/** A drift this many times the threshold is an error, not a warning. */
export const FORGETTING_ERROR_FACTOR = 3;

/**
 * untrainedStart: the model knew nothing at step 0 (random weights). Its validation loss first falls by learning the
 * class frequencies alone and then sits on a plateau while it still predicts the majority class; stopping there restores
 * a model worth nothing. So patience only counts, and the best evaluation is only chosen, from the first evaluation that
 * has learned something: macro-F1 above the start's by LEARNED_MIN_F1_GAIN (classifiers), else a lower loss (LMs).
 */
export type EarlyStoppingOptions = { patience: number; minDelta: number; untrainedStart?: boolean };
/** Macro-F1 gain over the step-0 evaluation that counts as learned (measured on sms_spam: the prior-only plateau moves it < 0.01). */
export const LEARNED_MIN_F1_GAIN = 0.02;
export const DEFAULT_EARLY_STOPPING: EarlyStoppingOptions = { patience: EARLY_STOPPING_PATIENCE, minDelta: EARLY_STOPPING_MIN_DELTA };

export type EarlyStoppingStatus = {
  /** Index into evals of the lowest validation loss (first one on ties), -1 with no evals. */
  bestIndex: number;
  bestStep: number | null;
  bestValLoss: number | null;
  evalsWithoutImprovement: number;
  shouldStop: boolean;
};

type EarlyStoppingEval = Pick<EvalPoint<unknown>, 'step' | 'valLoss'> & { metrics?: unknown };

const macroF1Of = (e: EarlyStoppingEval): number | null => {
  const m = e.metrics as { macroF1?: unknown } | undefined;
  return typeof m?.macroF1 === 'number' ? m.macroF1 : null;
};

/** Index of the first evaluation after step 0 that has learned more than the class prior; -1 if none yet. */
function firstLearnedIndex(evals: readonly EarlyStoppingEval[], minDelta: number): number {
  const start = evals[0];
  if (!start || start.step !== 0) return 0; // no step-0 evaluation to compare with: judge every evaluation
  const f0 = macroF1Of(start);
  return evals.findIndex((e, i) => {
    if (i === 0) return false;
    const f = macroF1Of(e);
    return f !== null && f0 !== null ? f > f0 + LEARNED_MIN_F1_GAIN : e.valLoss < start.valLoss - minDelta;
  });
}

/** Best evaluation (lowest loss) and patience count (evaluations since the last improvement by more than minDelta). */
export function earlyStoppingStatus(evals: readonly EarlyStoppingEval[], opts: EarlyStoppingOptions): EarlyStoppingStatus {
  const from = opts.untrainedStart ? firstLearnedIndex(evals, opts.minDelta) : 0;
  let bestIndex = -1;
  let lastImprovement = -1;
  let reference = Infinity;
  evals.forEach((e, i) => {
    if (from < 0 || i < from) return;
    if (bestIndex < 0 || e.valLoss < evals[bestIndex].valLoss) bestIndex = i;
    if (e.valLoss < reference - opts.minDelta) {
      reference = e.valLoss;
      lastImprovement = i;
    }
  });
  // Before anything is learned the latest evaluation stands in as the best (a restore target for rollbacks), never a stop.
  if (from < 0 && evals.length > 0) bestIndex = evals.length - 1;
  const evalsWithoutImprovement = from < 0 ? Math.max(0, evals.length - 1) : lastImprovement < 0 ? 0 : evals.length - 1 - lastImprovement;
  return {
    bestIndex,
    bestStep: bestIndex < 0 ? null : evals[bestIndex].step,
    bestValLoss: bestIndex < 0 ? null : evals[bestIndex].valLoss,
    evalsWithoutImprovement,
    shouldStop: from >= 0 && evalsWithoutImprovement >= opts.patience,
  };
}

export function earlyStoppingDiagnostic(status: EarlyStoppingStatus, opts: EarlyStoppingOptions): Diagnostic {
  return {
    id: 'early-stopping',
    severity: 'info',
    startedAtStep: status.bestStep ?? 0,
    title: 'Stopped early: validation loss stopped improving',
    message:
      `Validation loss did not improve by more than ${opts.minDelta} for ${opts.patience} evaluations, so training stopped. ` +
      `The adapter from step ${status.bestStep} (validation loss ${status.bestValLoss?.toFixed(4)}) was restored; more steps would only have fitted the training set harder.`,
  };
}

const isRising = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Training loss still falling: its mean over the last k evaluation intervals is below the mean of the k before (one noisy batch cannot decide). */
function isTrainLossFalling(evals: readonly EvalPoint<unknown>[], k: number): boolean {
  const losses = evals.map((e) => e.trainLoss).filter((t): t is number => t !== null);
  if (losses.length < k + 1) return false;
  return mean(losses.slice(-k)) < mean(losses.slice(-2 * k, -k));
}

/** Overfitting: validation loss rising k evaluations in a row while training loss falls, or a growing gap with validation loss off its best. */
export function detectOverfitting(evals: readonly EvalPoint<unknown>[], k = OVERFIT_RISING_EVALS): Diagnostic | null {
  if (evals.length < k + 1) return null;
  const tail = evals.slice(-(k + 1));
  const valRising = isRising(tail.map((e) => e.valLoss));
  const best = Math.min(...evals.map((e) => e.valLoss));
  const gaps = tail.map((e) => (e.trainLoss === null ? null : e.valLoss - e.trainLoss));
  const gapGrowing = gaps.every((g) => g !== null) && isRising(gaps as number[]);
  const offBest = tail[k].valLoss >= best * (1 + OVERFIT_GAP_MIN_RISE);
  if (!((valRising || (gapGrowing && offBest)) && isTrainLossFalling(evals, k))) return null;
  const started = evals[evals.findIndex((e) => e.valLoss === best)].step;
  return {
    id: 'overfitting',
    severity: tail[k].valLoss >= best * 1.5 ? 'error' : 'warning',
    startedAtStep: started,
    title: `Overfitting since step ${started}`,
    message:
      `Validation loss has risen from ${best.toFixed(4)} (step ${started}) to ${tail[k].valLoss.toFixed(4)} while training loss keeps falling: ` +
      'the adapter is memorising the training examples instead of learning what generalises. Train for fewer epochs or keep early stopping on, ' +
      'lower the learning rate or the LoRA rank, add LoRA dropout, or add more (varied) training data.',
  };
}

/** Entropy (nats) of the training label distribution: the loss of always predicting the class frequencies; ln(C) when balanced. */
export function chanceLoss(labels: readonly number[], numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) counts[y] += 1;
  return -counts.filter((c) => c > 0).reduce((h, c) => h + (c / labels.length) * Math.log(c / labels.length), 0);
}

/** Underfitting after a full epoch: training loss still near chance, or barely moved from where it started. */
export function detectUnderfitting(train: readonly TrainPoint[], ctx: { stepsPerEpoch: number; chanceLoss: number }): Diagnostic | null {
  if (train.length < ctx.stepsPerEpoch || train.length === 0) return null;
  const w = Math.min(Math.ceil(train.length / 2), Math.max(UNDERFIT_MIN_WINDOW_STEPS, Math.ceil(ctx.stepsPerEpoch * UNDERFIT_WINDOW_SHARE)));
  const first = mean(train.slice(0, w).map((p) => p.loss));
  const last = mean(train.slice(-w).map((p) => p.loss));
  const nearChance = ctx.chanceLoss > 0 && last >= UNDERFIT_CHANCE_SHARE * ctx.chanceLoss;
  const flat = (first - last) / first < UNDERFIT_MIN_DROP;
  if (!nearChance && !flat) return null;
  const epochs = (train.length / ctx.stepsPerEpoch).toFixed(1);
  const what = nearChance
    ? `the training loss (${last.toFixed(3)}) is still close to chance level (${ctx.chanceLoss.toFixed(3)}, the loss of guessing by class frequency)`
    : `the training loss has barely moved (${first.toFixed(3)} -> ${last.toFixed(3)})`;
  return {
    id: 'underfitting',
    severity: 'warning',
    startedAtStep: train[train.length - 1].step,
    title: 'Underfitting: the model is hardly learning',
    message: `After ${epochs} epochs ${what}. Raise the learning rate (for example 10x), train for more epochs, or raise the LoRA rank / target more modules.`,
  };
}

export type ProbeKind = 'perplexity' | 'pseudo-perplexity' | 'embedding-drift';

/** Relative drift of a probe value from the base: (v - base) / base for perplexities; embedding drift is already relative to the base (0). */
export function probeDrift(kind: ProbeKind, base: number, value: number): number {
  return kind === 'embedding-drift' ? value - base : (value - base) / base;
}

export const forgettingThreshold = (kind: ProbeKind) => (kind === 'embedding-drift' ? FORGETTING_EMBEDDING_DRIFT : FORGETTING_PERPLEXITY_RISE);

/** Catastrophic forgetting: the probe drifted beyond its threshold and has stayed there since `startedAtStep`. */
export function detectForgetting(evals: readonly EvalPoint<unknown>[], probe: { kind: ProbeKind; base: number }): Diagnostic | null {
  const limit = forgettingThreshold(probe.kind);
  const drifts = evals.map((e) => (e.probe === null ? null : probeDrift(probe.kind, probe.base, e.probe)));
  const latest = drifts[drifts.length - 1];
  if (latest == null || latest <= limit) return null;
  let start = drifts.length - 1;
  while (start > 0 && (drifts[start - 1] ?? 0) > limit) start--;
  const shown = probe.kind === 'embedding-drift' ? `${latest.toFixed(3)} (threshold ${limit})` : `+${(latest * 100).toFixed(0)}% (threshold +${limit * 100}%)`;
  const what = probe.kind === 'embedding-drift' ? 'sentence embeddings of general English' : `${probe.kind} on general English`;
  return {
    id: 'forgetting',
    severity: latest > FORGETTING_ERROR_FACTOR * limit ? 'error' : 'warning',
    startedAtStep: evals[start].step,
    title: 'The model is forgetting general language',
    message:
      `Since step ${evals[start].step} the ${what} moved away from the base model: ${shown}. ` +
      'Lower the learning rate, train for fewer steps, use a smaller LoRA rank, or mix some general text into the training data. ' +
      "The playground's adapter-strength slider shows the trade-off.",
  };
}

/** Every diagnostic that currently applies. */
export function diagnoseRun(
  history: { train: readonly TrainPoint[]; evals: readonly EvalPoint<unknown>[] },
  ctx: { stepsPerEpoch: number; chanceLoss: number; probe: { kind: ProbeKind; base: number } | null },
): Diagnostic[] {
  const found = [detectOverfitting(history.evals), detectUnderfitting(history.train, ctx), ctx.probe ? detectForgetting(history.evals, ctx.probe) : null];
  return found.filter((d): d is Diagnostic => d !== null);
}
