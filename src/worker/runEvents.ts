// Turns the training loop's callbacks into protocol events for the page and metric points for the run
// record, for any task: progress with ETA, evaluations (the task maps its metrics), diagnostics, pauses,
// rollbacks, resumable checkpoints.
import type { EvalPoint } from '../protocol/messages';
import type { AdapterZipper } from '../train/checkpointCodec';
import { encodeLoopCheckpoint } from '../train/checkpointCodec';
import type { EvalEvent, TrainingCallbacks } from '../train/loop';
import type { JsonValue } from '../storage';
import type { HandlerContext } from './handlerContext';
import type { RunRecorder } from '../storage';

export type RunEventOptions<M> = {
  epochs: number;
  recorder: RunRecorder | null;
  /** The task's download zip around the adapter weights; null = no resumable checkpoints. */
  zipAdapter: AdapterZipper | null;
  /** The page's evaluation point (and anything else the task posts about an evaluation). */
  evalPoint(e: EvalEvent<M>): EvalPoint;
  onEval?(e: EvalEvent<M>): void;
};

export function runEvents<M>(ctx: HandlerContext, o: RunEventOptions<M>): TrainingCallbacks<M> {
  const { recorder, zipAdapter } = o;
  let stepMsSum = 0;
  let tokens = 0;
  let steps = 0;
  return {
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
          epochs: o.epochs,
          stepMs: p.stepMs,
          tokensPerSec: tokens / (stepMsSum / 1000),
          etaSec: ((p.totalSteps - p.step) * (stepMsSum / steps)) / 1000,
          paddingWaste: p.paddingWaste,
        },
      });
    },
    onEval: (e) => {
      const point = o.evalPoint(e);
      recorder?.add({ kind: 'eval', ...point });
      ctx.emit({ type: 'evalPoint', point });
      o.onEval?.(e);
    },
    onDiagnostic: (d) => {
      ctx.emit({ type: 'diagnostic', diagnostic: d });
      void recorder?.addDiagnostic(d);
    },
    onPause: (p) => {
      ctx.emit({ type: 'paused', step: p.step, reason: p.reason, ...(p.message ? { message: p.message } : {}) });
      const why =
        p.reason === 'non-finite-loss' ? 'paused after a NaN/Inf loss' : p.reason === 'storage' ? (p.message ?? 'paused: storage is full') : 'paused by you';
      void recorder?.setStatus('paused', why);
    },
    onRollback: (p) => ctx.emit({ type: 'rollback', fromStep: p.fromStep, toStep: p.toStep }),
    onResume: (p) => {
      ctx.emit({ type: 'resumed', step: p.step, learningRate: p.learningRate });
      void recorder?.setStatus('running');
    },
    // Resumable checkpoints: adapter + AdamW moments + step plan position + RNG state; a failure (quota) pauses the run.
    ...(recorder && zipAdapter
      ? {
          onCheckpoint: (c) => {
            const blob = encodeLoopCheckpoint(c, zipAdapter);
            return recorder.checkpoint({
              step: c.step,
              kind: c.kind,
              metric: c.valLoss === null ? null : { name: 'val_loss', value: c.valLoss, goal: 'min' as const },
              ...blob,
              // IndexedDB stores these by structured clone; they are plain numbers, strings and arrays.
              dataOrder: blob.dataOrder as unknown as JsonValue,
              rngState: blob.rngState as unknown as JsonValue,
            });
          },
        }
      : {}),
  };
}
