// The studio's WGSL kernels as differentiable ops (tf.customGrad; backward from stock tfjs ops, or our own
// kernel for cross-entropy), used by the models and losses only on the webgpu backend and only while the switch
// is on (setWebGpuKernels(false) keeps the stock path testable). Call inside tf.tidy.
import * as tf from '@tensorflow/tfjs-core';
import { KERNELS, registerStudioWebGpuKernels } from './register';

let enabled = true;
/** Off: the models and losses use stock tfjs ops on webgpu too (browser tests and bench:train's stock baseline). */
export function setWebGpuKernels(on: boolean): void {
  enabled = on;
}

/** True when the fused WGSL kernels are in use: the webgpu backend runs and the switch is on. */
export function webGpuKernelsActive(): boolean {
  if (!enabled || tf.getBackend() !== 'webgpu') return false;
  registerStudioWebGpuKernels();
  return true;
}

const calls: Record<string, number> = {};
/** How often each fused kernel has run since the last reset (the browser test checks the models really use them). */
export function fusedKernelCalls(reset = false): Record<string, number> {
  const out = { ...calls };
  if (reset) for (const k of Object.keys(calls)) delete calls[k];
  return out;
}

function run<T extends tf.Tensor>(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number> = {}): T {
  calls[name] = (calls[name] ?? 0) + 1;
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as T;
}

/** Whether fusedAttention takes this mask: additive float32 [1 or B, 1, 1 or Tq, Tk], or none. */
export function fusedAttentionFits(q: tf.Tensor4D, k: tf.Tensor4D, mask: tf.Tensor | null): boolean {
  if (q.shape[3] > 256) return false; // the per-row accumulator lives in registers
  if (!mask) return true;
  const [mb, one, mq, mk] = mask.shape;
  return mask.rank === 4 && mask.dtype === 'float32' && one === 1 && (mb === 1 || mb === q.shape[0]) && (mq === 1 || mq === q.shape[2]) && mk === k.shape[2];
}

/**
 * softmax(q·kᵀ·scale + mask)·v in one kernel: q [B, H, Tq, D], k/v [B, H, Tk, D], additive mask (see
 * fusedAttentionFits) -> [B, H, Tq, D]. No dropout. Backward: the scores recomputed with stock ops.
 */
export function fusedAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D | null, scale: number): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [qi, ki, vi, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    // Saved (not closed over): the engine keeps saved tensors for the backward pass; a mask made inside the
    // forward would be disposed by then.
    save(mask ? [qi, ki, vi, mask] : [qi, ki, vi]);
    const value = run<tf.Tensor4D>(KERNELS.attention, mask ? { q: qi, k: ki, v: vi, mask } : { q: qi, k: ki, v: vi }, { scale });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sm] = saved as tf.Tensor4D[];
        const raw = tf.mul(tf.matMul(sq, sk, false, true), scale); // [B, H, Tq, Tk]
        const s = sm ? tf.add(raw, sm) : raw;
        // Not tf.softmax: tfjs-webgpu's starts its row max at -3.402823e38, above float32 min, so a fully masked row
        // (a padding-only sequence) gives 0/0. exp(s - max s) / sum is exact there too (uniform, as on the CPU).
        const e = tf.exp(tf.sub(s, tf.max(s, -1, true)));
        const p = tf.div(e, tf.sum(e, -1, true)); // [B, H, Tq, Tk]
        const dv = tf.matMul(p, dy as tf.Tensor4D, true, false); // [B, H, Tk, D]
        const dp = tf.matMul(dy as tf.Tensor4D, sv, false, true); // [B, H, Tq, Tk]
        const ds = tf.mul(p, tf.sub(dp, tf.sum(tf.mul(dp, p), -1, true))); // softmax backward
        return [tf.mul(tf.matMul(ds, sk), scale), tf.mul(tf.matMul(ds, sq, true, false), scale), dv];
      },
    };
  });
  return f(q, k, v) as tf.Tensor4D;
}

/**
 * x·w (+ bias) + scale·(down·up) in one pass, x [N, K], frozen w [K, O] and bias [O], down = x·A [N, r] (LoRA
 * dropout already applied), up = B [r, O]. Gradients for x, down and up; wHf ([O, K]) spares a transpose.
 */
export function fusedLoraLinear(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  bias: tf.Tensor1D | undefined,
  down: tf.Tensor2D,
  up: tf.Tensor2D,
  scale: number,
  wHf?: tf.Tensor2D,
): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, di, ui, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([di, ui]);
    const inputs: Record<string, tf.Tensor> = { x: xi, w, down: di, up: ui };
    if (bias) inputs.bias = bias;
    return {
      value: run<tf.Tensor2D>(KERNELS.loraLinear, inputs, { scale }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sd, su] = saved as tf.Tensor2D[];
        const g = dy as tf.Tensor2D;
        const dx = wHf ? tf.matMul(g, wHf) : tf.matMul(g, w, false, true); // [N, K]
        return [dx, tf.mul(tf.matMul(g, su, false, true), scale), tf.mul(tf.matMul(sd, g, true, false), scale)]; // [N, r], [r, O]
      },
    };
  });
  return f(x, down, up) as tf.Tensor2D;
}

/**
 * Per-row cross-entropy logsumexp(logits[n]) - logits[n, targets[n]] for logits [N, L] and int32 targets [N]
 * (0 where target < 0, e.g. -100), with its gradient (softmax - onehot)·dy from our own kernel.
 */
export function crossEntropyRows(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const t = targets.dtype === 'int32' ? targets : tf.cast(targets, 'int32');
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [li, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([li, t]); // t saved too: targets made inside the forward are disposed before the backward pass otherwise
    return {
      value: run<tf.Tensor1D>(KERNELS.crossEntropy, { logits: li, targets: t }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run<tf.Tensor2D>(KERNELS.crossEntropyGrad, { logits: saved[0], targets: saved[1], dy }),
    };
  });
  return f(logits) as tf.Tensor1D;
}
