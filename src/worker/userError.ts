// Turns anything thrown in a handler into a UserError the page can show: what is wrong, what to do.
import type { UserError } from '../protocol/messages';

export class StudioError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function toUserError(e: unknown): UserError {
  if (e instanceof StudioError) return { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  if (/device (was )?lost|GPUDevice|DXGI|VK_ERROR_DEVICE_LOST/i.test(message)) {
    return {
      code: 'gpu-lost',
      message: `The GPU device was lost (${message}). Choose the WebAssembly backend and start again; your data is still loaded.`,
    };
  }
  if (/out of memory|OOM|allocation failed/i.test(message)) {
    return {
      code: 'out-of-memory',
      message: `Ran out of memory (${message}). Lower the batch size or max tokens, or pick a smaller model.`,
    };
  }
  return { code: 'internal', message: `Unexpected error in the studio worker: ${message}` };
}
