// Tests for the training step against PyTorch/PEFT: loss, gradients at step 1, AdamW weights after steps 1 and 3.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tryLoadBertModel, type BertModel } from '../model/families/bert/model';
import { tryParseBertConfig } from '../model/config';
import { readPeftWeights, trySetPeftWeights, tryCreateLoraAdapter, type LoraAdapter } from '../model/lora';
import { compareArrays, loadBertFixture, logErrors, useCpuBackend } from '../test/fixtures';
import { createAdamW } from './adamw';
import { computeLossAndGrads, evaluateBatch, trainStep } from './classifierStep';

const fx = loadBertFixture();
const opt = fx.trainStep.optimizer;
let model: BertModel;

beforeAll(async () => {
  await useCpuBackend();
  const config = tryParseBertConfig(fx.configJson);
  if (!config.ok) throw new Error(config.error);
  const loaded = tryLoadBertModel(fx.weights, config.value);
  if (!loaded.ok) throw new Error(loaded.error);
  model = loaded.value;
});

/** The reference tensors under `prefix` (initial., grad., after_step_1., ...) keyed by PEFT key. */
const refTensors = (prefix: string) => new Map([...fx.trainStepTensors].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

function adapterAtInitialWeights(): LoraAdapter {
  const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: ['query', 'value'], seed: 0 });
  if (!created.ok) throw new Error(created.error);
  const set = trySetPeftWeights(created.value, refTensors('initial.'));
  if (!set.ok) throw new Error(set.error);
  return created.value;
}

const createOptimizer = (adapter: LoraAdapter) =>
  createAdamW(
    adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })),
    { beta1: opt.betas[0], beta2: opt.betas[1], eps: opt.eps, weightDecay: opt.weight_decay },
  );

function relLoss(label: string, got: number, want: number): number {
  const rel = Math.abs(got - want) / Math.abs(want);
  console.log(`[check] ${label}: ${got} vs ${want}, rel ${rel.toExponential(2)}`);
  return rel;
}

describe('classifier train step (bert fixture)', () => {
  it('gives the step-1 loss and the gradient of every trainable tensor', async () => {
    const adapter = adapterAtInitialWeights();
    const { loss, grads } = tf.tidy(() => {
      const r = computeLossAndGrads(model, adapter, fx.batch, { training: true, seed: 0 });
      return { loss: r.loss, grads: r.grads };
    });
    expect(relLoss('step-1 loss', (await loss.data())[0], fx.trainStep.losses[0])).toBeLessThanOrEqual(1e-5);
    expect(Object.fromEntries(adapter.peftTensors.map((p) => [p.key, p.peftShape]))).toEqual(fx.trainStep.trainable_keys);
    expect(Object.keys(grads).length).toBe(adapter.peftTensors.length);
    const expected = refTensors('grad.');
    for (const p of adapter.peftTensors) {
      const g = grads[p.variable.name];
      const gt = p.transposed ? tf.transpose(g) : tf.clone(g);
      const want = expected.get(p.key)!;
      expect(gt.shape).toEqual(want.shape);
      const maxB = Math.max(...Array.from(want.data, Math.abs));
      const e = logErrors(`grad ${p.key.replace('base_model.model.', '')}`, compareArrays(await gt.data(), want.data, { atol: 1e-5 + 1e-3 * maxB, rtol: 0 }));
      expect(e.worst).toBeLessThanOrEqual(1);
      gt.dispose();
    }
    tf.dispose([loss, ...Object.values(grads)]);
    adapter.dispose();
  });

  it('gives the same loss and gradients with keepBackwardWeights (custom frozen-Linear backward)', async () => {
    const config = tryParseBertConfig(fx.configJson);
    if (!config.ok) throw new Error(config.error);
    const fast = tryLoadBertModel(fx.weights, config.value, { keepBackwardWeights: true });
    if (!fast.ok) throw new Error(fast.error);
    expect(fast.value.layers[0].query.wHf?.shape).toEqual([32, 32]);
    const adapter = adapterAtInitialWeights();
    const run = (m: BertModel) => tf.tidy(() => computeLossAndGrads(m, adapter, fx.batch, { training: true, seed: 0 }));
    const a = run(model);
    const b = run(fast.value);
    expect(relLoss('keepBackwardWeights loss', (await b.loss.data())[0], fx.trainStep.losses[0])).toBeLessThanOrEqual(1e-5);
    let maxDiff = 0;
    for (const p of adapter.peftTensors) {
      const x = await a.grads[p.variable.name].data();
      const y = await b.grads[p.variable.name].data();
      x.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - y[i]))));
    }
    console.log(`[check] keepBackwardWeights vs plain gradients: max abs diff ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThanOrEqual(1e-7);
    tf.dispose([a.loss, b.loss, ...Object.values(a.grads), ...Object.values(b.grads)]);
    fast.value.dispose();
    adapter.dispose();
  });

  it('matches torch AdamW weights after steps 1 and 3, and the losses', async () => {
    const adapter = adapterAtInitialWeights();
    const optimizer = createOptimizer(adapter);
    const grads = refTensors('grad.');
    const compareWeights = async (label: string, prefix: string) => {
      const got = await readPeftWeights(adapter);
      for (const [key, want] of refTensors(prefix)) {
        // Adam divides by sqrt(v): elements with |grad| < 1e-5 may move by up to lr on noise (README); skip them.
        const g = grads.get(key)!.data;
        const e = compareArrays(got[key].data, want.data, { atol: 1e-4, rtol: 0 }, (i) => Math.abs(g[i]) >= 1e-5);
        logErrors(`${label} ${key.replace('base_model.model.', '')} (${want.data.length - e.count} masked)`, e);
        expect(e.worst).toBeLessThanOrEqual(1);
      }
    };
    for (let step = 0; step < 3; step++) {
      const loss = trainStep(model, adapter, optimizer, fx.batch, { lr: opt.lr, seed: step });
      expect(relLoss(`loss before step ${step + 1}`, (await loss.data())[0], fx.trainStep.losses[step])).toBeLessThanOrEqual(1e-5);
      loss.dispose();
      if (step === 0) await compareWeights('after step 1', 'after_step_1.');
    }
    await compareWeights('after step 3', 'after_step_3.');
    const after = evaluateBatch(model, adapter, fx.batch);
    expect(relLoss('loss after 3 steps', (await after.loss.data())[0], fx.trainStep.loss_after_3_steps)).toBeLessThanOrEqual(1e-5);
    tf.dispose([after.loss, after.logits]);
    optimizer.dispose();
    adapter.dispose();
  });

  it('changes only A, B and the head; base weights stay bit-identical', async () => {
    const adapter = adapterAtInitialWeights();
    const optimizer = createOptimizer(adapter);
    const snapshot = async (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => Array.from(await t.data())));
    const frozen: tf.Tensor[] = [model.wordEmbeddings, model.positionEmbeddings, model.tokenTypeEmbeddings, model.embeddingsLayerNorm.gamma];
    for (const l of model.linears) frozen.push(l.w, ...(l.b ? [l.b] : []));
    const frozenBefore = await snapshot(frozen);
    const trainableBefore = await snapshot(adapter.trainableVariables);
    trainStep(model, adapter, optimizer, fx.batch, { lr: 1e-2, seed: 0 }).dispose();
    expect(await snapshot(frozen)).toEqual(frozenBefore);
    const trainableAfter = await snapshot(adapter.trainableVariables);
    trainableAfter.forEach((after, i) => expect(after).not.toEqual(trainableBefore[i]));
    optimizer.dispose();
    adapter.dispose();
  });

  it('keeps tf.memory().numTensors flat across steps (with dropout and clipping)', () => {
    const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0.1, targetModules: ['query', 'value'], seed: 0 });
    if (!created.ok) throw new Error(created.error);
    const adapter = created.value;
    const optimizer = createOptimizer(adapter);
    trainStep(model, adapter, optimizer, fx.batch, { lr: 1e-3, seed: 0, maxGradNorm: 1 }).dispose(); // warm-up
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 5; step++) {
      trainStep(model, adapter, optimizer, fx.batch, { lr: 1e-3, seed: step, maxGradNorm: 1 }).dispose();
    }
    console.log(`[check] numTensors before ${before}, after 5 steps ${tf.memory().numTensors}`);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    adapter.dispose();
  });

  it('is repeatable for a seed with LoRA dropout on', async () => {
    const run = async () => {
      const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0.5, targetModules: ['query', 'value'], seed: 9 });
      if (!created.ok) throw new Error(created.error);
      tf.tidy(() => created.value.layers.forEach((l) => l.loraB.assign(tf.fill(l.loraB.shape, 0.1))));
      const optimizer = createOptimizer(created.value);
      const loss = trainStep(model, created.value, optimizer, fx.batch, { lr: 1e-2, seed: 4 });
      const value = (await loss.data())[0];
      loss.dispose();
      optimizer.dispose();
      created.value.dispose();
      return value;
    };
    expect(await run()).toBe(await run());
  });
});
