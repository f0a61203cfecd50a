// One file reader per model source (embedded app files, a Hub-like server, a local folder of Files): fetch a file with
// per-file progress, tell "missing" from other failures, load the tokenizer (with its fallbacks), and probe
// safetensors headers cheaply. Hub sources first resolve the revision to one commit; every file comes from it.
import type { ModelSource } from '../protocol/messages';
import { probeSafetensorsHeader } from '../hub/headerProbe';
import { fetchHubFile, HubError } from '../hub/hubFiles';
import type { RepoSnapshot } from '../hub/repoInfo';
import { resolveRepoWithCache } from '../hub/snapshotCache';
import { retryingFetch } from '../hub/retryFetch';
import type { CheckpointSource } from '../model/checkpoint';
import type { TensorInfo } from '../model/memoryEstimate';
import { tryReadSafetensorsHeader } from '../model/safetensorsHeader';
import { loadTokenizer } from '../tokenize/tokenizer';
import { readTokenizerFileSet, tokenizerFromFileSet, type TokenizerWithNotes } from '../tokenize/tokenizerFallbacks';
import type { HandlerContext } from './handlerContext';
import { StudioError } from './userError';

/** Where the embedded models sit on the page's own origin (public/models/<name>/). */
export const EMBEDDED_BASE = '/models/';

export class MissingFileError extends Error {}

export type ModelFiles = CheckpointSource & {
  modelId: string;
  /** The tokenizer and the fallbacks it needed; `modelConfig` is the parsed config.json (EOS/BOS ids, model_type). */
  loadTokenizer(modelConfig: Record<string, unknown> | null): Promise<TokenizerWithNotes>;
  /** Tensor shapes from a weight file's header without downloading the data; null when not cheaply possible. */
  probeHeader(file: string): Promise<TensorInfo[] | null>;
  /** Which of tokenizer.json / tokenizer_config.json the source lacks (asked after a tokenizer load failed). */
  missingTokenizerFiles(): Promise<string[]>;
  /** Hub sources: the commit the revision resolved to, and the repo's files at it. */
  snapshot(): Promise<RepoSnapshot | null>;
};

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'];

const baseName = (f: File) => (f.webkitRelativePath || f.name).split('/').pop() ?? f.name;
const missingOf = (has: (f: string) => boolean) => (has('tokenizer.json') ? [] : TOKENIZER_FILES.filter((f) => !has(f)));

export function modelFiles(source: ModelSource, ctx: HandlerContext): ModelFiles {
  const report = (file: string) => (loadedBytes: number, totalBytes: number | null, cached: boolean) =>
    ctx.emit({ type: 'modelProgress', file, loadedBytes, totalBytes: totalBytes ?? 0, cached });
  const isNotFound = (e: unknown) => e instanceof MissingFileError || (e instanceof HubError && e.code === 'not-found');

  if (source.kind === 'hub') {
    const { baseUrl, modelId } = source;
    const accessToken = source.accessToken?.trim() || null;
    const fetchImpl = retryingFetch(globalThis.fetch.bind(globalThis), {
      onWait: (secondsLeft, attempt, maxRetries) => ctx.emit({ type: 'hubWait', secondsLeft, attempt, maxRetries }),
    });
    const access = { hubUrl: baseUrl, accessToken, fetchImpl };
    let snap: Promise<RepoSnapshot> | null = null;
    const snapshot = () => (snap ??= resolveRepoWithCache(access, modelId, source.revision ?? ''));
    const fetchFile = async (file: string) => {
      const s = await snapshot();
      // The model API listed the commit's files: a file it lacks is missing without asking again.
      if (s.files.length > 0 && !s.files.includes(file))
        throw new HubError('not-found', `${file} not found for ${modelId} at ${s.commit.slice(0, 12)}`, file, 404);
      return fetchHubFile({ baseUrl, modelId, file, revision: s.commit, accessToken, snapshot: s, fetchImpl, onProgress: report(file) });
    };
    return {
      modelId,
      isNotFound,
      fetchFile,
      snapshot,
      loadTokenizer: async (modelConfig) => {
        const s = await snapshot();
        // Without a file list (a mirror with no model API) each file is tried; a missing one is simply absent.
        const read = async (f: string) => {
          if (s.files.length > 0 && !s.files.includes(f)) return null;
          try {
            return new TextDecoder().decode(await fetchFile(f));
          } catch (e) {
            if (s.files.length === 0 && isNotFound(e)) return null;
            throw e;
          }
        };
        const set = await readTokenizerFileSet(read, modelConfig);
        if (!set) throw new MissingFileError('tokenizer.json is missing');
        return tokenizerFromFileSet(set);
      },
      probeHeader: async (file) => {
        const s = await snapshot();
        return probeSafetensorsHeader({ baseUrl, modelId, file, revision: s.commit, accessToken, fetchImpl });
      },
      missingTokenizerFiles: async () => {
        const s = await snapshot();
        if (s.files.length === 0) return []; // unknown without a file list: the load error says what failed
        return missingOf((f) => s.files.includes(f));
      },
    };
  }

  if (source.kind === 'local') {
    const byName = new Map(source.files.map((f) => [baseName(f), f]));
    const get = (file: string) => {
      const f = byName.get(file);
      if (!f) throw new MissingFileError(`${file} is not in the folder ${source.name}`);
      return f;
    };
    return {
      modelId: source.name,
      isNotFound,
      snapshot: async () => null,
      fetchFile: async (file) => {
        const f = get(file);
        report(file)(0, f.size, false);
        const buf = await f.arrayBuffer();
        report(file)(buf.byteLength, f.size, false);
        return buf;
      },
      loadTokenizer: async (modelConfig) => {
        const set = await readTokenizerFileSet(async (f) => (byName.has(f) ? get(f).text() : null), modelConfig);
        if (!set) throw new MissingFileError('tokenizer.json is missing');
        return tokenizerFromFileSet(set);
      },
      probeHeader: async (file) => {
        const f = byName.get(file);
        if (!f) return null;
        let head = tryReadSafetensorsHeader(new Uint8Array(await f.slice(0, 1 << 20).arrayBuffer()));
        if (head.ok && !head.value.complete) head = tryReadSafetensorsHeader(new Uint8Array(await f.slice(0, head.value.needBytes).arrayBuffer()));
        return head.ok && head.value.complete ? head.value.tensors : null;
      },
      missingTokenizerFiles: async () => missingOf((f) => byName.has(f)),
    };
  }

  // Same-origin files that ship with the app: the HTTP cache is enough.
  const name = source.name;
  return {
    modelId: name,
    isNotFound,
    snapshot: async () => null,
    fetchFile: async (file) => {
      const res = await fetch(new URL(`${EMBEDDED_BASE}${name}/${file}`, self.location.origin));
      // The SPA fallback answers unknown paths with index.html: treat HTML as missing.
      if (res.status === 404 || (res.headers.get('Content-Type') ?? '').includes('text/html'))
        throw new MissingFileError(`${file} is not shipped with ${name}`);
      if (!res.ok)
        throw new StudioError(
          'embedded-missing',
          `The embedded model file ${file} is missing (HTTP ${res.status}). Run "npm run make:default-model" and rebuild.`,
        );
      const buf = await res.arrayBuffer();
      report(file)(buf.byteLength, buf.byteLength, false);
      return buf;
    },
    loadTokenizer: async () => ({ tokenizer: await loadTokenizer({ localPath: name, localModelPath: EMBEDDED_BASE }), notes: [] }),
    probeHeader: async () => null,
    missingTokenizerFiles: async () => [],
  };
}
