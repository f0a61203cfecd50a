// Reads just the safetensors header of a remote file with Range requests (@huggingface/hub's blob slices), so a
// model's exact tensor shapes are known before the big download. Same commit and token as the load. No DOM.
import { downloadFile } from '@huggingface/hub';
import type { TensorInfo } from '../model/memoryEstimate';
import { tryReadSafetensorsHeader } from '../model/safetensorsHeader';

const FIRST_RANGE = 1 << 20; // 1 MiB: holds the header of any model this studio can train

/** Tensor infos from the header, or null when the file cannot be probed (missing, network, odd server): callers fall back to config math. */
export async function probeSafetensorsHeader(opts: {
  baseUrl: string;
  modelId: string;
  file: string;
  revision?: string;
  accessToken?: string | null;
  fetchImpl?: typeof fetch;
}): Promise<TensorInfo[] | null> {
  try {
    const blob = await downloadFile({
      repo: { type: 'model', name: opts.modelId },
      path: opts.file,
      revision: opts.revision ?? 'main',
      hubUrl: opts.baseUrl.replace(/\/+$/, ''),
      accessToken: opts.accessToken || undefined,
      fetch: opts.fetchImpl,
    });
    if (!blob) return null;
    let prefix = new Uint8Array(await blob.slice(0, Math.min(FIRST_RANGE, blob.size)).arrayBuffer());
    let head = tryReadSafetensorsHeader(prefix);
    if (head.ok && !head.value.complete && head.value.needBytes <= blob.size) {
      prefix = new Uint8Array(await blob.slice(0, head.value.needBytes).arrayBuffer());
      head = tryReadSafetensorsHeader(prefix);
    }
    return head.ok && head.value.complete ? head.value.tensors : null;
  } catch {
    return null;
  }
}
