// The one loop on a causal-LM task (the gpt2 reference fixture, CPU): the same cadence as classification
// (evalEverySteps 0 = 4x per epoch), warmup + schedule, gradient accumulation weighted by target tokens, loss
// falls, flat tensor count, NaN rollback + pause, early stopping with the best adapter restored, and a stopped run
// resumed from its stored checkpoint equals the uninterrupted run bit for bit.
import * as tf from '@tensorflow/tfjs-core';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { tryCreateLoraAdapter, readPeftWeights } from '../../model/lora';
import type { SequenceModel } from '../../model/types';
import { createRng } from '../../lib/rng';
import { loadReferenceFixture, loadReferenceModel, useCpuBackend } from '../../test/fixtures';
import { runningControls } from '../../test/tinyTraining';
import { createAdamW } from '../adamw';
import { IGNORE_INDEX } from '../causalLmLoss';
import { decodeAdapterSnapshot, decodeLoopCheckpoint, encodeLoopCheckpoint } from '../checkpointCodec';
import { learningRateAt } from '../lrSchedule';
import {
  causalLmTask,
  EVALS_PER_EPOCH,
  runLoop,
  type LmMetrics,
  type LmTrainRow,
  type LoopCheckpoint,
  type ResumePoint,
  type TrainerParts,
  type TrainingCallbacks,
  type TrainingConfig,
} from '.';

let model: SequenceModel;
beforeAll(async () => {
  await useCpuBackend();
  model = loadReferenceModel(loadReferenceFixture('gpt2'));
});

/** Rows "a b c ... " of a repeating pattern (learnable), prompt of 2 tokens masked, lengths 5..9. */
function rows(n: number, seed: number): LmTrainRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const len = 5 + rng.int(5);
    const start = 10 + rng.int(20);
    const inputIds = Array.from({ length: len }, (_, i) => start + ((i * 3) % 7));
    return { inputIds, labels: inputIds.map((id, i) => (i < 2 ? IGNORE_INDEX : id)) };
  });
}
const DATA = { train: rows(24, 1), validation: rows(6, 2), padId: 0 };
const CONFIG: TrainingConfig = {
  learningRate: 2e-2,
  batchSize: 4,
  gradAccumSteps: 2,
  epochs: 2,
  seed: 5,
  evalEverySteps: 3,
  checkpointEverySteps: 2,
  lrDecay: 'cosine',
  earlyStopping: null,
};
// The worker wraps the weights in the LM download zip; the codec only needs adapter_model.safetensors back.
const zip = (st: Uint8Array) => zipSync({ 'adapter_model.safetensors': st });

function parts(): TrainerParts {
  const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0.1, targetModules: ['c_attn'], seed: 0 });
  if (!created.ok) throw new Error(created.error);
  const adapter = created.value;
  const optimizer = createAdamW(
    adapter.peftTensors.map((t) => ({ name: t.key, variable: t.variable })),
    { weightDecay: 0.01, noDecay: adapter.noDecayVariables },
  );
  return { model, adapter, optimizer };
}
const dispose = (p: TrainerParts) => {
  p.optimizer.dispose();
  p.adapter.dispose();
};

type Stored = { step: number; kind: 'periodic' | 'best'; blob: ReturnType<typeof encodeLoopCheckpoint> };

async function train(opts: { config?: TrainingConfig; stopAfter?: number; stopOnPause?: boolean; resume?: ResumePoint<LmMetrics>; data?: typeof DATA }) {
  const before = tf.memory().numTensors;
  const p = parts();
  const log: string[] = [];
  const losses: number[] = [];
  const steps: number[] = [];
  const stored: Stored[] = [];
  const pauses: string[] = [];
  const cb: TrainingCallbacks<LmMetrics> = {
    onTrainPoint: (t) => void (losses.push(t.loss), steps.push(t.step), log.push(`t${t.step}`)),
    onEval: (e) => void log.push(`e${e.step}`),
    onDiagnostic: () => {},
    onPause: (x) => void pauses.push(`${x.reason}@${x.step}`),
    onCheckpoint: async (c: LoopCheckpoint<LmMetrics>) => {
      stored.push({ step: c.step, kind: c.kind, blob: encodeLoopCheckpoint(c, zip) });
      return null;
    },
  };
  const controls = runningControls({
    shouldStop: () => (opts.stopAfter !== undefined && steps.length >= opts.stopAfter) || (!!opts.stopOnPause && pauses.length > 0),
  });
  const result = await runLoop(causalLmTask(p, opts.data ?? DATA, 4), opts.config ?? CONFIG, controls, cb, null, opts.resume ?? null);
  const weights = await readPeftWeights(p.adapter);
  dispose(p);
  return { result, log, losses, steps, stored, weights, pauses, leaked: tf.memory().numTensors - before };
}

function resumePointFrom(stored: Stored[]): ResumePoint<LmMetrics> {
  const latest = stored.at(-1)!;
  const decoded = decodeLoopCheckpoint<LmMetrics>(structuredClone(latest.blob), latest.step);
  if (!decoded) throw new Error('checkpoint did not decode');
  const best = stored.filter((c) => c.kind === 'best').at(-1);
  return { ...decoded, best: best ? decodeAdapterSnapshot(structuredClone(best.blob.adapter), best.step) : null };
}

describe('the training loop on a causal-LM task', () => {
  it('validates 4x per epoch like classification, warms up and decays, the loss falls, no tensors leak', async () => {
    // 24 rows / 4 = 6 micro-batches = 3 steps per epoch with accumulation 2; 4 evals per epoch rounds to every step.
    const r = await train({ config: { ...CONFIG, evalEverySteps: 0, checkpointEverySteps: 0, gradAccumSteps: 1, epochs: 3, lrDecay: 'linear' } });
    const stepsPerEpoch = 6;
    expect(r.result.steps).toBe(18);
    const every = Math.max(1, Math.round(stepsPerEpoch / EVALS_PER_EPOCH));
    const evalSteps = r.log.filter((l) => l.startsWith('e')).map((l) => Number(l.slice(1)));
    expect(evalSteps[0]).toBe(0);
    expect(evalSteps.filter((s) => s > 0)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1).filter((s) => s % every === 0 || s % stepsPerEpoch === 0));
    const lrs = r.result.history.train.map((p) => p.learningRate);
    expect(lrs[0]).toBeCloseTo(learningRateAt(0, 18, 2e-2), 12);
    expect(lrs.at(-1)).toBeCloseTo(learningRateAt(17, 18, 2e-2), 12);
    const evals = r.result.history.evals;
    expect(evals.at(-1)!.valLoss).toBeLessThan(evals[0].valLoss);
    expect(evals[0].metrics.perplexity).toBeCloseTo(Math.exp(evals[0].valLoss), 8);
    expect(r.result.keptEval?.loss).toBe(Math.min(...evals.map((e) => e.valLoss)));
    expect(r.leaked).toBe(0);
  });

  it('continues bit for bit after a stop: same per-step losses and the same final adapter', async () => {
    const full = await train({});
    expect(full.steps).toEqual([1, 2, 3, 4, 5, 6]);
    const stopped = await train({ stopAfter: 5 });
    expect(stopped.result.status).toBe('stopped');
    const point = resumePointFrom(stopped.stored);
    const from = point.loop.stepsDone;
    expect(from).toBeGreaterThanOrEqual(2);
    expect(from).toBeLessThanOrEqual(5);
    const resumed = await train({ resume: point });
    console.log(`[check] LM resumed at step ${from}; checkpoints ${stopped.stored.map((c) => `${c.step}:${c.kind}`).join(' ')}`);
    expect(resumed.steps).toEqual(full.steps.slice(from));
    expect(resumed.losses).toEqual(full.losses.slice(from));
    expect(resumed.result.history.train.map((p) => p.loss)).toEqual(full.losses);
    expect(resumed.result.history.evals.map((e) => e.valLoss)).toEqual(full.result.history.evals.map((e) => e.valLoss));
    expect(resumed.result.bestStep).toBe(full.result.bestStep);
    for (const [k, w] of Object.entries(full.weights)) expect(resumed.weights[k].data).toEqual(w.data);
  });

  it('rolls back and pauses on a NaN instead of throwing, and early stopping restores the best adapter', async () => {
    // lr 1e6 with warmup: the first steps are fine, then the loss explodes past the divergence ceiling or to NaN.
    const nan = await train({ config: { ...CONFIG, learningRate: 1e6, warmupShare: 0.5, maxGradNorm: null, checkpointEverySteps: 0 }, stopOnPause: true });
    expect(nan.result.diagnostics.map((d) => d.id)).toContain('non-finite-loss');
    expect(nan.pauses).toHaveLength(1);
    expect(nan.pauses[0]).toMatch(/^non-finite-loss@/);
    expect(nan.result.history.train.every((p) => Number.isFinite(p.loss))).toBe(true);
    // minDelta 10 nats: no evaluation counts as an improvement, so patience 1 stops at the first one after step 0.
    const es = await train({
      config: { ...CONFIG, epochs: 3, gradAccumSteps: 1, evalEverySteps: 1, checkpointEverySteps: 0, earlyStopping: { patience: 1, minDelta: 10 } },
    });
    expect(es.result.status).toBe('early-stopped');
    expect(es.result.steps).toBe(1);
    expect(es.result.restoredBest).toBe(true);
    const best = es.result.history.evals.find((e) => e.step === es.result.bestStep)!;
    expect(best.valLoss).toBe(Math.min(...es.result.history.evals.map((e) => e.valLoss)));
    expect(es.result.keptEval?.loss).toBe(best.valLoss);
  });
});
