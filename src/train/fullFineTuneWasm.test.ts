// Full fine-tuning on the real wasm backend in Node: every base weight gets a gradient (the frozen fast path of
// model/layers must not swallow a trainable weight's gradient) and a tiny separable task is learned.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmBackend } from '../test/wasmBackend';
import { loadTinyBertClassifier, syntheticExamples } from '../test/tinyTraining';
import { tryCreateLoraAdapter } from '../model/lora';
import { tryApplyStrategy, type FineTuneStrategy } from '../model/strategy';
import { createAdamW } from './adamw';
import { padBatch } from './batches';
import { computeLossAndGrads, evaluateLogits, trainStep } from './classifierStep';
import { createRng } from '../lib/rng';
import type { TokenizedExample } from './batches';

/** Class c's rows use only words from its own 20-word block: separable by any bag of words. */
function separable(n: number, seed: number): TokenizedExample[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = i % 3;
    const words = Array.from({ length: 4 + rng.int(5) }, () => 200 + label * 20 + rng.int(20));
    return { ids: [101, ...words, 102], label };
  });
}

function setup(strategy: FineTuneStrategy) {
  const model = loadTinyBertClassifier(3, 0);
  const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['query', 'value'], seed: 0 });
  if (!created.ok) throw new Error(created.error);
  const applied = tryApplyStrategy(model, created.value, strategy);
  if (!applied.ok) throw new Error(applied.error);
  return { model, adapter: created.value };
}

describe('full fine-tuning on wasm', () => {
  useWasmBackend();

  it('gives every trainable variable a gradient (linear weights and biases included)', () => {
    const { model, adapter } = setup('full');
    const batch = padBatch(syntheticExamples(8, { seed: 1, numClasses: 3, labelOf: (w) => w[0] % 3 }), 0);
    const missing = tf.tidy(() => {
      const { grads } = computeLossAndGrads(model, adapter, batch, { training: false, seed: 0 });
      return adapter.trainableVariables.filter((v) => !grads[v.name]).map((v) => v.name);
    });
    const withoutGrad = adapter.peftTensors.filter((p) => missing.includes(p.variable.name)).map((p) => p.key);
    expect(withoutGrad).toEqual([]);
    adapter.dispose();
    model.dispose();
  });

  it('learns a separable 3-class task well past the majority class (held-out rows)', () => {
    const { model, adapter } = setup('full');
    const optimizer = createAdamW(
      adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })),
      { weightDecay: 0.01, noDecay: adapter.noDecayVariables },
    );
    const train = separable(48, 2);
    const n0 = tf.memory().numTensors;
    for (let step = 0; step < 30; step++) {
      const rows = train.slice((step % 3) * 16, (step % 3) * 16 + 16);
      trainStep(model, adapter, optimizer, padBatch(rows, 0), { lr: 1e-3, seed: step, training: false, maxGradNorm: 1 }).dispose();
    }
    expect(tf.memory().numTensors).toBe(n0);
    const test = separable(30, 9);
    const logits = evaluateLogits(model, adapter, padBatch(test, 0));
    const predicted = Array.from(tf.tidy(() => tf.argMax(logits, 1)).dataSync());
    logits.dispose();
    const accuracy = predicted.filter((p, i) => p === test[i].label).length / test.length;
    expect(accuracy).toBeGreaterThan(0.9); // majority 1/3; embeddings-only training (the bug) reached 0.73
    optimizer.dispose();
    adapter.dispose();
    model.dispose();
  });
});
