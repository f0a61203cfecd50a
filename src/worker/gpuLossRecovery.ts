// A run whose WebGPU device was lost (issue 13): its stored run is already paused at its last checkpoint
// (recordedRun.ts); the page is told why and waits for Resume, then the worker switches to WASM and continues the
// stored run from that checkpoint, recording the backend change as a diagnostic of the run.
import type { TrainOutcome } from '../protocol/messages';
import { selectBackend } from '../model/backend';
import { addRunDiagnostics } from '../storage';
import type { Diagnostic } from '../train/diagnostics';
import { DeviceLostError } from '../train/loop';
import type { HandlerContext } from './handlerContext';
import { getStudioStore } from './storageHandle';
import { StudioError } from './userError';

/** Continues the stored run `runId` (the caller's resumeRun, which takes its own job); `extra` is raised in the resumed loop. */
export type ResumeStored = (runId: string, extra: Diagnostic) => Promise<TrainOutcome>;

/** Runs `train`; a lost device pauses the run, and Resume continues it on WASM from its last checkpoint. */
export async function surviveDeviceLoss(ctx: HandlerContext, train: () => Promise<TrainOutcome>, resume: ResumeStored): Promise<TrainOutcome> {
  try {
    return await train();
  } catch (e) {
    if (!(e instanceof DeviceLostError)) throw e;
    const { session } = ctx;
    if (!e.runId) throw new StudioError('device-lost', `${e.message} This run was not saved, so start it again; the studio switches to WebAssembly.`);
    const message = `${e.message} Resume continues on WebAssembly (CPU) from the last checkpoint; nothing stored is lost.`;
    // A job of its own while paused, so Resume and Stop reach it.
    const waiting = session.beginJob();
    if (!waiting) throw new StudioError('device-lost', message);
    try {
      ctx.emit({ type: 'paused', step: e.step, reason: 'device-lost', message });
      await waiting.controls().awaitResume();
      if (waiting.stopped) throw new StudioError('device-lost', `${e.message} The run is kept as paused: resume it from Runs.`);
    } finally {
      session.endJob(waiting);
    }
    ctx.emit({ type: 'status', message: 'The GPU device is gone: continuing on WebAssembly from the last checkpoint…' });
    const info = await selectBackend('wasm');
    const note: Diagnostic = {
      id: 'device-lost',
      severity: 'warning',
      startedAtStep: e.step,
      title: `Continued on ${info.backend === 'wasm' ? 'WebAssembly' : info.backend} after the GPU device was lost`,
      message: `At step ${e.step} ${e.reason}. The run continued on the ${info.backend} backend from its last checkpoint.`,
    };
    const store = await getStudioStore();
    if (store) await addRunDiagnostics(store, e.runId, [note], Date.now());
    ctx.emit({ type: 'diagnostic', diagnostic: note });
    return resume(e.runId, note);
  }
}
