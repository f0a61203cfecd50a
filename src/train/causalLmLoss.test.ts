// Tests for the causal-LM loss: HF's shift, -100 masking, mean over targets, and the no-target case.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test/fixtures';
import { causalLmLoss, IGNORE_INDEX, shiftLabels } from './causalLmLoss';
import { causalLmLabels } from './causalLmStep';

beforeAll(useCpuBackend);

describe('causalLmLoss', () => {
  it('shifts labels left by one and counts only real targets', () => {
    const { targets, count } = shiftLabels(Int32Array.from([5, 6, 7, IGNORE_INDEX, 1, 2, 3, 4]), 2, 4);
    expect(Array.from(targets)).toEqual([6, 7, IGNORE_INDEX, IGNORE_INDEX, 2, 3, 4, IGNORE_INDEX]);
    expect(count).toBe(5);
  });

  it('is the mean of -log p(next token) over non-ignored targets', async () => {
    const logits = tf.tensor3d([0, 1, 2, 3, 0, 1, 2, 0, 1, 1, 1, 1], [1, 3, 4]); // B=1, T=3, V=4
    const loss = causalLmLoss(logits, Int32Array.from([IGNORE_INDEX, 2, 0]));
    const lse = (xs: number[]) => Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));
    const want = (lse([0, 1, 2, 3]) - 2 + (lse([0, 1, 2, 0]) - 0)) / 2;
    expect((await loss.data())[0]).toBeCloseTo(want, 6);
    const none = causalLmLoss(logits, Int32Array.from([1, IGNORE_INDEX, IGNORE_INDEX]));
    expect((await none.data())[0]).toBe(0);
    tf.dispose([logits, loss, none]);
  });

  it('value and gradient equal the log-softmax x one-hot formulation (no one-hot kept), tensors freed', () => {
    const B = 2,
      T = 5,
      V = 7;
    const data = Float32Array.from({ length: B * T * V }, (_, i) => Math.sin(i * 1.7) * 3);
    const labels = Int32Array.from([IGNORE_INDEX, 3, 6, 0, IGNORE_INDEX, 1, IGNORE_INDEX, 2, 5, 4]);
    const { targets, count } = shiftLabels(labels, B, T);
    const reference = (x: tf.Tensor3D) =>
      tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(tf.reshape(x, [B * T, V]), 1), tf.oneHot(tf.tensor1d(targets, 'int32'), V)))), count) as tf.Scalar;
    const before = tf.memory().numTensors;
    const [got, want] = tf.tidy(() => {
      const x = tf.tensor3d(data, [B, T, V]);
      const g = tf.valueAndGrad((t: tf.Tensor) => causalLmLoss(t as tf.Tensor3D, labels))(x);
      const r = tf.valueAndGrad((t: tf.Tensor) => reference(t as tf.Tensor3D))(x);
      return [
        [g.value.dataSync()[0], ...g.grad.dataSync()],
        [r.value.dataSync()[0], ...r.grad.dataSync()],
      ];
    });
    expect(got.length).toBe(1 + B * T * V);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds HF-style labels (-100 on padding and on a prompt)', () => {
    const labels = causalLmLabels(Int32Array.from([1, 9, 8, 7, 1, 5, 0, 0]), [1, 1, 1, 1, 1, 1, 0, 0], 1, 4);
    expect(Array.from(labels)).toEqual([IGNORE_INDEX, 9, 8, 7, IGNORE_INDEX, 5, IGNORE_INDEX, IGNORE_INDEX]);
  });
});
