// One file reader per model source (embedded app files, a Hub-like server, a local folder of Files): fetch a file with
// per-file progress, tell "missing" from other failures, load the tokenizer, and probe safetensors headers cheaply.
import type { ModelSource } from '../../protocol/messages';
import { probeSafetensorsHeader } from '../../hub/headerProbe';
import { fetchHubFile, HubError, hubFileUrl } from '../../hub/hubFiles';
import type { CheckpointSource } from '../../model/checkpoint';
import type { TensorInfo } from '../../model/memoryEstimate';
import { tryReadSafetensorsHeader } from '../../model/safetensorsHeader';
import { loadTokenizer, type PreTrainedTokenizer } from '../../tokenize/tokenizer';
import { tokenizerFromJson } from '../../tokenize/tokenizerFromFiles';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';

/** Where the embedded models sit on the page's own origin (public/models/<name>/). */
export const EMBEDDED_BASE = '/models/';

export class MissingFileError extends Error {}

export type ModelFiles = CheckpointSource & {
  modelId: string;
  loadTokenizer(): Promise<PreTrainedTokenizer>;
  /** Tensor shapes from a weight file's header without downloading the data; null when not cheaply possible. */
  probeHeader(file: string): Promise<TensorInfo[] | null>;
  /** Which of tokenizer.json / tokenizer_config.json the source lacks (asked after a tokenizer load failed). */
  missingTokenizerFiles(): Promise<string[]>;
};

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'];

const baseName = (f: File) => (f.webkitRelativePath || f.name).split('/').pop() ?? f.name;

export function modelFiles(source: ModelSource, ctx: HandlerContext): ModelFiles {
  const report = (file: string) => (loadedBytes: number, totalBytes: number | null, cached: boolean) =>
    ctx.emit({ type: 'modelProgress', file, loadedBytes, totalBytes: totalBytes ?? 0, cached });
  const isNotFound = (e: unknown) => e instanceof MissingFileError || (e instanceof HubError && e.code === 'not-found');

  if (source.kind === 'hub') {
    const { baseUrl, modelId } = source;
    return {
      modelId,
      isNotFound,
      fetchFile: (file) => fetchHubFile({ baseUrl, modelId, file, onProgress: report(file) }),
      loadTokenizer: () => loadTokenizer({ baseUrl, modelId }),
      probeHeader: (file) => probeSafetensorsHeader({ baseUrl, modelId, file }),
      missingTokenizerFiles: async () => {
        const status = await Promise.all(TOKENIZER_FILES.map((f) => fetch(hubFileUrl(baseUrl, modelId, f), { method: 'HEAD' }).then((r) => r.status, () => 0)));
        return TOKENIZER_FILES.filter((_, i) => status[i] === 404);
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
    const readJson = async (file: string) => JSON.parse(await get(file).text()) as Record<string, unknown>;
    return {
      modelId: source.name,
      isNotFound,
      fetchFile: async (file) => {
        const f = get(file);
        report(file)(0, f.size, false);
        const buf = await f.arrayBuffer();
        report(file)(buf.byteLength, f.size, false);
        return buf;
      },
      loadTokenizer: async () => {
        const tokenizerConfig = byName.has('tokenizer_config.json') ? await readJson('tokenizer_config.json') : {};
        return tokenizerFromJson(await readJson('tokenizer.json'), tokenizerConfig);
      },
      probeHeader: async (file) => {
        const f = byName.get(file);
        if (!f) return null;
        let head = tryReadSafetensorsHeader(new Uint8Array(await f.slice(0, 1 << 20).arrayBuffer()));
        if (head.ok && !head.value.complete) head = tryReadSafetensorsHeader(new Uint8Array(await f.slice(0, head.value.needBytes).arrayBuffer()));
        return head.ok && head.value.complete ? head.value.tensors : null;
      },
      missingTokenizerFiles: async () => TOKENIZER_FILES.filter((f) => f !== 'tokenizer_config.json' && !byName.has(f)),
    };
  }

  // Same-origin files that ship with the app: the HTTP cache is enough.
  const name = source.name;
  return {
    modelId: name,
    isNotFound,
    fetchFile: async (file) => {
      const res = await fetch(new URL(`${EMBEDDED_BASE}${name}/${file}`, self.location.origin));
      // The SPA fallback answers unknown paths with index.html: treat HTML as missing.
      if (res.status === 404 || (res.headers.get('Content-Type') ?? '').includes('text/html')) throw new MissingFileError(`${file} is not shipped with ${name}`);
      if (!res.ok) throw new StudioError('embedded-missing', `The embedded model file ${file} is missing (HTTP ${res.status}). Run "npm run make:default-model" and rebuild.`);
      const buf = await res.arrayBuffer();
      report(file)(buf.byteLength, buf.byteLength, false);
      return buf;
    },
    loadTokenizer: () => loadTokenizer({ localPath: name, localModelPath: EMBEDDED_BASE }),
    probeHeader: async () => null,
    missingTokenizerFiles: async () => [],
  };
}
