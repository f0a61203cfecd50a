// Unit tests for src/hub/hubFiles.ts with a fake fetch (streamed Response bodies) and a fake CacheStorage.
import { describe, expect, it, vi } from 'vitest';
import { fetchHubFile, HubError, hubFileUrl, HUB_CACHE_NAME } from './hubFiles';

function streamResponse(chunks: Uint8Array[], init: { status?: number; headers?: Record<string, string>; failAfter?: number } = {}): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (init.failAfter !== undefined && i === init.failAfter) { controller.error(new TypeError('connection reset')); return; }
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
  return new Response(body, { status: init.status ?? 200, headers: init.headers });
}

function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const storage = {
    async open(name: string) {
      if (!stores.has(name)) stores.set(name, new Map());
      const m = stores.get(name)!;
      return {
        async match(key: string) { return m.get(key)?.clone(); },
        async put(key: string, res: Response) { m.set(key, res); },
      } as unknown as Cache;
    },
  } as unknown as CacheStorage;
  return { storage, stores };
}

/** The rejection of a download that must fail. */
async function failure(p: Promise<ArrayBuffer>): Promise<HubError> {
  try {
    await p;
  } catch (e) {
    return e as HubError;
  }
  throw new Error('expected the download to fail');
}

const bytes = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 255);
const base = { baseUrl: 'http://hub.test/', modelId: 'org/model', file: 'model.safetensors' };

describe('fetchHubFile', () => {
  it('builds Hub resolve URLs', () => {
    expect(hubFileUrl('http://hub.test/', 'org/model', 'config.json')).toBe('http://hub.test/org/model/resolve/main/config.json');
    expect(hubFileUrl('https://huggingface.co', 'bert-base-uncased', 'a b.json', 'v1.0')).toBe('https://huggingface.co/bert-base-uncased/resolve/v1.0/a%20b.json');
  });

  it('streams with progress events, then serves the second load from the cache', async () => {
    const { storage, stores } = fakeCaches();
    const fetchImpl = vi.fn(async () => streamResponse([bytes(4), bytes(4, 4), bytes(2, 8)], { headers: { 'Content-Length': '10' } }));
    const events: Array<[number, number | null, boolean]> = [];
    const buf = await fetchHubFile({ ...base, fetchImpl, cacheStorage: storage, onProgress: (l, t, c) => events.push([l, t, c]) });
    expect(Array.from(new Uint8Array(buf))).toEqual(Array.from(bytes(10)));
    expect(fetchImpl).toHaveBeenCalledWith('http://hub.test/org/model/resolve/main/model.safetensors', expect.anything());
    expect(events).toEqual([[0, 10, false], [4, 10, false], [8, 10, false], [10, 10, false]]);
    expect(stores.get(HUB_CACHE_NAME)?.has('http://hub.test/org/model/resolve/main/model.safetensors')).toBe(true);

    const again: Array<[number, number | null, boolean]> = [];
    const buf2 = await fetchHubFile({ ...base, fetchImpl, cacheStorage: storage, onProgress: (l, t, c) => again.push([l, t, c]) });
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(again).toEqual([[10, 10, true]]);
    expect(Array.from(new Uint8Array(buf2))).toEqual(Array.from(bytes(10)));
  });

  it('works without Content-Length and without a cache', async () => {
    const events: Array<number | null> = [];
    const buf = await fetchHubFile({ ...base, fetchImpl: async () => streamResponse([bytes(3), bytes(3)]), cacheStorage: null, onProgress: (_l, t) => events.push(t) });
    expect(buf.byteLength).toBe(6);
    expect(events.every((t) => t === null)).toBe(true);
  });

  it('turns a 404 into a not-found HubError that says what to do', async () => {
    const fetchImpl = async () => new Response('{"error":"Entry not found"}', { status: 404, headers: { 'X-Error-Code': 'EntryNotFound' } });
    const e = await failure(fetchHubFile({ ...base, fetchImpl, cacheStorage: null }));
    expect(e).toBeInstanceOf(HubError);
    expect((e as HubError).code).toBe('not-found');
    expect((e as HubError).status).toBe(404);
    expect((e as HubError).message).toBe(
      'model.safetensors not found for org/model: this studio needs safetensors weights (model.safetensors, or model.safetensors.index.json with its shards); this repository publishes neither, so pick a checkpoint that does (PyTorch .bin files must be converted to safetensors first).',
    );
    const cfg = await failure(fetchHubFile({ ...base, file: 'config.json', fetchImpl, cacheStorage: null }));
    expect(cfg.message).toMatch(/config.json not found for org\/model: check the model id/);
  });

  it('maps the Hub\'s 401 RepoNotFound to not-found, other statuses to http, and fetch failures to network', async () => {
    const repo = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: async () => new Response('', { status: 401, headers: { 'X-Error-Code': 'RepoNotFound' } }) }));
    expect(repo.code).toBe('not-found');
    const gated = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: async () => new Response('', { status: 403 }) }));
    expect([gated.code, gated.status]).toEqual(['http', 403]);
    expect(gated.message).toMatch(/private or gated/);
    const down = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: async () => new Response('', { status: 503 }) }));
    expect(down.message).toMatch(/try again/);
    const offline = await failure(fetchHubFile({ ...base, cacheStorage: null, fetchImpl: async () => { throw new TypeError('Failed to fetch'); } }));
    expect(offline.code).toBe('network');
    expect(offline.message).toMatch(/Could not reach http:\/\/hub.test\//);
  });

  it('reports a cut stream as network and caches nothing', async () => {
    const { storage, stores } = fakeCaches();
    const cut = await failure(fetchHubFile({ ...base, cacheStorage: storage, fetchImpl: async () => streamResponse([bytes(4), bytes(4)], { headers: { 'Content-Length': '8' }, failAfter: 1 }) }));
    expect(cut.code).toBe('network');
    const short = await failure(fetchHubFile({ ...base, cacheStorage: storage, fetchImpl: async () => streamResponse([bytes(4)], { headers: { 'Content-Length': '8' } }) }));
    expect(short.code).toBe('network');
    expect(stores.get(HUB_CACHE_NAME)?.size ?? 0).toBe(0);
  });

  it('passes aborts through unchanged', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(fetchHubFile({ ...base, cacheStorage: null, signal: ctrl.signal, fetchImpl: async () => streamResponse([]) })).rejects.toMatchObject({ name: 'AbortError' });
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
