// Resolves a model id + revision (branch, tag or commit) to one commit and its file list with @huggingface/hub's
// modelInfo (/api/models/{id}/revision/{rev}), so every file of a load comes from that commit; tells a missing repo
// from a gated one, a refused token and a missing revision. Worker-safe (fetch only).
import { HubApiError, modelInfo } from '@huggingface/hub';
import { HubError, hubMessages } from './hubErrors';

export type HubAccess = {
  hubUrl: string;
  /** Sent as Authorization: Bearer to the hub's own host only (never to the CDN it redirects to). */
  accessToken?: string | null;
  fetchImpl?: typeof fetch;
};

export type RepoSnapshot = {
  modelId: string;
  /** What the user asked for ('main' when empty). */
  revision: string;
  /** The 40-hex commit every file of this load comes from. */
  commit: string;
  files: string[];
  gated: false | 'auto' | 'manual';
};

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};
const token = (a: HubAccess) => (a.accessToken ? a.accessToken : undefined);
const hubUrlOf = (a: HubAccess) => a.hubUrl.replace(/\/+$/, '');

async function info(a: HubAccess, modelId: string, revision: string, withToken: boolean) {
  return modelInfo({
    name: modelId,
    hubUrl: hubUrlOf(a),
    revision,
    accessToken: withToken ? token(a) : undefined,
    additionalFields: ['sha', 'filePaths'],
    fetch: a.fetchImpl,
  });
}

const isRevisionMissing = (e: HubApiError) => e.statusCode === 404 && /rev|revision/i.test(e.message);

/** Turns a failure of any hub call into a HubError with the user's next step. */
export function hubFailure(e: unknown, a: HubAccess, what: string, retries?: { retries: number; waitedSec: number }): HubError {
  if (e instanceof HubError) return e;
  const url = e instanceof HubApiError ? e.url : hubUrlOf(a);
  retries ??= (a.fetchImpl as { stats?: { retries: number; waitedSec: number } } | undefined)?.stats;
  if (e instanceof HubApiError) {
    if (e.statusCode === 429) return new HubError('rate-limited', hubMessages.rateLimited(a.hubUrl, retries?.retries ?? 0, retries?.waitedSec ?? 0), url, 429);
    if (e.statusCode >= 500)
      return new HubError(
        'http',
        `${hostOf(url || a.hubUrl)} had a server error (HTTP ${e.statusCode}) while trying to ${what}; try again in a moment.`,
        url,
        e.statusCode,
      );
    return new HubError('http', `The hub answered HTTP ${e.statusCode} while trying to ${what} (${e.message}).`, url, e.statusCode);
  }
  if (e instanceof Error && e.name === 'AbortError') throw e;
  const detail = e instanceof Error ? e.message : String(e);
  return new HubError('network', hubMessages.network(a.hubUrl, what, detail), url);
}

/**
 * The commit and files of `modelId` at `revision`. A 401 is explained: with a token that works without it, the
 * token is refused; without one the repo is missing (or private); a gated repo is named before any file request.
 */
export async function resolveRepo(a: HubAccess, modelId: string, revision: string): Promise<RepoSnapshot> {
  const rev = revision.trim() || 'main';
  const what = `look up ${modelId}`;
  try {
    const m = await info(a, modelId, rev, true);
    const gated = m.gated ?? false;
    return { modelId, revision: rev, commit: m.sha, files: m.filePaths ?? [], gated };
  } catch (e) {
    if (!(e instanceof HubApiError)) throw hubFailure(e, a, what);
    const url = e.url;
    if (isRevisionMissing(e)) throw new HubError('revision-not-found', hubMessages.revisionNotFound(modelId, rev), url, 404);
    if (e.statusCode === 401 && token(a)) {
      // Is the repo readable without the token? Then the token itself was refused.
      const anonymous = await info(a, modelId, rev, false).then(
        () => true,
        () => false,
      );
      if (anonymous) throw new HubError('token-refused', hubMessages.tokenRefused(a.hubUrl), url, 401);
      throw new HubError('not-found', hubMessages.notFound(a.hubUrl, modelId, 401) + ' ' + hubMessages.tokenRefused(a.hubUrl), url, 401);
    }
    if (e.statusCode === 404 && !/repository not found/i.test(e.message)) {
      const mirror = await withoutModelApi(a, modelId, rev);
      if (mirror) return mirror;
    }
    if (e.statusCode === 401 || e.statusCode === 404) throw new HubError('not-found', hubMessages.notFound(a.hubUrl, modelId, e.statusCode), url, e.statusCode);
    if (e.statusCode === 403) throw new HubError('no-access', hubMessages.noAccess(a.hubUrl, modelId), url, 403);
    throw hubFailure(e, a, what);
  }
}

/** A file request refused with 401/403 on a repo the model API knows: gated, token lacking access, or refused. */
export function fileRefusal(a: HubAccess, snap: RepoSnapshot, status: number, url: string): HubError {
  if (!token(a)) {
    return snap.gated
      ? new HubError('gated', hubMessages.gated(a.hubUrl, snap.modelId), url, status)
      : new HubError('not-found', hubMessages.notFound(a.hubUrl, snap.modelId, status), url, status);
  }
  if (status === 403 || snap.gated) return new HubError('no-access', hubMessages.noAccess(a.hubUrl, snap.modelId), url, status);
  return new HubError('token-refused', hubMessages.tokenRefused(a.hubUrl), url, status);
}

/**
 * A mirror or static file server without the model API: if config.json resolves, pin to its X-Repo-Commit (the
 * Hub's header) or, when absent, to the revision as given; the file list is unknown (files are tried one by one).
 */
async function withoutModelApi(a: HubAccess, modelId: string, rev: string): Promise<RepoSnapshot | null> {
  const f = a.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const url = `${hubUrlOf(a)}/${modelId}/resolve/${encodeURIComponent(rev)}/config.json`;
  const res = await f(url, { headers: token(a) ? { Authorization: `Bearer ${token(a)}` } : {} }).catch(() => null);
  if (!res?.ok) return null;
  await res.body?.cancel().catch(() => undefined);
  const commit = res.headers.get('X-Repo-Commit');
  return { modelId, revision: rev, commit: commit && /^[0-9a-f]{40}$/.test(commit) ? commit : rev, files: [], gated: false };
}
