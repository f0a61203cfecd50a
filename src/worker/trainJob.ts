// One long training job (a run or a search): its own AbortController for Stop, its pause switch, and the stored
// run it writes. The session holds at most one; the loop's controls read this job only, never a shared flag.
import type { ResumeOptions, TrainingControls } from '../train/loop';
import { gpuDeviceLost } from '../model/deviceLoss';
import { currentBackend } from '../model/backend';

export class TrainJob {
  private readonly abort = new AbortController();
  private paused = false;
  private wake: ((o: ResumeOptions | void) => void) | null = null;
  /** The stored run this job trains, once it has one. */
  runId: string | null = null;

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** The loop's controls. The loop also pauses itself after a NaN or a failed checkpoint (see onPause). */
  controls(): TrainingControls {
    return {
      now: () => performance.now(),
      // Only a WebGPU run has a device to lose (and a failed step then waits a moment for device.lost).
      ...(currentBackend() === 'webgpu' ? { deviceLost: gpuDeviceLost } : {}),
      shouldStop: () => this.stopped,
      isPaused: () => this.paused,
      awaitResume: () =>
        new Promise((resolve) => {
          this.paused = true;
          this.wake = (o) => {
            this.paused = false;
            this.wake = null;
            resolve(o);
          };
        }),
    };
  }

  pause(): void {
    this.paused = true;
  }

  /** Resumes (optionally at a new peak learning rate). */
  resume(options?: ResumeOptions): void {
    if (this.wake) this.wake(options);
    else this.paused = false;
  }

  /** Stop after the current step; a paused loop wakes up and sees it. */
  stop(): void {
    this.abort.abort();
    this.resume();
  }
}
