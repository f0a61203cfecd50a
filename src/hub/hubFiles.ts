// Downloads one file of a Hub-style model repo (`${baseUrl}/${modelId}/resolve/${revision}/${file}`) with byte progress
// and a Cache API copy, for the worker. No DOM/React; fetch and caches are injectable for tests.
// Why not transformers.js' hub code: 4.3.1 exports no file helper from its package root (getModelFile lives in
// utils/hub.js, blocked by the package `exports` map), it reads the global `env` (remoteHost) that the tokenizer
// loader also sets, and its progress events are per pipeline. This file is small and owns its own cache.

export const HUB_CACHE_NAME = 'studio-hub-v1';
export const HF_HUB_URL = 'https://huggingface.co';

export type HubErrorCode = 'not-found' | 'network' | 'http';

export class HubError extends Error {
  readonly name = 'HubError';
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** loadedBytes so far; totalBytes from Content-Length (null if the server sent none); cached: served from the Cache API. */
export type HubProgress = (loadedBytes: number, totalBytes: number | null, cached: boolean) => void;

export type FetchHubFileOptions = {
  baseUrl: string;
  modelId: string;
  file: string;
  revision?: string;
  onProgress?: HubProgress;
  signal?: AbortSignal;
  /** Default true. Set false to skip both lookup and store. */
  useCache?: boolean;
  /** Injected in tests; default globalThis.fetch. */
  fetchImpl?: typeof fetch;
  /** Injected in tests; default globalThis.caches when present (absent in Node and insecure contexts). */
  cacheStorage?: CacheStorage | null;
};

export function hubFileUrl(baseUrl: string, modelId: string, file: string, revision = 'main'): string {
  const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  return `${baseUrl.replace(/\/+$/, '')}/${enc(modelId)}/resolve/${encodeURIComponent(revision)}/${enc(file)}`;
}

function notFoundMessage(modelId: string, file: string, status: number): string {
  const where = `${file} not found for ${modelId}`;
  if (file === 'model.safetensors') {
    return `${where}: this studio needs safetensors weights (model.safetensors, or model.safetensors.index.json with its shards); this repository publishes neither, so pick a checkpoint that does (PyTorch .bin files must be converted to safetensors first).`;
  }
  if (file === 'config.json') {
    return `${where}: check the model id (organisation/name, spelled as on the Hub); the repository may not exist, or may be private or gated (HTTP ${status}), and this studio downloads anonymously.`;
  }
  if (file === 'tokenizer.json') {
    return `${where}: this studio needs a fast tokenizer (tokenizer.json); pick a checkpoint that publishes one.`;
  }
  return `${where} (HTTP ${status}): the repository does not publish this file; pick another checkpoint.`;
}

async function openCache(storage: CacheStorage | null | undefined): Promise<Cache | null> {
  if (!storage) return null;
  try {
    return await storage.open(HUB_CACHE_NAME);
  } catch {
    return null; // e.g. storage disabled: download without caching
  }
}

function isAbort(e: unknown, signal?: AbortSignal): boolean {
  return (signal?.aborted ?? false) || (e instanceof Error && e.name === 'AbortError');
}

export async function fetchHubFile(opts: FetchHubFileOptions): Promise<ArrayBuffer> {
  const { baseUrl, modelId, file, revision = 'main', onProgress, signal, useCache = true } = opts;
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const storage = opts.cacheStorage !== undefined ? opts.cacheStorage : (globalThis as { caches?: CacheStorage }).caches;
  const url = hubFileUrl(baseUrl, modelId, file, revision);
  signal?.throwIfAborted();

  const cache = useCache ? await openCache(storage) : null;
  if (cache) {
    const hit = await cache.match(url).catch(() => undefined);
    if (hit) {
      const buf = await hit.arrayBuffer();
      onProgress?.(buf.byteLength, buf.byteLength, true);
      return buf;
    }
  }

  let res: Response;
  try {
    res = await fetchImpl(url, { signal });
  } catch (e) {
    if (isAbort(e, signal)) throw e;
    throw new HubError('network', `Could not reach ${baseUrl} to download ${file} for ${modelId} (${(e as Error).message}). Check your connection or the hub address, then try again.`, url);
  }
  if (!res.ok) {
    const errCode = res.headers.get('X-Error-Code');
    const missing = res.status === 404 || errCode === 'EntryNotFound' || errCode === 'RepoNotFound' || errCode === 'RevisionNotFound';
    if (missing) throw new HubError('not-found', notFoundMessage(modelId, file, res.status), url, res.status);
    const hint = res.status === 401 || res.status === 403
      ? `${modelId} is private or gated; this studio downloads anonymously, so pick a public checkpoint.`
      : res.status >= 500 ? 'The hub had a server error; try again in a moment.' : 'Check the model id and try again.';
    throw new HubError('http', `Downloading ${file} for ${modelId} failed with HTTP ${res.status}. ${hint}`, url, res.status);
  }

  const lengthHeader = res.headers.get('Content-Length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  const buf = await readBody(res, total, onProgress, { url, file, modelId, signal });

  if (cache) {
    const headers = { 'Content-Type': res.headers.get('Content-Type') ?? 'application/octet-stream', 'Content-Length': String(buf.byteLength) };
    // Store a copy: the caller may transfer `buf` to another thread. Quota errors only cost the cache.
    await cache.put(url, new Response(buf.slice(0), { headers })).catch(() => undefined);
  }
  return buf;
}

async function readBody(
  res: Response,
  total: number | null,
  onProgress: HubProgress | undefined,
  ctx: { url: string; file: string; modelId: string; signal?: AbortSignal },
): Promise<ArrayBuffer> {
  const cut = (why: string) =>
    new HubError('network', `The download of ${ctx.file} for ${ctx.modelId} was interrupted (${why}). Try again.`, ctx.url);
  onProgress?.(0, total, false);
  if (!res.body) {
    const buf = await res.arrayBuffer();
    onProgress?.(buf.byteLength, total ?? buf.byteLength, false);
    return buf;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress?.(loaded, total !== null ? Math.max(total, loaded) : null, false); // compressed bodies outgrow Content-Length
    }
  } catch (e) {
    if (isAbort(e, ctx.signal)) throw e;
    throw cut((e as Error).message);
  }
  // Content-Length counts encoded bytes; only a shortfall on an unencoded body means a cut connection.
  if (total !== null && loaded < total && !res.headers.get('Content-Encoding')) throw cut(`${loaded} of ${total} bytes`);
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out.buffer;
}
