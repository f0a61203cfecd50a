// Unit tests for resolving a revision to a commit with the model API, and telling a 401 apart (missing repo,
// refused token, gated) without relying on X-Error-Code; plus the 429 backoff and the weights-format messages.
import { describe, expect, it } from 'vitest';
import { weightsProblem } from './hubErrors';
import { resolveRepo } from './repoInfo';
import { retryDelaySec, retryingFetch } from './retryFetch';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const api = (routes: (url: string, auth: string | null) => [number, object]) =>
  (async (input: RequestInfo | URL, init?: RequestInit) => {
    const [status, body] = routes(String(input), new Headers(init?.headers).get('Authorization'));
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
const info = (gated: false | 'manual' = false) => ({
  _id: 'x',
  id: 'org/m',
  sha: SHA,
  gated,
  private: false,
  siblings: [{ rfilename: 'config.json' }, { rfilename: 'model.safetensors' }],
});
const hub = 'http://hub.test';

describe('resolveRepo', () => {
  it('resolves a revision to its commit and file list through /api/models/{id}/revision/{rev}', async () => {
    const seen: string[] = [];
    const fetchImpl = api((url) => {
      seen.push(url);
      return [200, info()];
    });
    const snap = await resolveRepo({ hubUrl: hub, fetchImpl }, 'org/m', 'v1.0');
    expect(snap).toEqual({ modelId: 'org/m', revision: 'v1.0', commit: SHA, files: ['config.json', 'model.safetensors'], gated: false });
    expect(seen[0]).toMatch(/^http:\/\/hub\.test\/api\/models\/org\/m\/revision\/v1\.0\?/);
    expect(seen[0]).toContain('expand=sha');
    expect((await resolveRepo({ hubUrl: hub, fetchImpl }, 'org/m', '  ')).revision).toBe('main');
  });

  it('401 without a token: no such model; 401 with a token that works without it: the token was refused', async () => {
    const missing = await resolveRepo({ hubUrl: hub, fetchImpl: api(() => [401, { error: 'Repository not found' }]) }, 'org/typo', '').catch((e: Error) => e);
    expect(missing).toMatchObject({ code: 'not-found' });
    expect((missing as Error).message).toContain('org/typo was not found on hub.test (HTTP 401');
    const refused = await resolveRepo(
      { hubUrl: hub, accessToken: 'hf_bad', fetchImpl: api((_u, auth) => (auth ? [401, { error: 'Invalid credentials' }] : [200, info()])) },
      'org/m',
      '',
    ).catch((e: Error) => e);
    expect(refused).toMatchObject({ code: 'token-refused' });
  });

  it('a missing revision is named; a gated repo is reported as gated', async () => {
    const rev = await resolveRepo({ hubUrl: hub, fetchImpl: api(() => [404, { error: 'Invalid rev id: nope' }]) }, 'org/m', 'nope').catch((e: Error) => e);
    expect(rev).toMatchObject({ code: 'revision-not-found' });
    expect((rev as Error).message).toContain('Revision "nope" does not exist in org/m');
    expect((await resolveRepo({ hubUrl: hub, fetchImpl: api(() => [200, info('manual')]) }, 'org/m', '')).gated).toBe('manual');
  });
});

describe('429 backoff', () => {
  it('Retry-After in seconds or as a date, else exponential, capped', () => {
    expect(retryDelaySec('7', 0)).toBe(7);
    expect(retryDelaySec(null, 0)).toBe(2);
    expect(retryDelaySec(null, 2)).toBe(8);
    expect(retryDelaySec('3600', 0)).toBe(30);
    expect(retryDelaySec(new Date(10_000 + 5_000).toUTCString(), 0, 2, 30, 10_000)).toBe(5);
  });
  it('retries only 429, counting down each second, and returns the last 429 after maxRetries', async () => {
    let calls = 0;
    const waits: Array<[number, number]> = [];
    const f = retryingFetch(
      (async () => {
        calls++;
        return new Response('', { status: 429, headers: { 'Retry-After': '2' } });
      }) as typeof fetch,
      { maxRetries: 2, onWait: (s, a) => waits.push([s, a]), sleep: async () => undefined },
    );
    expect((await f('http://x')).status).toBe(429);
    expect(calls).toBe(3);
    expect(waits).toEqual([
      [2, 1],
      [1, 1],
      [0, 1],
      [2, 2],
      [1, 2],
      [0, 2],
    ]);
    expect(f.stats).toEqual({ retries: 2, waitedSec: 4 });
    let n = 0;
    const once = retryingFetch((async () => new Response('', { status: n++ === 0 ? 500 : 200 })) as typeof fetch, { sleep: async () => undefined });
    expect((await once('http://x')).status).toBe(500); // not a 429: the caller decides
  });
});

describe('weightsProblem', () => {
  it('names PyTorch-only and ONNX-only repos, accepts safetensors and shards', () => {
    expect(weightsProblem('o/m', ['config.json', 'model.safetensors'])).toBeNull();
    expect(weightsProblem('o/m', ['model.safetensors.index.json', 'model-00001-of-00002.safetensors'])).toBeNull();
    expect(weightsProblem('o/m', ['config.json', 'pytorch_model.bin'])).toContain('publishes only PyTorch weights (pytorch_model.bin)');
    expect(weightsProblem('o/m', ['config.json', 'onnx/model.onnx'])).toContain('publishes only ONNX weights (onnx/model.onnx)');
    expect(weightsProblem('o/m', ['config.json'])).toContain('has no model.safetensors');
  });
});

describe('a mirror without the model API', () => {
  it('pins to X-Repo-Commit of config.json (or the revision as given) with an unknown file list', async () => {
    const fetchImpl = (async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url.includes('/api/models/')) return new Response('Not found', { status: 404 });
      if (url.endsWith('/resolve/main/config.json')) return new Response('{}', { headers: { 'X-Repo-Commit': SHA } });
      return new Response('Not found', { status: 404 });
    }) as typeof fetch;
    expect(await resolveRepo({ hubUrl: hub, fetchImpl }, 'org/m', '')).toEqual({ modelId: 'org/m', revision: 'main', commit: SHA, files: [], gated: false });
    await expect(resolveRepo({ hubUrl: hub, fetchImpl }, 'org/other', 'v2')).rejects.toMatchObject({ code: 'not-found' });
  });
});
