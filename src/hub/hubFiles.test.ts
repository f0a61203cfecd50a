// Unit tests for src/hub/hubFiles.ts through @huggingface/hub with a fake hub fetch (the Range 0-0 probe answered
// 206 + Content-Range + ETag, then a streamed body), a fake CacheStorage, 401/403/404/429 and cut connections.
import { describe, expect, it, vi } from 'vitest';
import { fetchHubFile, HubError, hubFileUrl, HUB_CACHE_NAME } from './hubFiles';
import type { RepoSnapshot } from './repoInfo';
import { retryingFetch } from './retryFetch';

function streamResponse(chunks: Uint8Array[], init: { status?: number; headers?: Record<string, string>; failAfter?: number } = {}): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (init.failAfter !== undefined && i === init.failAfter) {
        controller.error(new TypeError('connection reset'));
        return;
      }
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
  return new Response(body, { status: init.status ?? 200, headers: init.headers });
}

/** A hub serving one file of `size` bytes in `chunks`; `cut` makes the full download stop after the first chunk. */
function fakeHub(data: Uint8Array, opts: { chunk?: number; cut?: 'error' | 'short' } = {}) {
  const calls: Array<{ url: string; range: string | null; auth: string | null }> = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ url: String(input), range: headers.get('Range'), auth: headers.get('Authorization') });
    const common = { ETag: '"abc"', 'X-Repo-Commit': 'c'.repeat(40) };
    if (headers.get('Range') === 'bytes=0-0')
      return new Response(data.slice(0, 1), { status: 206, headers: { ...common, 'Content-Range': `bytes 0-0/${data.length}` } });
    const n = opts.chunk ?? 4;
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < data.length; i += n) chunks.push(data.slice(i, i + n));
    if (opts.cut === 'short') return streamResponse(chunks.slice(0, 1), { headers: common });
    return streamResponse(chunks, { headers: common, failAfter: opts.cut === 'error' ? 1 : undefined });
  });
  return { fetchImpl, calls };
}

function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const storage = {
    async open(name: string) {
      if (!stores.has(name)) stores.set(name, new Map());
      const m = stores.get(name)!;
      return {
        async match(key: string) {
          return m.get(key)?.clone();
        },
        // As Cache.put: the body is read to its end; a body that errors stores nothing (and rejects).
        async put(key: string, res: Response) {
          const body = await res.arrayBuffer();
          m.set(key, new Response(body, { headers: res.headers }));
        },
      } as unknown as Cache;
    },
  } as unknown as CacheStorage;
  return { storage, stores };
}

async function failure(p: Promise<ArrayBuffer>): Promise<HubError> {
  try {
    await p;
  } catch (e) {
    return e as HubError;
  }
  throw new Error('expected the download to fail');
}

const bytes = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 255);
const COMMIT = 'a'.repeat(40);
const base = { baseUrl: 'http://hub.test/', modelId: 'org/model', file: 'model.safetensors', revision: COMMIT };
const json =
  (status: number, body: object, headers: Record<string, string> = {}) =>
  async () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('fetchHubFile', () => {
  it('builds Hub resolve URLs', () => {
    expect(hubFileUrl('http://hub.test/', 'org/model', 'config.json')).toBe('http://hub.test/org/model/resolve/main/config.json');
    expect(hubFileUrl('https://huggingface.co', 'bert-base-uncased', 'a b.json', 'v1.0')).toBe(
      'https://huggingface.co/bert-base-uncased/resolve/v1.0/a%20b.json',
    );
  });

  it('probes the size, streams with progress into one buffer, caches by commit, and serves the second load from the cache', async () => {
    const { storage, stores } = fakeCaches();
    const { fetchImpl, calls } = fakeHub(bytes(10));
    const events: Array<[number, number | null, boolean]> = [];
    const buf = await fetchHubFile({ ...base, accessToken: 'hf_test', fetchImpl, cacheStorage: storage, onProgress: (l, t, c) => events.push([l, t, c]) });
    expect(Array.from(new Uint8Array(buf))).toEqual(Array.from(bytes(10)));
    expect(calls[0]).toEqual({ url: `http://hub.test/org/model/resolve/${COMMIT}/model.safetensors`, range: 'bytes=0-0', auth: 'Bearer hf_test' });
    expect(calls.every((c) => c.auth === 'Bearer hf_test')).toBe(true); // to the hub's URL; the browser drops it on the CDN redirect
    expect(events).toEqual([
      [0, 10, false],
      [4, 10, false],
      [8, 10, false],
      [10, 10, false],
    ]);
    expect(stores.get(HUB_CACHE_NAME)?.has(`http://hub.test/org/model/resolve/${COMMIT}/model.safetensors`)).toBe(true);

    const again: Array<[number, number | null, boolean]> = [];
    const buf2 = await fetchHubFile({ ...base, fetchImpl, cacheStorage: storage, onProgress: (l, t, c) => again.push([l, t, c]) });
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(again).toEqual([[10, 10, true]]);
    expect(Array.from(new Uint8Array(buf2))).toEqual(Array.from(bytes(10)));
  });

  it('a missing file (404 EntryNotFound) is not-found with what to do', async () => {
    const e = await failure(
      fetchHubFile({ ...base, cacheStorage: null, fetchImpl: json(404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' }) }),
    );
    expect([e.code, e.status]).toEqual(['not-found', 404]);
    expect(e.message).toMatch(/^model.safetensors not found for org\/model: this studio needs safetensors weights/);
  });

  it('a 401/403 on a file is explained from the repo snapshot: gated, lacking access, refused token', async () => {
    const snap: RepoSnapshot = { modelId: 'org/model', revision: 'main', commit: COMMIT, files: ['model.safetensors'], gated: 'manual' };
    const gated = await failure(fetchHubFile({ ...base, snapshot: snap, cacheStorage: null, fetchImpl: json(401, { error: 'restricted' }) }));
    expect(gated.code).toBe('gated');
    expect(gated.message).toContain('org/model is gated: accept the licence on the model page (http://hub.test/org/model)');
    const lacks = await failure(
      fetchHubFile({ ...base, snapshot: snap, accessToken: 'hf_x', cacheStorage: null, fetchImpl: json(403, { error: 'not authorized' }) }),
    );
    expect(lacks.code).toBe('no-access');
    const refused = await failure(
      fetchHubFile({
        ...base,
        snapshot: { ...snap, gated: false },
        accessToken: 'hf_x',
        cacheStorage: null,
        fetchImpl: json(401, { error: 'Invalid credentials' }),
      }),
    );
    expect(refused.code).toBe('token-refused');
    const typo = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: json(401, { error: 'Repository not found' }) }));
    expect(typo.code).toBe('not-found');
  });

  it('429 is retried after Retry-After (countdown reported), a storm ends as rate-limited; 5xx and fetch failures are named', async () => {
    const { fetchImpl: ok } = fakeHub(bytes(6));
    let n = 0;
    const flaky = (async (u: RequestInfo | URL, i?: RequestInit) =>
      n++ === 0 ? new Response('{}', { status: 429, headers: { 'Retry-After': '2' } }) : ok(u, i)) as typeof fetch;
    const waits: number[] = [];
    const retry = retryingFetch(flaky, { onWait: (s) => waits.push(s), sleep: async () => undefined });
    expect((await fetchHubFile({ ...base, cacheStorage: null, fetchImpl: retry })).byteLength).toBe(6);
    expect(waits).toEqual([2, 1, 0]);
    const storm = retryingFetch(json(429, { error: 'quota' }, { 'Retry-After': '1' }), { sleep: async () => undefined });
    const e = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: storm }));
    expect(e.code).toBe('rate-limited');
    expect(e.message).toContain('still was after 3 retries over 3 s');
    const down = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: json(503, { error: 'down' }) }));
    expect(down.message).toMatch(/server error \(HTTP 503\)/);
    const offline = await failure(
      fetchHubFile({
        ...base,
        cacheStorage: null,
        fetchImpl: async () => {
          throw new TypeError('Failed to fetch');
        },
      }),
    );
    expect(offline.code).toBe('network');
    expect(offline.message).toMatch(/^Could not reach hub.test to download model.safetensors/);
  });

  it('a cut or short stream is interrupted and nothing is cached', async () => {
    const { storage, stores } = fakeCaches();
    const cut = await failure(fetchHubFile({ ...base, cacheStorage: storage, fetchImpl: fakeHub(bytes(8), { cut: 'error' }).fetchImpl }));
    expect(cut.code).toBe('interrupted');
    const short = await failure(fetchHubFile({ ...base, cacheStorage: storage, fetchImpl: fakeHub(bytes(8), { cut: 'short' }).fetchImpl }));
    expect(short.code).toBe('interrupted');
    expect(short.message).toContain('after 4 of 8 bytes');
    expect(stores.get(HUB_CACHE_NAME)?.size ?? 0).toBe(0);
  });

  it('a plain file server (no Range, no ETag) is downloaded in one request', async () => {
    const fetchImpl = async () => new Response(bytes(5), { headers: { 'Content-Length': '5' } });
    expect(Array.from(new Uint8Array(await fetchHubFile({ ...base, cacheStorage: null, fetchImpl })))).toEqual(Array.from(bytes(5)));
  });

  it('passes aborts through unchanged', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(fetchHubFile({ ...base, cacheStorage: null, signal: ctrl.signal, fetchImpl: fakeHub(bytes(1)).fetchImpl })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const ctrl2 = new AbortController();
    const fetchImpl = async (_u: RequestInfo | URL, init?: RequestInit) => {
      ctrl2.abort();
      throw init?.signal?.reason ?? new DOMException('aborted', 'AbortError');
    };
    const e = await failure(fetchHubFile({ ...base, cacheStorage: null, signal: ctrl2.signal, fetchImpl }));
    expect(e).not.toBeInstanceOf(HubError);
    expect(e.name).toBe('AbortError');
  });
});
