// Resume from a checkpoint (issue 6): a run stopped mid-way, checkpointed through the storage codec and resumed
// equals, bit for bit on CPU, the run that was never interrupted: same per-step losses, same final adapter.
import { beforeAll, describe, expect, it } from 'vitest';
import { readPeftWeights } from '../../model/lora';
import type { SequenceModel } from '../../model/types';
import { useCpuBackend } from '../../test/fixtures';
import { createTrainerParts, disposeParts, loadTinyBertClassifier, runningControls, syntheticExamples } from '../../test/tinyTraining';
import { buildAdapterZip } from '../../model/peft/adapterZip';
import { decodeAdapterSnapshot, decodeLoopCheckpoint, encodeLoopCheckpoint } from '../checkpointCodec';
import { runTraining, type LoopCheckpoint, type ResumePoint, type TrainingCallbacks, type TrainingConfig, type TrainingData } from '.';

let model: SequenceModel;
beforeAll(async () => {
  await useCpuBackend();
  model = loadTinyBertClassifier(3);
});

const byVocabThird = (words: number[]) => {
  const votes = [0, 0, 0];
  for (const w of words) votes[Math.min(2, Math.floor((w - 200) / 267))] += 1;
  return votes.indexOf(Math.max(...votes));
};
const learnable = (n: number, seed: number) => syntheticExamples(n, { seed, numClasses: 3, labelOf: byVocabThird });
const DATA: TrainingData = { train: learnable(40, 1), validation: learnable(12, 2), padTokenId: 0, numClasses: 3 };
// 40 / 4 = 10 micro-batches = 5 steps per epoch, 2 epochs; evaluation every 2 steps, periodic checkpoints every 3.
const CONFIG: TrainingConfig = {
  learningRate: 2e-2,
  batchSize: 4,
  gradAccumSteps: 2,
  epochs: 2,
  seed: 11,
  evalEverySteps: 2,
  checkpointEverySteps: 3,
  lrDecay: 'cosine',
  earlyStopping: null,
};
const ZIP_INFO = { modelId: 'tiny-bert', labelNames: ['a', 'b', 'c'], adapterConfigJson: '{"base_model_name_or_path":"tiny-bert"}' };
const zipAdapter = (adapterSafetensors: Uint8Array) => buildAdapterZip({ ...ZIP_INFO, adapterSafetensors });

type Stored = { step: number; kind: 'periodic' | 'best'; blob: ReturnType<typeof encodeLoopCheckpoint> };

async function train(opts: { stopAfter?: number; resume?: ResumePoint }) {
  const parts = createTrainerParts(model, { loraDropout: 0.1 });
  const losses: number[] = [];
  const steps: number[] = [];
  const stored: Stored[] = [];
  const cb: TrainingCallbacks = {
    onTrainPoint: (p) => void (losses.push(p.loss), steps.push(p.step)),
    onEval: () => {},
    onDiagnostic: () => {},
    onCheckpoint: async (c: LoopCheckpoint) => {
      stored.push({ step: c.step, kind: c.kind, blob: encodeLoopCheckpoint(c, zipAdapter) });
      return null;
    },
  };
  const controls = runningControls({ shouldStop: () => opts.stopAfter !== undefined && steps.length >= opts.stopAfter });
  const result = await runTraining(parts, DATA, CONFIG, controls, cb, null, opts.resume ?? null);
  const weights = await readPeftWeights(parts.adapter);
  disposeParts(parts);
  return { result, losses, steps, stored, weights };
}

/** What the worker does: the latest checkpoint through the codec (structured clone = IndexedDB), plus the best adapter. */
function resumePointFrom(stored: Stored[]): ResumePoint {
  const latest = stored.at(-1)!;
  const blob = structuredClone(latest.blob);
  const decoded = decodeLoopCheckpoint(blob, latest.step);
  if (!decoded) throw new Error('checkpoint did not decode');
  const best = stored.filter((c) => c.kind === 'best').at(-1);
  return { ...decoded, best: best ? decodeAdapterSnapshot(structuredClone(best.blob.adapter), best.step) : null };
}

describe('resume from a checkpoint', () => {
  it('continues bit for bit: same per-step losses, same final adapter, no duplicated steps', async () => {
    const full = await train({});
    expect(full.steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(full.stored.map((c) => `${c.step}${c.kind[0]}`).length).toBeGreaterThan(2);

    const stopped = await train({ stopAfter: 7 });
    expect(stopped.result.status).toBe('stopped');
    const resumePoint = resumePointFrom(stopped.stored);
    const from = resumePoint.loop.stepsDone;
    expect(from).toBeGreaterThanOrEqual(3);
    expect(from).toBeLessThanOrEqual(7);
    expect(resumePoint.loop.history.train.map((p) => p.step)).toEqual(Array.from({ length: from }, (_, i) => i + 1));

    const resumed = await train({ resume: resumePoint });
    console.log(`[check] resumed at step ${from}; checkpoints ${stopped.stored.map((c) => `${c.step}:${c.kind}`).join(' ')}`);
    expect(resumed.steps).toEqual(full.steps.slice(from));
    expect(resumed.losses).toEqual(full.losses.slice(from));
    expect(stopped.losses.slice(0, from)).toEqual(full.losses.slice(0, from));
    expect(resumed.result.history.train.map((p) => p.loss)).toEqual(full.losses);
    expect(resumed.result.history.evals.map((e) => e.valLoss)).toEqual(full.result.history.evals.map((e) => e.valLoss));
    expect(resumed.result.bestStep).toBe(full.result.bestStep);
    expect(Object.keys(resumed.weights)).toEqual(Object.keys(full.weights));
    for (const [k, w] of Object.entries(full.weights)) expect(resumed.weights[k].data).toEqual(w.data);
  });

  it('a checkpoint that does not fit pauses the run with the storage message; resuming continues the same run', async () => {
    const full = await train({});
    const parts = createTrainerParts(model, { loraDropout: 0.1 });
    const losses: number[] = [];
    const pauses: { step: number; reason: string; message?: string }[] = [];
    let paused = false;
    let failures = 1;
    const cb: TrainingCallbacks = {
      onTrainPoint: (p) => void losses.push(p.loss),
      onEval: () => {},
      onDiagnostic: () => {},
      onPause: (p) => void ((paused = true), pauses.push(p)),
      onCheckpoint: async () => (failures-- > 0 ? 'Browser storage is full: saving the checkpoint at step 2 did not fit.' : null),
    };
    const controls = runningControls({ isPaused: () => paused, awaitResume: async () => void (paused = false) });
    const r = await runTraining(parts, DATA, CONFIG, controls, cb);
    disposeParts(parts);
    expect(pauses).toEqual([{ step: 2, reason: 'storage', message: 'Browser storage is full: saving the checkpoint at step 2 did not fit.' }]);
    expect(r.status).toBe('finished');
    expect(losses).toEqual(full.losses);
  });

  it('refuses a checkpoint of another step plan', async () => {
    const stopped = await train({ stopAfter: 4 });
    const point = resumePointFrom(stopped.stored);
    const parts = createTrainerParts(model);
    const cb: TrainingCallbacks = { onTrainPoint: () => {}, onEval: () => {}, onDiagnostic: () => {} };
    await expect(runTraining(parts, DATA, { ...CONFIG, epochs: 3 }, runningControls(), cb, null, point)).rejects.toThrow(/another step plan/);
    disposeParts(parts);
  });
});
