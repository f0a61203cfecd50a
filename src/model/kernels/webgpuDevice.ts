// Registers tfjs's WebGPU backend on a device that asks for the adapter's own storage-buffer limit: tfjs 4.22
// requests the default 8 storage buffers per stage, and its AddN (gradient accumulation of a tensor used 8+
// times, e.g. the hidden state feeding q/k/v, LoRA and the residual) needs more, which fails validation on Dawn.
import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

type Limits = Record<string, number>;

export function registerWebGpuWithAdapterLimits(gpu: GPU, withTimestamps = false): void {
  tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) throw new Error('no WebGPU adapter was offered');
      const l = adapter.limits as unknown as Limits;
      const keys = [
        'maxComputeWorkgroupStorageSize',
        'maxComputeWorkgroupsPerDimension',
        'maxStorageBufferBindingSize',
        'maxBufferSize',
        'maxComputeWorkgroupSizeX',
        'maxComputeInvocationsPerWorkgroup',
        'maxStorageBuffersPerShaderStage',
      ];
      const requiredLimits = Object.fromEntries(keys.filter((k) => typeof l[k] === 'number').map((k) => [k, l[k]]));
      // timestamp-query lets tf.profile time kernels (the studio asks for it when the adapter offers it; Dawn in Node needs allow_unsafe_apis).
      const requiredFeatures = (withTimestamps && adapter.features.has('timestamp-query') ? ['timestamp-query'] : []) as GPUFeatureName[];
      const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
      const info = (adapter as unknown as { info?: GPUAdapterInfo }).info;
      return new WebGPUBackend(device, info);
    },
    3,
  );
}
