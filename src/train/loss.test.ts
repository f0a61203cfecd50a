// Tests for softmax cross-entropy: values against a float64 reference, stability for large logits.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test/fixtures';
import { softmaxCrossEntropy } from './loss';

beforeAll(useCpuBackend);

describe('softmaxCrossEntropy', () => {
  it('is the mean negative log-probability of the label', async () => {
    const logits = [
      [1, 2, 3],
      [0.5, -1, 0],
    ];
    const labels = [2, 1];
    const want = logits.reduce((s, row, i) => s - (row[labels[i]] - Math.log(row.reduce((a, x) => a + Math.exp(x), 0))), 0) / logits.length;
    const loss = tf.tidy(() => softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32')));
    expect((await loss.data())[0]).toBeCloseTo(want, 6);
    loss.dispose();
  });

  it('stays finite for very large logits', async () => {
    const loss = tf.tidy(() => softmaxCrossEntropy(tf.tensor2d([[1000, -1000]]), tf.tensor1d([1], 'int32')));
    expect((await loss.data())[0]).toBeCloseTo(2000, 2);
    loss.dispose();
  });
});
