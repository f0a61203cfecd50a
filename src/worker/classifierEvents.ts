// Turns the training loop's callbacks into protocol events for the page and metric points for the
// run record: progress with ETA, evaluations with per-class metrics, diagnostics, pauses, rollbacks.
import type { TrainConfig } from '../protocol/messages';
import type { TrainingCallbacks } from '../train/runTraining';
import { encodeLoopCheckpoint, type AdapterZipInput } from './checkpointCodec';
import type { RunRecorder } from './runRecorder';
import type { HandlerContext } from './studio.worker';

export function classifierRunEvents(
  ctx: HandlerContext,
  config: TrainConfig,
  labelNames: readonly string[],
  recorder: RunRecorder | null,
  adapterInfo: Omit<AdapterZipInput, 'adapterSafetensors'> | null = null,
): { callbacks: TrainingCallbacks } {
  let stepMsSum = 0;
  let tokens = 0;
  let steps = 0;
  const callbacks: TrainingCallbacks = {
    onStart: (plan) => ctx.emit({ type: 'trainPlan', plan }),
    onTrainPoint: (p) => {
      stepMsSum += p.stepMs;
      tokens += p.realTokens;
      steps += 1;
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
          etaSec: ((p.totalSteps - p.step) * (stepMsSum / steps)) / 1000,
          paddingWaste: p.paddingWaste,
        },
      });
    },
    onEval: (e) => {
      const point = {
        step: e.step,
        epoch: e.epoch,
        valLoss: e.valLoss,
        valAccuracy: e.metrics.accuracy,
        macroF1: e.metrics.macroF1,
        trainLoss: e.trainLoss,
        probe: e.probe,
        isBest: e.isBest,
      };
      recorder?.add({ kind: 'eval', ...point });
      ctx.emit({ type: 'evalPoint', point });
      ctx.emit({
        type: 'evalDetail',
        step: e.step,
        labels: [...labelNames],
        confusion: e.metrics.confusion,
        perClass: e.metrics.perClass.map((c, i) => ({ label: labelNames[i] ?? String(i), ...c })),
      });
    },
    onDiagnostic: (d) => {
      ctx.emit({ type: 'diagnostic', diagnostic: d });
      void recorder?.addDiagnostic(d);
    },
    onPause: (p) => {
      ctx.emit({ type: 'paused', step: p.step, reason: p.reason, ...(p.message ? { message: p.message } : {}) });
      const why = p.reason === 'non-finite-loss' ? 'paused after a NaN/Inf loss' : p.reason === 'storage' ? (p.message ?? 'paused: storage is full') : 'paused by you';
      void recorder?.setStatus('paused', why);
    },
    onRollback: (p) => ctx.emit({ type: 'rollback', fromStep: p.fromStep, toStep: p.toStep }),
    onResume: (p) => {
      ctx.emit({ type: 'resumed', step: p.step, learningRate: p.learningRate });
      void recorder?.setStatus('running');
    },
    // Resumable checkpoints: adapter + AdamW moments + step plan position + RNG state; a failure (quota) pauses the run.
    ...(recorder && adapterInfo
      ? {
          onCheckpoint: (c) =>
            recorder.checkpoint({
              step: c.step,
              kind: c.kind,
              metric: c.valLoss === null ? null : { name: 'val_loss', value: c.valLoss, goal: 'min' as const },
              ...encodeLoopCheckpoint(c, adapterInfo),
            }),
        }
      : {}),
  };
  return { callbacks };
}
