// The error the loop ends with when the compute device is gone (a lost WebGPU device): the adapter and optimizer
// lived on it, so the run cannot pause in place; the caller continues it from its last stored checkpoint.

export class DeviceLostError extends Error {
  /** The stored run the caller continues, set by whoever records the run. */
  runId: string | null = null;
  constructor(
    readonly reason: string,
    /** Optimizer steps done when the device was found gone. */
    readonly step: number,
  ) {
    super(`Training paused at step ${step}: ${reason}.`);
  }
}

/** How long a failed step waits for device.lost: it settles only after the GPU process confirmed, while the failed readback is rejected at once. */
export const DEVICE_LOST_WAIT_MS = 5000;

/** Waits a moment for a loss that has not been reported yet (only where the run watches a device). */
export async function lostDeviceReason(deviceLost: (() => string | null) | undefined): Promise<string | null> {
  if (!deviceLost) return null;
  for (let waited = 0; waited < DEVICE_LOST_WAIT_MS && deviceLost() === null; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return deviceLost();
}
