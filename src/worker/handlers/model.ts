// loadModel: fetch config.json, the tokenizer and model.safetensors (embedded or from a hub), check that
// the studio can run them, and keep the raw weights for training runs.
import type { ModelSource, ModelSummary } from '../../protocol/messages';
import { fetchHubFile, HubError } from '../../hub/hubFiles';
import { tryParseModelConfig } from '../../model/config';
import { tryParseSafetensors } from '../../model/safetensors';
import { loadTokenizer, type PreTrainedTokenizer } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../studio.worker';
import { StudioError } from '../userError';

/** Where the embedded models sit on the page's own origin (public/models/<name>/). */
const EMBEDDED_BASE = '/models/';

type FileFetcher = (file: string) => Promise<ArrayBuffer>;

function makeFetcher(source: ModelSource, ctx: HandlerContext): FileFetcher {
  const report = (file: string) => (loadedBytes: number, totalBytes: number | null, cached: boolean) =>
    ctx.emit({ type: 'modelProgress', file, loadedBytes, totalBytes: totalBytes ?? 0, cached });
  if (source.kind === 'hub') {
    return (file) => fetchHubFile({ baseUrl: source.baseUrl, modelId: source.modelId, file, onProgress: report(file) });
  }
  // Same-origin files that ship with the app: the HTTP cache is enough.
  return async (file) => {
    const res = await fetch(new URL(`${EMBEDDED_BASE}${source.name}/${file}`, self.location.origin));
    if (!res.ok) throw new StudioError('embedded-missing', `The embedded model file ${file} is missing (HTTP ${res.status}). Run "npm run make:default-model" and rebuild.`);
    const buf = await res.arrayBuffer();
    report(file)(buf.byteLength, buf.byteLength, false);
    return buf;
  };
}

function hubFailure(e: unknown): never {
  if (e instanceof HubError) throw new StudioError(`hub-${e.code}`, e.message);
  throw e;
}

export async function handleLoadModel(args: { source: ModelSource }, ctx: HandlerContext): Promise<ModelSummary> {
  const { source } = args;
  if (ctx.session.training) throw new StudioError('busy', 'Stop the running training before loading another model.');
  const modelId = source.kind === 'hub' ? source.modelId : source.name;
  if (source.kind === 'hub' && !/^[\w.-]+(\/[\w.-]+)?$/.test(modelId)) {
    throw new StudioError('bad-model-id', `"${modelId}" is not a Hugging Face model id; it looks like "organisation/model-name".`);
  }
  const fetchFile = makeFetcher(source, ctx);

  const configBytes = await fetchFile('config.json').catch(hubFailure);
  let configJson: Record<string, unknown>;
  try {
    configJson = JSON.parse(new TextDecoder().decode(configBytes));
  } catch {
    throw new StudioError('bad-config', `config.json of ${modelId} is not valid JSON; this is not a Hugging Face model folder.`);
  }
  const config = tryParseModelConfig(configJson);
  if (!config.ok) throw new StudioError('unsupported-model', `${modelId}: ${config.error}`);

  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await loadTokenizer(
      source.kind === 'hub' ? { baseUrl: source.baseUrl, modelId } : { localPath: source.name, localModelPath: EMBEDDED_BASE },
    );
  } catch (e) {
    throw new StudioError(
      'missing-tokenizer',
      `Could not load the tokenizer of ${modelId} (${e instanceof Error ? e.message : String(e)}). ` +
        'The studio needs tokenizer.json and tokenizer_config.json next to config.json; pick a checkpoint that publishes them.',
    );
  }

  const weightBytes = await fetchFile('model.safetensors').catch(hubFailure);
  const parsed = tryParseSafetensors(new Uint8Array(weightBytes));
  if (!parsed.ok) throw new StudioError('bad-weights', `${modelId}/model.safetensors: ${parsed.error}`);

  let parameterCount = 0;
  for (const t of parsed.value.tensors.values()) parameterCount += t.data.length;
  const c = config.value;
  ctx.session.baseModel = {
    modelId,
    configJson,
    tensors: parsed.value.tensors,
    tokenizer,
    pretrained: source.kind === 'hub' && configJson._studio_note === undefined,
  };
  return {
    modelId,
    modelType: String(configJson.model_type),
    hiddenSize: c.hiddenSize,
    numLayers: c.numHiddenLayers,
    numHeads: c.numAttentionHeads,
    vocabSize: c.vocabSize,
    maxPositions: c.maxPositionEmbeddings,
    parameterCount,
    pretrained: ctx.session.baseModel.pretrained,
    note: typeof configJson._studio_note === 'string' ? configJson._studio_note : null,
  };
}
