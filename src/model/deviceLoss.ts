// The WebGPU device's loss (driver reset, GPU process crash, tab in the background too long): tfjs does not surface
// it, so the running backend's device.lost is watched here and the training loop asks gpuDeviceLost() when a step
// fails. A lost device stays lost for this worker: WebGPU is not offered again until the page is reloaded.
import * as tf from '@tensorflow/tfjs-core';

let lost: string | null = null;
let watched: GPUDevice | null = null;

const webGpuDevice = (): GPUDevice | null => (tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as { device?: GPUDevice }).device ?? null) : null);

/** Starts watching the running WebGPU backend's device (call after it started). */
export function watchWebGpuDevice(): void {
  const device = webGpuDevice();
  if (!device || device === watched) return;
  watched = device;
  void device.lost.then((info) => {
    lost = `the GPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : 'reset by the browser or driver'}${info.message ? `: ${info.message.replace(/\.+$/, '')}` : ''})`;
    console.warn(lost);
  });
}

/** Why the WebGPU device is gone, or null while it lives (or none ran). */
export const gpuDeviceLost = (): string | null => lost;

/** Test-only (debugFault): destroys the running WebGPU device; false when WebGPU is not running. */
export function destroyWebGpuDevice(): boolean {
  const device = webGpuDevice();
  if (!device) return false;
  watchWebGpuDevice();
  device.destroy();
  return true;
}
