// The revision → commit answer is remembered so a cached model loads offline; hub answers (401...) are never masked.
import { describe, expect, it } from 'vitest';
import { resolveRepoWithCache } from './snapshotCache';

function fakeCaches() {
  const m = new Map<string, Response>();
  return {
    async open() {
      return {
        async match(k: string) {
          return m.get(k)?.clone();
        },
        async put(k: string, r: Response) {
          m.set(k, r);
        },
      } as unknown as Cache;
    },
  } as unknown as CacheStorage;
}
const SHA = 'f'.repeat(40);
const ok = (async () =>
  new Response(JSON.stringify({ _id: 'x', id: 'o/m', sha: SHA, gated: false, siblings: [{ rfilename: 'config.json' }] }), {
    headers: { 'Content-Type': 'application/json' },
  })) as typeof fetch;
const offline = (async () => {
  throw new TypeError('Failed to fetch');
}) as typeof fetch;
const missing = (async () =>
  new Response('{"error":"Repository not found"}', { status: 401, headers: { 'Content-Type': 'application/json' } })) as typeof fetch;

describe('resolveRepoWithCache', () => {
  it('falls back to the last answer only when the hub cannot be reached', async () => {
    const caches = fakeCaches();
    const online = await resolveRepoWithCache({ hubUrl: 'http://hub.test', fetchImpl: ok }, 'o/m', 'main', caches);
    expect([online.commit, online.offline]).toEqual([SHA, false]);
    const again = await resolveRepoWithCache({ hubUrl: 'http://hub.test', fetchImpl: offline }, 'o/m', '', caches);
    expect([again.commit, again.offline, again.files]).toEqual([SHA, true, ['config.json']]);
    await expect(resolveRepoWithCache({ hubUrl: 'http://hub.test', fetchImpl: offline }, 'o/m', 'v2', caches)).rejects.toMatchObject({ code: 'network' });
    await expect(resolveRepoWithCache({ hubUrl: 'http://hub.test', fetchImpl: missing }, 'o/m', 'main', caches)).rejects.toMatchObject({ code: 'not-found' });
  });
});
