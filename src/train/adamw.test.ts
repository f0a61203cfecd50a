// Tests for AdamW: torch's update on scalars by hand, decay exclusion, state save/restore.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test/fixtures';
import { createAdamW } from './adamw';

beforeAll(useCpuBackend);

/** torch.optim.AdamW on one scalar, in float64. */
function torchAdamW(p: number, grads: number[], lr: number, wd: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number {
  let m = 0;
  let v = 0;
  grads.forEach((g, i) => {
    const t = i + 1;
    p *= 1 - lr * wd;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p -= (lr / (1 - b1 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps));
  });
  return p;
}

describe('AdamW', () => {
  it('follows torch.optim.AdamW, and skips decay for excluded params', async () => {
    const w = tf.variable(tf.tensor1d([0.5, -1.5]));
    const bias = tf.variable(tf.tensor1d([2]));
    const opt = createAdamW(
      [
        { name: 'w', variable: w },
        { name: 'bias', variable: bias },
      ],
      { weightDecay: 0.1, noDecay: [bias] },
    );
    const gw = [
      [0.3, -0.2],
      [0.1, 0.4],
      [-0.5, 0.05],
    ];
    const before = tf.memory().numTensors;
    for (const g of gw) {
      tf.tidy(() => opt.step({ [w.name]: tf.tensor1d(g), [bias.name]: tf.tensor1d([g[0]]) }, 0.05));
    }
    expect(tf.memory().numTensors).toBe(before);
    const got = await w.data();
    expect(got[0]).toBeCloseTo(
      torchAdamW(
        0.5,
        gw.map((g) => g[0]),
        0.05,
        0.1,
      ),
      6,
    );
    expect(got[1]).toBeCloseTo(
      torchAdamW(
        -1.5,
        gw.map((g) => g[1]),
        0.05,
        0.1,
      ),
      6,
    );
    expect((await bias.data())[0]).toBeCloseTo(
      torchAdamW(
        2,
        gw.map((g) => g[0]),
        0.05,
        0,
      ),
      6,
    );

    // State round-trip: a second optimizer restored from the first continues identically.
    const state = await opt.getState();
    expect(state.w.step).toBe(3);
    const w2 = tf.variable(w.clone());
    const opt2 = createAdamW(
      [
        { name: 'w', variable: w2 },
        { name: 'bias', variable: tf.variable(bias.clone()) },
      ],
      { weightDecay: 0.1 },
    );
    opt2.setState(state);
    tf.tidy(() => opt.step({ [w.name]: tf.tensor1d([0.2, 0.2]) }, 0.05));
    tf.tidy(() => opt2.step({ [w2.name]: tf.tensor1d([0.2, 0.2]) }, 0.05));
    expect(Array.from(await w2.data())).toEqual(Array.from(await w.data()));
    opt.dispose();
    opt2.dispose();
  });
});
