// Tests for the BERT forward pass against HF transformers 4.40 outputs (shared/fixtures/reference/bert).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareArrays, forwardFixtureBatch, loadBertFixture, logErrors, tokenMask, useCpuBackend } from '../../../test/fixtures';
import { meanPoolHidden, tryLoadBertModel, type BertModel } from './model';
import { tryParseBertConfig, type BertConfig } from '../../config';

const TOL = { atol: 1e-4, rtol: 1e-4 };
const fx = loadBertFixture();
let config: BertConfig;
let model: BertModel;

beforeAll(async () => {
  await useCpuBackend();
  const parsed = tryParseBertConfig(fx.configJson);
  if (!parsed.ok) throw new Error(parsed.error);
  config = parsed.value;
  const loaded = tryLoadBertModel(fx.weights, config);
  if (!loaded.ok) throw new Error(loaded.error);
  model = loaded.value;
});

describe('forwardBert (base model)', () => {
  it('matches HF logits, every hidden state (real tokens) and the loss', async () => {
    expect(model.headSource).toBe('checkpoint');
    const out = tf.tidy(() => forwardFixtureBatch(model, fx.batch));
    expect(out.hiddenStates.length).toBe(config.numHiddenLayers + 1);
    const logits = logErrors('base logits', compareArrays(await out.logits.data(), fx.expectedTensors.get('logits')!.data, TOL));
    expect(logits.worst).toBeLessThanOrEqual(1);
    const mask = tokenMask(fx.batch.attentionMask, config.hiddenSize);
    for (let i = 0; i < out.hiddenStates.length; i++) {
      const e = logErrors(
        `base hidden_states.${i}`,
        compareArrays(await out.hiddenStates[i].data(), fx.expectedTensors.get(`hidden_states.${i}`)!.data, TOL, mask),
      );
      expect(e.worst).toBeLessThanOrEqual(1);
    }
    const last = compareArrays(await out.lastHiddenState.data(), fx.expectedTensors.get('last_hidden_state')!.data, TOL, mask);
    expect(last.worst).toBeLessThanOrEqual(1);
    const loss = (await out.loss.data())[0];
    const rel = Math.abs(loss - fx.expected.loss) / Math.abs(fx.expected.loss);
    console.log(`[check] base loss: ${loss} vs ${fx.expected.loss}, rel ${rel.toExponential(2)}`);
    expect(rel).toBeLessThanOrEqual(1e-5);
    tf.dispose([out.logits, out.loss, out.lastHiddenState, out.attentionMask, ...out.hiddenStates]);
  });

  it('leaks no tensors and can skip the hidden states', () => {
    const before = tf.memory().numTensors;
    const logits = tf.tidy(() => {
      const r = forwardFixtureBatch(model, fx.batch, { keepHiddenStates: false });
      expect(r.hiddenStates).toEqual([]);
      return r.logits;
    });
    logits.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('mean-pools real tokens only', async () => {
    const pooled = tf.tidy(() => {
      const r = forwardFixtureBatch(model, fx.batch);
      return meanPoolHidden(r.lastHiddenState, r.attentionMask);
    });
    expect(pooled.shape).toEqual([4, config.hiddenSize]);
    const last = fx.expectedTensors.get('last_hidden_state')!.data;
    const row2 = Array.from({ length: config.hiddenSize }, (_, c) => {
      let s = 0;
      for (let t = 0; t < 5; t++) s += last[(2 * 16 + t) * config.hiddenSize + c]; // row 2 has 5 real tokens
      return s / 5;
    });
    const got = (await pooled.data()).slice(2 * config.hiddenSize, 3 * config.hiddenSize);
    expect(compareArrays(got, row2, TOL).worst).toBeLessThanOrEqual(1);
    pooled.dispose();
  });

  it('gives a base BertModel checkpoint (no classifier, no "bert." prefix) a seeded fresh head', async () => {
    const bare = new Map([...fx.weights].filter(([k]) => !k.startsWith('classifier.')).map(([k, v]) => [k.replace(/^bert\./, ''), v]));
    const five = { ...config, numLabels: 5, id2label: ['a', 'b', 'c', 'd', 'e'] };
    const a = tryLoadBertModel(bare, five, { seed: 7 });
    const b = tryLoadBertModel(bare, five, { seed: 7 });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.headSource).toBe('fresh-missing');
    expect(a.value.classifier.w.shape).toEqual([config.hiddenSize, 5]);
    expect(Array.from(await a.value.classifier.w.data())).toEqual(Array.from(await b.value.classifier.w.data()));
    a.value.dispose();
    b.value.dispose();
  });

  it('explains a checkpoint that does not match the config', () => {
    const wrong = tryLoadBertModel(fx.weights, { ...config, intermediateSize: 128 });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toMatch(/intermediate\.dense\.weight" has shape \[64,32\], expected \[128,32\]/);
    const notBert = tryLoadBertModel(new Map(), config);
    expect(!notBert.ok && notBert.error).toMatch(/not a BERT checkpoint/);
  });
});
