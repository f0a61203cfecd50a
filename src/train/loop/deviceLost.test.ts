// A lost compute device mid-run (issue 13): the loop ends with a DeviceLostError naming the reason and the step,
// whether the loss is known before the next step or only after a step failed on the dead device; a failed step
// on a lost device is not blamed on the learning rate; any other error still propagates as it is; nothing leaks.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SequenceModel } from '../../model/types';
import { useCpuBackend } from '../../test/fixtures';
import { createTrainerParts, disposeParts, loadTinyBertClassifier, runningControls, syntheticExamples } from '../../test/tinyTraining';
import { classifierTask, DeviceLostError, runLoop, type TrainingCallbacks, type TrainingConfig, type TrainingData } from '.';

let model: SequenceModel;
beforeAll(async () => {
  await useCpuBackend();
  model = loadTinyBertClassifier(2);
});

const DATA: TrainingData = {
  train: syntheticExamples(24, { seed: 1, numClasses: 2 }),
  validation: syntheticExamples(8, { seed: 2, numClasses: 2 }),
  padTokenId: 0,
  numClasses: 2,
};
const CONFIG: TrainingConfig = { learningRate: 1e-2, batchSize: 4, epochs: 2, seed: 3, evalEverySteps: 2, earlyStopping: null };
const REASON = 'the GPU device was lost (destroyed)';

/** `how`: the loss is reported before step `at` + 1 ('reported'), or that step fails first ('failing'), or fails for another reason ('other'). */
async function runUntilLost(at: number, how: 'reported' | 'failing' | 'other') {
  const before = tf.memory().numTensors;
  const parts = createTrainerParts(model);
  let steps = 0;
  let calls = 0;
  let lost: string | null = null;
  const diagnostics: string[] = [];
  const cb: TrainingCallbacks = {
    onTrainPoint: () => {
      steps += 1;
      if (steps === at && how === 'reported') lost = REASON;
    },
    onEval: () => {},
    onDiagnostic: (d) => diagnostics.push(d.id),
  };
  const task = classifierTask(parts, DATA, CONFIG.batchSize);
  const lossAndGrads = task.lossAndGrads.bind(task);
  task.lossAndGrads = (batch, seed) => {
    calls += 1;
    if (how !== 'reported' && calls === at + 1) {
      // As on Dawn: the readback fails first, device.lost settles a moment later.
      if (how === 'failing') setTimeout(() => (lost = REASON), 5);
      throw new Error(how === 'failing' ? "Failed to execute 'mapAsync' on 'GPUBuffer': Device is lost" : 'a bug');
    }
    return lossAndGrads(batch, seed);
  };
  const err = await runLoop(task, CONFIG, runningControls({ deviceLost: () => lost }), cb).then(
    () => null,
    (e: unknown) => e,
  );
  disposeParts(parts);
  return { err, steps, diagnostics, leaked: tf.memory().numTensors - before };
}

describe('device lost mid-run', () => {
  it('ends with DeviceLostError at the step where the loss was reported, before training on', async () => {
    const { err, steps, diagnostics, leaked } = await runUntilLost(3, 'reported');
    expect(leaked).toBe(0);
    expect(err).toBeInstanceOf(DeviceLostError);
    expect((err as DeviceLostError).step).toBe(3);
    expect((err as DeviceLostError).message).toBe(`Training paused at step 3: ${REASON}.`);
    expect(steps).toBe(3);
    expect(diagnostics).not.toContain('non-finite-loss');
  });

  it('a step that fails on the dead device before its loss is reported ends the same way', async () => {
    const { err, steps, diagnostics, leaked } = await runUntilLost(4, 'failing');
    expect(leaked).toBe(0);
    expect(err).toBeInstanceOf(DeviceLostError);
    expect((err as DeviceLostError).step).toBe(4);
    expect((err as DeviceLostError).reason).toBe(REASON);
    expect(steps).toBe(4);
    expect(diagnostics).not.toContain('non-finite-loss');
  });

  it('any other error propagates unchanged', async () => {
    const { err } = await runUntilLost(2, 'other');
    expect(err).not.toBeInstanceOf(DeviceLostError);
    expect((err as Error).message).toBe('a bug');
  });
});
