// Reads just the safetensors header of a remote file (a Range request; servers that ignore Range are read until the
// header ends and then cancelled), so a model's exact tensor shapes are known before the big download. No DOM.
import type { TensorInfo } from '../model/memoryEstimate';
import { tryReadSafetensorsHeader } from '../model/safetensorsHeader';
import { hubFileUrl } from './hubFiles';

const FIRST_RANGE = 1 << 20; // 1 MiB: holds the header of any model this studio can train

/** Tensor infos from the header, or null when the file cannot be probed (missing, network, odd server): callers fall back to config math. */
export async function probeSafetensorsHeader(opts: { baseUrl: string; modelId: string; file: string; fetchImpl?: typeof fetch }): Promise<TensorInfo[] | null> {
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const url = hubFileUrl(opts.baseUrl, opts.modelId, opts.file);
  try {
    let prefix = await readPrefix(fetchImpl, url, 0, FIRST_RANGE);
    let head = tryReadSafetensorsHeader(prefix);
    if (head.ok && !head.value.complete) {
      const rest = await readPrefix(fetchImpl, url, prefix.byteLength, head.value.needBytes);
      const joined = new Uint8Array(prefix.byteLength + rest.byteLength);
      joined.set(prefix);
      joined.set(rest, prefix.byteLength);
      prefix = joined;
      head = tryReadSafetensorsHeader(prefix);
    }
    return head.ok && head.value.complete ? head.value.tensors : null;
  } catch {
    return null;
  }
}

/** Bytes [from, to) of the file; stops reading (and cancels) once enough arrived, whatever the server did with Range. */
async function readPrefix(fetchImpl: typeof fetch, url: string, from: number, to: number): Promise<Uint8Array> {
  const res = await fetchImpl(url, { headers: { Range: `bytes=${from}-${to - 1}` } });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const skip = res.status === 206 ? 0 : from; // 200: the server sent the whole file from byte 0
  const want = to - from;
  const out = new Uint8Array(want);
  let seen = 0;
  let got = 0;
  const reader = res.body.getReader();
  while (got < want) {
    const { done, value } = await reader.read();
    if (done) break;
    const start = Math.max(0, skip - seen);
    seen += value.byteLength;
    if (start >= value.byteLength) continue;
    const take = value.subarray(start, start + (want - got));
    out.set(take, got);
    got += take.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return out.subarray(0, got);
}
