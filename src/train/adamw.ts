// AdamW exactly as torch.optim.AdamW (torch 1.13): decoupled decay, bias correction, eps outside the sqrt.
// Depends only on tfjs-core and lib/; owns its moment variables (dispose() frees them).
import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../lib/result';

export type AdamWOptions = {
  beta1?: number; // default 0.9
  beta2?: number; // default 0.999
  eps?: number; // default 1e-8
  weightDecay?: number; // default 0.01 (torch's default)
  /** Parameters that get no weight decay (e.g. biases, LayerNorm gains). */
  noDecay?: readonly (tf.Variable | null | undefined)[];
};

/** One parameter with a stable name (e.g. its PEFT key) so optimizer state can be saved and restored. */
export type NamedParam = { name: string; variable: tf.Variable };

/** Moments and step counts, keyed by parameter name, in the variables' own layout. */
export type AdamWState = Record<string, { step: number; shape: number[]; m: Float32Array; v: Float32Array }>;

export type AdamW = {
  /** One update of every parameter that has a gradient. grads are keyed by variable.name (tf.variableGrads). */
  step(grads: tf.NamedTensorMap, lr: number): void;
  getState(): Promise<AdamWState>;
  setState(state: AdamWState): void;
  dispose(): void;
};

type Slot = { param: NamedParam; m: tf.Variable; v: tf.Variable; step: number; decay: boolean };

export function createAdamW(params: readonly NamedParam[], options: AdamWOptions = {}): AdamW {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0.01;
  const noDecay = new Set(options.noDecay ?? []);
  const slots: Slot[] = params.map((param) => ({
    param,
    m: tf.tidy(() => tf.variable(tf.zerosLike(param.variable), false)),
    v: tf.tidy(() => tf.variable(tf.zerosLike(param.variable), false)),
    step: 0,
    decay: !noDecay.has(param.variable),
  }));

  return {
    step(grads, lr) {
      tf.tidy(() => {
        for (const slot of slots) {
          const g = grads[slot.param.variable.name];
          if (!g) continue; // torch skips parameters whose grad is None
          slot.step += 1;
          const p = slot.param.variable;
          const decayed = slot.decay && weightDecay !== 0 ? tf.mul(p, 1 - lr * weightDecay) : p; // p *= 1 - lr*wd
          slot.m.assign(tf.add(tf.mul(slot.m, beta1), tf.mul(g, 1 - beta1))); // m = b1*m + (1-b1)*g
          slot.v.assign(tf.add(tf.mul(slot.v, beta2), tf.mul(tf.mul(g, g), 1 - beta2))); // v = b2*v + (1-b2)*g^2
          const biasCorrection1 = 1 - beta1 ** slot.step;
          const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** slot.step);
          const denom = tf.add(tf.div(tf.sqrt(slot.v), biasCorrection2Sqrt), eps); // sqrt(v)/sqrt(bc2) + eps
          const stepSize = lr / biasCorrection1;
          p.assign(tf.sub(decayed, tf.mul(tf.div(slot.m, denom), stepSize))); // p -= lr/bc1 * m/denom
        }
      });
    },
    async getState() {
      const state: AdamWState = {};
      for (const s of slots) {
        state[s.param.name] = {
          step: s.step,
          shape: [...s.m.shape],
          m: Float32Array.from(await s.m.data()),
          v: Float32Array.from(await s.v.data()),
        };
      }
      return state;
    },
    setState(state) {
      for (const s of slots) {
        const saved = state[s.param.name];
        assert(saved, `optimizer state has no entry for "${s.param.name}"`);
        assert(saved.shape.join() === s.m.shape.join(), `optimizer state shape mismatch for "${s.param.name}"`);
        s.step = saved.step;
        tf.tidy(() => {
          s.m.assign(tf.tensor(saved.m, s.m.shape));
          s.v.assign(tf.tensor(saved.v, s.v.shape));
        });
      }
    },
    dispose() {
      for (const s of slots) {
        s.m.dispose();
        s.v.dispose();
      }
    },
  };
}
