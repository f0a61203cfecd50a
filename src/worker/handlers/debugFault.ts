// debugFault: test-only faults (issue 13), honoured only in a worker started from a page opened with ?debug=1
// (the worker is then named 'studio-debug'): 'crash' ends this worker at once, as an out-of-memory kill does;
// 'device-lost' destroys the WebGPU device under a running step.
import type { DebugFault } from '../../protocol/messages';
import { destroyWebGpuDevice } from '../../model/deviceLoss';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { isDebugWorker } from '../debugWorker';

export async function handleDebugFault(args: { fault: DebugFault }, _ctx: HandlerContext): Promise<null> {
  if (!isDebugWorker()) throw new StudioError('not-allowed', 'Fault injection needs a page opened with ?debug=1.');
  if (args.fault === 'crash') {
    // After this reply is posted, so the caller's request settles; the pending ones die with the worker.
    setTimeout(() => self.close(), 0);
    return null;
  }
  if (args.fault === 'device-lost') {
    if (!destroyWebGpuDevice()) throw new StudioError('not-webgpu', 'The WebGPU backend is not running, so there is no device to lose.');
    return null;
  }
  throw new StudioError('bad-request', `unknown fault "${String(args.fault)}"`);
}
