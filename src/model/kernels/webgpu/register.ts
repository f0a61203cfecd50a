// Registers the studio's WGSL programs (programs.ts) as tfjs kernels of the webgpu backend, so they run through
// the engine (tf.profile times them, tensors are tracked) via tf.engine().runKernel in kernels/webgpu/ops.ts.
import * as tf from '@tensorflow/tfjs-core';
import { attentionProgram, crossEntropyGradProgram, crossEntropyProgram, loraLinearProgram, type StudioProgram } from './programs';

export const KERNELS = {
  attention: 'StudioAttention',
  loraLinear: 'StudioLoraLinear',
  crossEntropy: 'StudioCrossEntropy',
  crossEntropyGrad: 'StudioCrossEntropyGrad',
} as const;

type WebGpuBackendLike = {
  runWebGPUProgram(p: StudioProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: { type: string; data: number[] }[]): tf.TensorInfo;
};

function register(
  kernelName: string,
  run: (inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>, b: WebGpuBackendLike) => tf.TensorInfo,
): void {
  if (tf.getKernel(kernelName, 'webgpu')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, attrs, backend }) =>
      run(inputs as unknown as Record<string, tf.TensorInfo>, attrs as unknown as Record<string, unknown>, backend as unknown as WebGpuBackendLike),
  });
}

const scaleUniform = (attrs: Record<string, unknown>) => [{ type: 'float32', data: [attrs.scale as number] }];

/** Idempotent; call once the webgpu backend module is loaded. */
export function registerStudioWebGpuKernels(): void {
  register(KERNELS.attention, ({ q, k, v, mask }, attrs, b) => {
    const [B, H, Tq, D] = q.shape;
    const Tk = k.shape[2];
    const dims = { B, H, Tq, Tk, D, maskB: mask ? mask.shape[0] : 1, maskQ: mask ? mask.shape[2] : 1, hasMask: mask !== undefined };
    return b.runWebGPUProgram(attentionProgram(dims), mask ? [q, k, v, mask] : [q, k, v], 'float32', scaleUniform(attrs));
  });
  register(KERNELS.loraLinear, ({ x, w, down, up, bias }, attrs, b) => {
    const inputs = bias ? [x, w, down, up, bias] : [x, w, down, up];
    return b.runWebGPUProgram(loraLinearProgram(x.shape[0], w.shape[1], bias !== undefined), inputs, 'float32', scaleUniform(attrs));
  });
  register(KERNELS.crossEntropy, ({ logits, targets }, _attrs, b) => b.runWebGPUProgram(crossEntropyProgram(logits.shape[0]), [logits, targets], 'float32'));
  register(KERNELS.crossEntropyGrad, ({ logits, targets, dy }, _attrs, b) =>
    b.runWebGPUProgram(crossEntropyGradProgram(logits.shape[0], logits.shape[1]), [logits, targets, dy], 'float32'),
  );
}
