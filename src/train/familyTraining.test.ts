// Training fidelity of every family against PyTorch/PEFT (train_step.*): loss and gradients at step 1, AdamW
// weights after steps 1 and 3, the losses, and flat tensor counts across decoder steps.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPeftWeights, trySetPeftWeights, tryCreateLoraAdapter, type LoraAdapter } from '../model/lora';
import { defaultTargetModules } from '../model/targets';
import type { SequenceModel } from '../model/types';
import {
  compareArrays,
  loadReferenceFixture,
  loadReferenceModel,
  logFixtureCheck,
  REFERENCE_FOLDERS,
  relLossCheck,
  useCpuBackend,
  type ReferenceFixture,
} from '../test/fixtures';
import { createAdamW, type AdamW } from './adamw';
import { causalLmTrainStep, computeCausalLmLossAndGrads, evaluateCausalLm, type CausalLmBatch } from './causalLmStep';
import { computeLossAndGrads, evaluateBatch, trainStep, type ClassifierBatch } from './classifierStep';

beforeAll(async () => {
  await useCpuBackend();
});

/** The task-appropriate step functions over the fixture batch. */
function steps(fx: ReferenceFixture, model: SequenceModel) {
  const lm = fx.task === 'CAUSAL_LM';
  const batch = fx.batch as ClassifierBatch & CausalLmBatch;
  return {
    lossAndGrads: (adapter: LoraAdapter) =>
      tf.tidy(() => (lm ? computeCausalLmLossAndGrads : computeLossAndGrads)(model, adapter, batch, { training: true, seed: 0 })),
    step: (adapter: LoraAdapter, optimizer: AdamW, lr: number, seed: number, extra: { maxGradNorm?: number } = {}) =>
      (lm ? causalLmTrainStep : trainStep)(model, adapter, optimizer, batch, { lr, seed, ...extra }),
    evalLoss: (adapter: LoraAdapter) => {
      const r = lm ? evaluateCausalLm(model, adapter, batch) : evaluateBatch(model, adapter, batch);
      r.logits.dispose();
      return r.loss;
    },
  };
}

describe.each(REFERENCE_FOLDERS)('%s training step', (name) => {
  const fx = loadReferenceFixture(name);
  const opt = fx.trainStep.optimizer;
  const refTensors = (prefix: string) => new Map([...fx.trainStepTensors].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  let model: SequenceModel;

  beforeAll(() => {
    model = loadReferenceModel(fx);
  });

  const adapterAtInitialWeights = (): LoraAdapter => {
    const created = tryCreateLoraAdapter(model, { r: 4, loraAlpha: 8, loraDropout: 0, targetModules: defaultTargetModules(model.family), seed: 0 });
    if (!created.ok) throw new Error(created.error);
    const set = trySetPeftWeights(created.value, refTensors('initial.'));
    if (!set.ok) throw new Error(set.error);
    return created.value;
  };
  const createOptimizer = (adapter: LoraAdapter) =>
    createAdamW(
      adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })),
      { beta1: opt.betas[0], beta2: opt.betas[1], eps: opt.eps, weightDecay: opt.weight_decay },
    );

  it('gives the step-1 loss and the gradient of every trainable tensor', async () => {
    const adapter = adapterAtInitialWeights();
    expect(Object.fromEntries(adapter.peftTensors.map((p) => [p.key, p.peftShape]))).toEqual(fx.trainStep.trainable_keys);
    const { loss, grads } = steps(fx, model).lossAndGrads(adapter);
    expect(relLossCheck(name, 'step-1 loss', (await loss.data())[0], fx.trainStep.losses[0])).toBeLessThanOrEqual(1e-5);
    expect(Object.keys(grads).length).toBe(adapter.peftTensors.length);
    const expected = refTensors('grad.');
    let worst = { maxAbs: 0, worst: 0 };
    for (const p of adapter.peftTensors) {
      const gt = tf.tidy(() => (p.transposed ? tf.transpose(grads[p.variable.name]) : tf.clone(grads[p.variable.name])));
      const want = expected.get(p.key)!;
      expect(gt.shape).toEqual(want.shape);
      const maxB = want.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      // README: per tensor max|a - b| <= 1e-5 + 1e-3 * max|b|.
      const e = compareArrays(await gt.data(), want.data, { atol: 1e-5 + 1e-3 * maxB, rtol: 0 });
      expect(e.worst, p.key).toBeLessThanOrEqual(1);
      worst = { maxAbs: Math.max(worst.maxAbs, e.maxAbs), worst: Math.max(worst.worst, e.worst) };
      gt.dispose();
    }
    logFixtureCheck(name, `gradients step 1 (${adapter.peftTensors.length} tensors)`, worst);
    tf.dispose([loss, ...Object.values(grads)]);
    adapter.dispose();
  });

  it('matches torch AdamW weights after steps 1 and 3, and the losses', async () => {
    const adapter = adapterAtInitialWeights();
    const optimizer = createOptimizer(adapter);
    const run = steps(fx, model);
    const grads = refTensors('grad.');
    const compareWeights = async (label: string, prefix: string) => {
      const got = await readPeftWeights(adapter);
      let worst = { maxAbs: 0, worst: 0 };
      let masked = 0;
      for (const [key, want] of refTensors(prefix)) {
        // README: Adam divides by sqrt(v), so elements with |grad| < 1e-5 (distilbert: exact zeros) are masked.
        const g = grads.get(key)!.data;
        const e = compareArrays(got[key].data, want.data, { atol: 1e-4, rtol: 0 }, (i) => Math.abs(g[i]) >= 1e-5);
        masked += want.data.length - e.count;
        expect(e.worst, `${label} ${key}`).toBeLessThanOrEqual(1);
        worst = { maxAbs: Math.max(worst.maxAbs, e.maxAbs), worst: Math.max(worst.worst, e.worst) };
      }
      logFixtureCheck(name, `${label} weights (${masked} masked)`, worst);
    };
    for (let step = 0; step < 3; step++) {
      const loss = run.step(adapter, optimizer, opt.lr, step);
      expect(relLossCheck(name, `loss before step ${step + 1}`, (await loss.data())[0], fx.trainStep.losses[step])).toBeLessThanOrEqual(1e-5);
      loss.dispose();
      if (step === 0) await compareWeights('AdamW step 1', 'after_step_1.');
    }
    await compareWeights('AdamW step 3', 'after_step_3.');
    const after = run.evalLoss(adapter);
    expect(relLossCheck(name, 'loss after 3 steps', (await after.data())[0], fx.trainStep.loss_after_3_steps)).toBeLessThanOrEqual(1e-5);
    after.dispose();
    optimizer.dispose();
    adapter.dispose();
  });
});

describe.each(['llama', 'gpt2-seqcls'] as const)('%s memory', (name) => {
  it('keeps tf.memory().numTensors flat across steps (LoRA dropout and clipping on)', () => {
    const fx = loadReferenceFixture(name);
    const model = loadReferenceModel(fx);
    const created = tryCreateLoraAdapter(model, {
      r: 4,
      loraAlpha: 8,
      loraDropout: 0.1,
      targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'c_attn', 'c_fc'],
      seed: 0,
    });
    if (!created.ok) throw new Error(created.error);
    const adapter = created.value;
    const optimizer = createAdamW(adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })));
    const run = steps(fx, model);
    run.step(adapter, optimizer, 1e-3, 0, { maxGradNorm: 1 }).dispose(); // warm-up
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 5; step++) run.step(adapter, optimizer, 1e-3, step, { maxGradNorm: 1 }).dispose();
    console.log(`[fixture] ${name} | numTensors before ${before}, after 5 steps ${tf.memory().numTensors} | 0.00e+0 | 0.000`);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    adapter.dispose();
    model.dispose();
  });
});
