// Downloads one file of a Hub model repo at one commit through @huggingface/hub (file download info, the resolve
// redirect to the CDN, the access token sent to the hub's host only), streamed into one buffer with byte progress,
// and kept in the Cache API keyed by commit (a commit never changes, so a hit is never stale). A download that ends
// short is an error and is never cached. No DOM/React; fetch and caches are injectable for tests.
import { downloadFile, HubApiError, InvalidApiResponseFormatError } from '@huggingface/hub';
import { HubError, hubMessages } from './hubErrors';
import { fileRefusal, hubFailure, type HubAccess, type RepoSnapshot } from './repoInfo';

export { HubError, type HubErrorCode } from './hubErrors';

export const HUB_CACHE_NAME = 'studio-hub-v1';
export const HF_HUB_URL = 'https://huggingface.co';

/** loadedBytes so far; totalBytes (null when unknown); cached: served from the Cache API. */
export type HubProgress = (loadedBytes: number, totalBytes: number | null, cached: boolean) => void;

export type FetchHubFileOptions = {
  baseUrl: string;
  modelId: string;
  file: string;
  /** A commit (what the worker passes, from resolveRepo) or a branch/tag. Default 'main'. */
  revision?: string;
  accessToken?: string | null;
  /** The resolved repo: explains a 401/403 (gated, token lacking access) and skips a lookup per file. */
  snapshot?: RepoSnapshot;
  onProgress?: HubProgress;
  signal?: AbortSignal;
  /** Default true. Set false to skip both lookup and store. */
  useCache?: boolean;
  /** Injected in tests (and the 429-retrying fetch); default globalThis.fetch. */
  fetchImpl?: typeof fetch;
  /** Injected in tests; default globalThis.caches when present (absent in Node and insecure contexts). */
  cacheStorage?: CacheStorage | null;
};

export function hubFileUrl(baseUrl: string, modelId: string, file: string, revision = 'main'): string {
  const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  return `${baseUrl.replace(/\/+$/, '')}/${enc(modelId)}/resolve/${encodeURIComponent(revision)}/${enc(file)}`;
}

function notFoundMessage(modelId: string, file: string): string {
  const where = `${file} not found for ${modelId}`;
  if (file === 'model.safetensors')
    return `${where}: this studio needs safetensors weights (model.safetensors, or model.safetensors.index.json with its shards); this repository publishes neither, so pick a checkpoint that does (PyTorch .bin files must be converted to safetensors first).`;
  if (file === 'tokenizer.json') return `${where}: this studio needs a fast tokenizer (tokenizer.json); pick a checkpoint that publishes one.`;
  return `${where}: the repository does not publish this file at this revision; pick another checkpoint or revision.`;
}

async function openCache(storage: CacheStorage | null | undefined): Promise<Cache | null> {
  if (!storage) return null;
  try {
    return await storage.open(HUB_CACHE_NAME);
  } catch {
    return null; // e.g. storage disabled: download without caching
  }
}

const isAbort = (e: unknown, signal?: AbortSignal) => (signal?.aborted ?? false) || (e instanceof Error && e.name === 'AbortError');

/** The file's bytes at `revision`; throws HubError (not-found, gated, no-access, rate-limited, network, interrupted). */
export async function fetchHubFile(opts: FetchHubFileOptions): Promise<ArrayBuffer> {
  const { baseUrl, modelId, file, revision = 'main', onProgress, signal, useCache = true } = opts;
  const access: HubAccess = { hubUrl: baseUrl, accessToken: opts.accessToken, fetchImpl: opts.fetchImpl };
  const storage = opts.cacheStorage !== undefined ? opts.cacheStorage : (globalThis as { caches?: CacheStorage }).caches;
  const url = hubFileUrl(baseUrl, modelId, file, revision);
  signal?.throwIfAborted();

  const cache = useCache ? await openCache(storage) : null;
  const hit = cache ? await cache.match(url).catch(() => undefined) : undefined;
  if (hit) {
    const buf = await hit.arrayBuffer();
    onProgress?.(buf.byteLength, buf.byteLength, true);
    return buf;
  }

  let blob: Blob | null;
  try {
    blob = await downloadFile({
      repo: { type: 'model', name: modelId },
      path: file,
      revision,
      hubUrl: baseUrl.replace(/\/+$/, ''),
      accessToken: opts.accessToken || undefined,
      fetch: opts.fetchImpl,
    });
  } catch (e) {
    if (isAbort(e, signal)) throw e;
    if (e instanceof HubApiError && (e.statusCode === 401 || e.statusCode === 403)) {
      if (opts.snapshot) throw fileRefusal(access, opts.snapshot, e.statusCode, e.url);
      throw new HubError('not-found', hubMessages.notFound(baseUrl, modelId, e.statusCode), e.url, e.statusCode);
    }
    if (e instanceof HubApiError && e.statusCode === 404) throw new HubError('not-found', notFoundMessage(modelId, file), url, 404);
    if (!(e instanceof InvalidApiResponseFormatError)) throw hubFailure(e, access, `download ${file} for ${modelId}`);
    // A plain file server (a mirror without Range or ETag) answers no size probe: download it in one request.
    blob = await plainDownload(url, opts, access);
  }
  if (!blob) throw new HubError('not-found', notFoundMessage(modelId, file), url, 404);

  // The cache is written from the same chunks as they arrive (no second copy of the file: issue 11); a stream
  // that fails errors the cache's body too, so Cache.put stores nothing half-downloaded. Quota errors only cost the cache.
  const tee = cache ? cacheStream() : null;
  const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) };
  const stored = tee && cache ? cache.put(url, new Response(tee.stream, { headers })).catch(() => undefined) : null;
  let buf: ArrayBuffer;
  try {
    buf = await readBlob(blob, onProgress, { url, file, modelId, signal }, tee?.push);
  } catch (e) {
    tee?.fail(e);
    await stored;
    throw e;
  }
  tee?.close();
  await stored;
  return buf;
}

/** A body for Cache.put fed chunk by chunk (the chunks are shared, not copied); stops quietly if the cache gives up. */
function cacheStream() {
  let ctrl: ReadableStreamDefaultController<Uint8Array> | null = null;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      ctrl = c;
    },
    cancel: () => {
      ctrl = null;
    },
  });
  const safely = (f: (c: ReadableStreamDefaultController<Uint8Array>) => void) => {
    try {
      if (ctrl) f(ctrl);
    } catch {
      ctrl = null; // the cache cancelled (quota): keep downloading without it
    }
  };
  return {
    stream,
    push: (chunk: Uint8Array) => safely((c) => c.enqueue(chunk)),
    close: () => safely((c) => c.close()),
    fail: (e: unknown) => safely((c) => c.error(e)),
  };
}

/** Streams the blob into one preallocated buffer of its size; a short or failed stream is an `interrupted` error. */
async function readBlob(
  blob: Blob,
  onProgress: HubProgress | undefined,
  ctx: { url: string; file: string; modelId: string; signal?: AbortSignal },
  onChunk?: (chunk: Uint8Array) => void,
): Promise<ArrayBuffer> {
  const total = blob.size;
  const out = new Uint8Array(total);
  let loaded = 0;
  const cut = () => new HubError('interrupted', hubMessages.interrupted(ctx.modelId, ctx.file, loaded, total), ctx.url);
  onProgress?.(0, total, false);
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      if (ctx.signal?.aborted) throw ctx.signal.reason as Error;
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.byteLength > total) throw cut(); // more than promised: never trust it
      out.set(value, loaded);
      onChunk?.(value);
      loaded += value.byteLength;
      onProgress?.(loaded, total, false);
    }
  } catch (e) {
    if (isAbort(e, ctx.signal)) throw e;
    if (e instanceof HubError) throw e;
    throw cut();
  }
  if (loaded < total) throw cut();
  return out.buffer;
}

/** One GET of the resolve URL (token to the hub's host), for servers that answer no size probe. */
async function plainDownload(url: string, opts: FetchHubFileOptions, access: HubAccess): Promise<Blob> {
  const f = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await f(url, { headers: opts.accessToken ? { Authorization: `Bearer ${opts.accessToken}` } : {}, signal: opts.signal });
  } catch (e) {
    if (isAbort(e, opts.signal)) throw e;
    throw hubFailure(e, access, `download ${opts.file} for ${opts.modelId}`);
  }
  if (res.status === 404) throw new HubError('not-found', notFoundMessage(opts.modelId, opts.file), url, 404);
  if (!res.ok) throw new HubError('http', `Downloading ${opts.file} for ${opts.modelId} failed with HTTP ${res.status}.`, url, res.status);
  try {
    return await res.blob();
  } catch {
    throw new HubError('interrupted', hubMessages.interrupted(opts.modelId, opts.file, 0, null), url);
  }
}
