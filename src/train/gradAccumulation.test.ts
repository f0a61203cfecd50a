// Gradient accumulation on the tiny reference BERT: 2 micro-batches of 8 give the loss and gradients of one
// batch of 16 (within float tolerance), and the accumulator holds no extra tensors across steps.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SequenceModel } from '../model/types';
import { compareArrays, useCpuBackend } from '../test/fixtures';
import { createTrainerParts, disposeParts, loadTinyBertClassifier, syntheticExamples } from '../test/tinyTraining';
import type { AdamW } from './adamw';
import { padBatch } from './batches';
import { computeLossAndGrads } from './classifierStep';
import { createGradAccumulator } from './gradAccumulation';

let model: SequenceModel;
beforeAll(async () => {
  await useCpuBackend();
  model = loadTinyBertClassifier(3);
});

/** An optimizer stand-in that keeps a copy of the gradients it is given. */
function capturingOptimizer() {
  const seen: Record<string, tf.Tensor> = {};
  const optimizer: AdamW = {
    step: (grads) => Object.entries(grads).forEach(([k, g]) => (seen[k] = tf.keep(tf.clone(g)))),
    getState: async () => ({}),
    setState: () => {},
    dispose: () => tf.dispose(Object.values(seen)),
  };
  return { optimizer, seen };
}

describe('createGradAccumulator', () => {
  it('2 x 8 accumulated equals one batch of 16', async () => {
    const parts = createTrainerParts(model, { seed: 5 });
    const { adapter } = parts;
    // A non-zero B so the LoRA A matrices get gradients too.
    tf.tidy(() => adapter.layers.forEach((l, i) => l.loraB.assign(tf.randomNormal(l.loraB.shape, 0, 0.1, 'float32', i + 1))));
    const examples = syntheticExamples(16, { seed: 11, numClasses: 3, minLen: 4, maxLen: 12 });
    const whole = padBatch(examples, 0);
    const ref = tf.tidy(() => {
      const r = computeLossAndGrads(model, adapter, whole, { training: false, seed: 0 });
      return { loss: r.loss, grads: r.grads };
    });

    const acc = createGradAccumulator(adapter.trainableVariables);
    for (const part of [examples.slice(0, 8), examples.slice(8)]) {
      const batch = padBatch(part, 0);
      acc.add(() => computeLossAndGrads(model, adapter, batch, { training: false, seed: 0 }), batch.B / 16);
    }
    const [loss, norm] = await acc.summary().data();
    const { optimizer, seen } = capturingOptimizer();
    acc.apply(optimizer, 1e-3, null);

    const refLoss = (await ref.loss.data())[0];
    expect(Math.abs(loss - refLoss) / refLoss).toBeLessThan(1e-6);
    const refNorm = (await tf.tidy(() => tf.sqrt(tf.addN(Object.values(ref.grads).map((g) => tf.sum(tf.square(g)))))).data())[0];
    expect(Math.abs(norm - refNorm) / refNorm).toBeLessThan(1e-5);
    let worst = 0;
    for (const [name, g] of Object.entries(ref.grads)) {
      const want = await g.data();
      const maxB = Array.from(want).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      const e = compareArrays(await seen[name].data(), want, { atol: 1e-6 + 1e-4 * maxB, rtol: 0 });
      worst = Math.max(worst, e.worst);
    }
    console.log(`[check] accumulation 2x8 vs 16: loss ${loss} vs ${refLoss}, worst/tol ${worst.toFixed(3)} over ${Object.keys(ref.grads).length} tensors`);
    expect(worst).toBeLessThanOrEqual(1);
    expect(Object.keys(seen).sort()).toEqual(Object.keys(ref.grads).sort());

    tf.dispose([ref.loss, ...Object.values(ref.grads)]);
    optimizer.dispose();
    acc.dispose();
    disposeParts(parts);
  });

  it('keeps numTensors flat across accumulated steps and frees everything on dispose', async () => {
    const start = tf.memory().numTensors;
    const parts = createTrainerParts(model);
    const acc = createGradAccumulator(parts.adapter.trainableVariables);
    const batch = padBatch(syntheticExamples(4, { seed: 1, numClasses: 3 }), 0);
    const counts: number[] = [];
    for (let step = 0; step < 4; step++) {
      for (let m = 0; m < 2; m++) acc.add(() => computeLossAndGrads(model, parts.adapter, batch, { training: true, seed: step }), 0.5);
      const s = acc.summary();
      await s.data();
      s.dispose();
      acc.apply(parts.optimizer, 1e-3, 1);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    acc.dispose();
    disposeParts(parts);
    expect(tf.memory().numTensors).toBe(start);
  });
});
