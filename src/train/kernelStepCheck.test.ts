// The step the WebGPU kernel check compares: on the CPU backend it gives a finite loss and a nonzero gradient
// for every LoRA tensor of both families, and the same numbers twice (so the browser comparison is meaningful).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { STEP_CHECK_FAMILIES, stepArrays } from './kernelStepCheck';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('kernel step check', () => {
  for (const family of STEP_CHECK_FAMILIES) {
    it(`${family}: finite loss, nonzero LoRA gradients, deterministic, no leaked tensors`, async () => {
      const before = tf.memory().numTensors;
      const a = await stepArrays(family, 3);
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(a.loss[0]) && a.loss[0] > 0).toBe(true);
      const loraGrads = Object.keys(a).filter((k) => k.includes('lora_'));
      expect(loraGrads.length).toBe(2 * 2 * 2); // 2 layers x (q, v) x (A, B)
      for (const k of loraGrads)
        expect(
          a[k].some((x) => x !== 0),
          k,
        ).toBe(true);
      const b = await stepArrays(family, 3);
      expect(b.loss[0]).toBe(a.loss[0]);
    });
  }
});
