// Remembers what each (hub, model, revision) resolved to, in the same Cache API store as the files, so a model whose
// files are cached still loads when the hub cannot be reached (offline): the files are keyed by commit, and this
// says which commit. Only a network failure falls back; any answer from the hub (401, 404...) is final.
import { HUB_CACHE_NAME } from './hubFiles';
import { resolveRepo, type HubAccess, type RepoSnapshot } from './repoInfo';
import { HubError } from './hubErrors';

const keyOf = (a: HubAccess, modelId: string, revision: string) =>
  `${a.hubUrl.replace(/\/+$/, '')}/api/models/${modelId}/revision/${encodeURIComponent(revision.trim() || 'main')}?studio-snapshot`;

export async function resolveRepoWithCache(
  a: HubAccess,
  modelId: string,
  revision: string,
  storage?: CacheStorage | null,
): Promise<RepoSnapshot & { offline: boolean }> {
  const caches = storage !== undefined ? storage : (globalThis as { caches?: CacheStorage }).caches;
  const cache = caches ? await caches.open(HUB_CACHE_NAME).catch(() => null) : null;
  const key = keyOf(a, modelId, revision);
  try {
    const snap = await resolveRepo(a, modelId, revision);
    await cache?.put(key, new Response(JSON.stringify(snap), { headers: { 'Content-Type': 'application/json' } })).catch(() => undefined);
    return { ...snap, offline: false };
  } catch (e) {
    if (!(e instanceof HubError && e.code === 'network') || !cache) throw e;
    const hit = await cache.match(key).catch(() => undefined);
    if (!hit) throw e;
    return { ...((await hit.json()) as RepoSnapshot), offline: true };
  }
}
