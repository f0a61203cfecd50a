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
    const want = ((lse([0, 1, 2, 3]) - 2) + (lse([0, 1, 2, 0]) - 0)) / 2;
    expect((await loss.data())[0]).toBeCloseTo(want, 6);
    const none = causalLmLoss(logits, Int32Array.from([1, IGNORE_INDEX, IGNORE_INDEX]));
    expect((await none.data())[0]).toBe(0);
    tf.dispose([logits, loss, none]);
  });

  it('builds HF-style labels (-100 on padding and on a prompt)', () => {
    const labels = causalLmLabels(Int32Array.from([1, 9, 8, 7, 1, 5, 0, 0]), [1, 1, 1, 1, 1, 1, 0, 0], 1, 4);
    expect(Array.from(labels)).toEqual([IGNORE_INDEX, 9, 8, 7, IGNORE_INDEX, 5, IGNORE_INDEX, IGNORE_INDEX]);
  });
});
