// Stop / pause / resume for the running training, shared by the request handlers and the loop's controls.
import type { ResumeOptions, TrainingControls } from '../train/runTraining';
import type { StudioSession } from './session';

export type TrainSwitch = {
  paused: boolean;
  wake: ((o: ResumeOptions | void) => void) | null;
};

export const createTrainSwitch = (): TrainSwitch => ({ paused: false, wake: null });

/** The loop's controls for a session's run. The loop also pauses itself after a NaN (see onPause). */
export function loopControls(session: StudioSession, sw: TrainSwitch): TrainingControls {
  return {
    now: () => performance.now(),
    shouldStop: () => session.stopRequested,
    isPaused: () => sw.paused,
    awaitResume: () =>
      new Promise((resolve) => {
        sw.paused = true;
        sw.wake = (o) => {
          sw.paused = false;
          sw.wake = null;
          resolve(o);
        };
      }),
  };
}

export function requestPause(sw: TrainSwitch | null): void {
  if (sw) sw.paused = true;
}

/** Resumes (optionally at a new peak learning rate); also used by Stop so the loop sees shouldStop(). */
export function requestResume(sw: TrainSwitch | null, options?: ResumeOptions): void {
  if (!sw) return;
  if (sw.wake) sw.wake(options);
  else sw.paused = false;
}
