// The upgraded loop on the tiny reference BERT (CPU backend): seeded repeatability, flat tensor count, pause and
// resume, overfitting + early stopping with the best adapter restored, underfitting at lr 1e-7, NaN rollback.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SequenceModel } from '../../model/types';
import { useCpuBackend } from '../../test/fixtures';
import { createTrainerParts, disposeParts, loadTinyBertClassifier, runningControls, syntheticExamples } from '../../test/tinyTraining';
import type { Diagnostic } from '../diagnostics';
import { evaluateSplit } from '../evaluate';
import { createForgettingProbe, forgettingMonitor } from '../forgettingProbe';
import type { TrainPoint } from '../history';
import { runTraining, type TrainingCallbacks, type TrainingConfig, type TrainingData } from '.';

let model: SequenceModel;
beforeAll(async () => {
  await useCpuBackend();
  model = loadTinyBertClassifier(3);
});

/** Label = which third of the vocabulary most words come from: learnable from the tokens. */
const byVocabThird = (words: number[]) => {
  const votes = [0, 0, 0];
  for (const w of words) votes[Math.min(2, Math.floor((w - 200) / 267))] += 1;
  return votes.indexOf(Math.max(...votes));
};
const learnable = (n: number, seed: number) => syntheticExamples(n, { seed, numClasses: 3, labelOf: byVocabThird });
const data = (train: TrainingData['train'], validation: TrainingData['validation'], extra: Partial<TrainingData> = {}): TrainingData => ({
  train,
  validation,
  padTokenId: 0,
  numClasses: 3,
  ...extra,
});
const config = (c: Partial<TrainingConfig> = {}): TrainingConfig => ({ learningRate: 5e-3, batchSize: 8, epochs: 2, seed: 7, evalEverySteps: 0, ...c });

function recorder(extra: Partial<TrainingCallbacks> = {}) {
  const rec = {
    train: [] as TrainPoint[],
    tensors: [] as number[],
    diagnostics: [] as Diagnostic[],
    pauses: [] as string[],
    rollbacks: [] as { fromStep: number; toStep: number }[],
  };
  const cb: TrainingCallbacks = {
    onTrainPoint: (p) => {
      rec.train.push(p);
      rec.tensors.push(tf.memory().numTensors);
    },
    onEval: () => {},
    onDiagnostic: (d) => rec.diagnostics.push(d),
    onPause: (p) => rec.pauses.push(p.reason),
    onRollback: (p) => rec.rollbacks.push(p),
    ...extra,
  };
  return { rec, cb };
}

describe('runTraining', () => {
  it('repeats bit for bit for a seed, and keeps numTensors flat across steps', async () => {
    const losses: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const parts = createTrainerParts(model);
      const { rec, cb } = recorder();
      const r = await runTraining(
        parts,
        data(learnable(40, 1), learnable(12, 2)),
        config({ gradAccumSteps: 2, batchSize: 4, lrDecay: 'cosine' }),
        runningControls(),
        cb,
      );
      losses.push(rec.train.map((p) => p.loss));
      expect(r.status).toBe('finished');
      expect(r.steps).toBe(10); // 40 / 4 = 10 micro-batches per epoch -> 5 steps of 2, 2 epochs
      expect(new Set(rec.tensors.slice(1)).size).toBe(1);
      disposeParts(parts);
    }
    console.log(`[check] seeded losses ${losses[0].map((l) => l.toFixed(4)).join(' ')}`);
    expect(losses[1]).toEqual(losses[0]);
  });

  it('measures the forgetting probe at every evaluation (step 0 = base exactly) and frees every tensor', async () => {
    const start = tf.memory().numTensors;
    const probe = await createForgettingProbe({ model, sentences: learnable(12, 9).map((e) => e.ids), padTokenId: 0 });
    const parts = createTrainerParts(model);
    const probes: (number | null)[] = [];
    const { cb } = recorder({ onEval: (e) => void probes.push(e.probe) });
    const r = await runTraining(
      parts,
      data(learnable(24, 1), learnable(9, 2)),
      config({ learningRate: 2e-2 }),
      runningControls(),
      cb,
      forgettingMonitor(probe, parts.adapter),
    );
    console.log(`[check] probe (${probe.kind}) per evaluation: ${probes.map((p) => p?.toFixed(4)).join(' ')}`);
    expect(probes).toHaveLength(r.history.evals.length);
    expect(probes[0]).toBe(probe.base);
    expect(probes.at(-1)!).toBeGreaterThan(0);
    disposeParts(parts);
    probe.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('pauses and resumes without changing the run', async () => {
    const run = async (pauseAt: number | null) => {
      const parts = createTrainerParts(model);
      let paused = false;
      const { rec, cb } = recorder({ onTrainPoint: (p) => void (rec.train.push(p), (paused = p.step === pauseAt)) });
      const controls = runningControls({ isPaused: () => paused, awaitResume: async () => void (paused = false) });
      await runTraining(parts, data(learnable(24, 1), learnable(9, 2)), config(), controls, cb);
      disposeParts(parts);
      return rec;
    };
    const plain = await run(null);
    const interrupted = await run(2);
    expect(interrupted.pauses).toEqual(['user']);
    expect(interrupted.train.map((p) => p.loss)).toEqual(plain.train.map((p) => p.loss));
  });

  it('stop keeps the best adapter so far, and the test split is evaluated on it', async () => {
    const parts = createTrainerParts(model);
    let steps = 0;
    const { cb } = recorder({ onTrainPoint: () => void steps++ });
    const d = data(learnable(32, 1), learnable(12, 2), { test: learnable(10, 3) });
    const r = await runTraining(parts, d, config({ epochs: 5 }), runningControls({ shouldStop: () => steps >= 6 }), cb);
    expect(r.status).toBe('stopped');
    expect(r.steps).toBe(6);
    expect(r.restoredBest).toBe(true);
    const evalOpts = { batchSize: 8, padTokenId: 0, numClasses: 3 };
    expect((await evaluateSplit(model, parts.adapter, d.validation, evalOpts)).loss).toBe(r.bestValLoss);
    expect(r.test).toEqual(await evaluateSplit(model, parts.adapter, d.test!, evalOpts));
    disposeParts(parts);
  });

  it('a quickly memorised noisy set raises overfitting, stops early and restores the best adapter', async () => {
    // A third of the training labels are wrong: the model first learns the rule, then memorises the noise.
    const noisy = syntheticExamples(24, { seed: 1, numClasses: 3, labelOf: (w, i) => (i % 3 === 0 ? (byVocabThird(w) + 1) % 3 : byVocabThird(w)) });
    const parts = createTrainerParts(model);
    const { rec, cb } = recorder();
    const d = data(noisy, syntheticExamples(30, { seed: 2, numClasses: 3, labelOf: byVocabThird }));
    const r = await runTraining(parts, d, config({ learningRate: 1e-2, batchSize: 4, epochs: 15, seed: 3 }), runningControls(), cb);
    const ids = rec.diagnostics.map((x) => x.id);
    console.log(`[check] overfit run: ${r.status} after ${r.steps} steps, best step ${r.bestStep} (${r.bestValLoss}), diagnostics ${ids.join(', ')}`);
    expect(ids).toContain('overfitting');
    expect(r.status).toBe('early-stopped');
    expect(r.diagnostics.find((x) => x.id === 'early-stopping')?.startedAtStep).toBe(r.bestStep);
    expect(r.bestStep).toBeGreaterThan(0);
    expect(r.bestStep).toBeLessThan(r.steps);
    const overfit = r.diagnostics.find((x) => x.id === 'overfitting')!;
    expect(overfit.startedAtStep).toBe(r.bestStep);
    const restored = await evaluateSplit(model, parts.adapter, d.validation, { batchSize: 4, padTokenId: 0, numClasses: 3 });
    expect(restored.loss).toBe(r.bestValLoss);
    expect(r.bestValLoss).toBe(Math.min(...r.history.evals.map((e) => e.valLoss)));
    disposeParts(parts);
  });

  it('a learning rate of 1e-7 raises underfitting after an epoch', async () => {
    const parts = createTrainerParts(model);
    const { rec, cb } = recorder();
    const r = await runTraining(
      parts,
      data(learnable(32, 1), learnable(9, 2)),
      config({ learningRate: 1e-7, batchSize: 4, epochs: 2, earlyStopping: null }),
      runningControls(),
      cb,
    );
    const under = rec.diagnostics.find((x) => x.id === 'underfitting');
    console.log(`[check] lr 1e-7: ${under?.message}`);
    expect(under?.startedAtStep).toBe(8); // one epoch = 32 / 4 steps
    expect(r.status).toBe('finished');
    disposeParts(parts);
  });

  it('an absurd learning rate: the exploding loss is caught, rolled back, paused, and resumed with a lower lr', async () => {
    const parts = createTrainerParts(model);
    let lrAfterResume = 0;
    const { rec, cb } = recorder({ onResume: (p) => void (lrAfterResume = p.learningRate) });
    const controls = runningControls({ awaitResume: async () => ({ learningRate: 1e-3 }) });
    const r = await runTraining(parts, data(learnable(32, 1), learnable(9, 2)), config({ learningRate: 1e3, epochs: 3 }), controls, cb);
    const diverged = rec.diagnostics.find((x) => x.id === 'non-finite-loss');
    console.log(`[check] lr 1e3: rollbacks ${JSON.stringify(rec.rollbacks)}; ${diverged?.message}`);
    expect(rec.rollbacks).toEqual([{ fromStep: 2, toStep: 0 }]); // step 2's loss is ~2.8e3, 100x the initial
    expect(rec.pauses).toEqual(['non-finite-loss']);
    expect(diverged?.severity).toBe('error');
    expect(diverged?.message).toMatch(/lower it/);
    expect(lrAfterResume).toBe(1e-3);
    expect(r.status).toBe('finished');
    expect(r.history.train.every((p) => p.loss < 10)).toBe(true);
    expect(r.history.train.map((p) => p.step)).toEqual(Array.from({ length: r.steps }, (_, i) => i + 1));
    disposeParts(parts);
  });

  it('a true NaN (divergence guard off) rolls back to the last good evaluation and pauses', async () => {
    const parts = createTrainerParts(model);
    let stop = false;
    const { rec, cb } = recorder();
    const controls = runningControls({ shouldStop: () => stop, awaitResume: async () => void (stop = true) });
    const c = config({ learningRate: 1e3, epochs: 12, divergenceLossFactor: null, earlyStopping: null });
    const r = await runTraining(parts, data(learnable(32, 1), learnable(9, 2)), c, controls, cb);
    console.log(`[check] NaN: rollbacks ${JSON.stringify(rec.rollbacks)}, last loss before ${rec.train.at(-1)?.loss}`);
    expect(rec.rollbacks).toHaveLength(1);
    expect(rec.rollbacks[0].fromStep).toBe(rec.train.at(-1)!.step + 1); // the failing step was never applied
    expect(r.history.train.every((p) => p.step <= rec.rollbacks[0].toStep)).toBe(true);
    expect(rec.pauses).toEqual(['non-finite-loss']);
    expect(r.status).toBe('stopped');
    disposeParts(parts);
  });

  it('stop during the NaN pause ends the run with the best adapter', async () => {
    const parts = createTrainerParts(model);
    let stop = false;
    const { rec, cb } = recorder();
    const controls = runningControls({ shouldStop: () => stop, awaitResume: async () => void (stop = true) });
    const r = await runTraining(parts, data(learnable(32, 1), learnable(9, 2)), config({ learningRate: 1e3, epochs: 3 }), controls, cb);
    expect(rec.pauses).toEqual(['non-finite-loss']);
    expect(r.status).toBe('stopped');
    const restored = await evaluateSplit(model, parts.adapter, learnable(9, 2), { batchSize: 8, padTokenId: 0, numClasses: 3 });
    expect(restored.loss).toBe(r.bestValLoss);
    disposeParts(parts);
  });
});
