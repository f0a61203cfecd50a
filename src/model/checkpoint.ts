// Reads a checkpoint's weights through any file source (hub, local folder, test folder): model.safetensors or
// sharded model-0000N-of-0000M.safetensors via model.safetensors.index.json, F16/BF16 → F32, tied heads deduped.
// No DOM, no tfjs: the worker and the Node tests call the same loadCheckpointWeights.
import { err, ok, type Result } from '../lib/result';
import type { ModelConfig } from './config';
import { family } from './families';
import { tryParseSafetensors, type NamedTensor } from './safetensors';

export const SINGLE_WEIGHTS_FILE = 'model.safetensors';
export const SHARD_INDEX_FILE = 'model.safetensors.index.json';

/** Where the weights come from; `isNotFound` tells a missing file from any other failure. */
export type CheckpointSource = {
  fetchFile(file: string): Promise<ArrayBuffer>;
  isNotFound(e: unknown): boolean;
};

export type ShardIndex = { shards: string[]; weightMap: Record<string, string>; totalSize: number | null };

export type WeightsLayout = { kind: 'single'; files: [typeof SINGLE_WEIGHTS_FILE] } | ({ kind: 'sharded'; files: string[] } & ShardIndex);

export type LoadedWeights = {
  tensors: Map<string, NamedTensor>;
  layout: WeightsLayout;
  /** Stored dtypes seen (e.g. ['BF16']): everything in `tensors` is float32 regardless. */
  storedDtypes: string[];
  /** 'absent' (tied, no lm_head stored), 'deduplicated' (an explicit copy equal to the embeddings was dropped), or null. */
  tiedHead: 'absent' | 'deduplicated' | null;
  /** Non-parameter tensors the file carried (GPT-2 attn.bias / masked_bias, rotary inv_freq): dropped, not counted. */
  skippedBuffers: number;
};

/** A shard name must be a plain file name in the same folder (no paths, no URLs). */
const SAFE_SHARD = /^[\w.-]+\.safetensors$/;

/** Parse model.safetensors.index.json: {"metadata": {"total_size": n}, "weight_map": {tensor: shard file}}. */
export function tryParseShardIndex(json: unknown): Result<ShardIndex, string> {
  const bad = (why: string) => err(`${SHARD_INDEX_FILE}: ${why}; the index is corrupt, download it again or re-save the checkpoint.`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('expected a JSON object');
  const { weight_map: map, metadata } = json as { weight_map?: unknown; metadata?: { total_size?: unknown } };
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return bad('"weight_map" is missing or not an object');
  const weightMap: Record<string, string> = {};
  const shards: string[] = [];
  for (const [name, file] of Object.entries(map as Record<string, unknown>)) {
    if (typeof file !== 'string' || !SAFE_SHARD.test(file)) return bad(`tensor "${name}" maps to ${JSON.stringify(file)}, not a .safetensors file name`);
    weightMap[name] = file;
    if (!shards.includes(file)) shards.push(file);
  }
  if (shards.length === 0) return bad('"weight_map" names no tensors');
  shards.sort();
  const total = metadata?.total_size;
  return ok({ shards, weightMap, totalSize: typeof total === 'number' && total >= 0 ? total : null });
}

/** Which weight files to read: the index when it exists (sharded), else model.safetensors. */
export async function resolveWeightsLayout(source: CheckpointSource, modelId: string): Promise<Result<WeightsLayout, string>> {
  let indexBytes: ArrayBuffer;
  try {
    indexBytes = await source.fetchFile(SHARD_INDEX_FILE);
  } catch (e) {
    if (source.isNotFound(e)) return ok({ kind: 'single', files: [SINGLE_WEIGHTS_FILE] });
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(indexBytes));
  } catch {
    return err(`${modelId}/${SHARD_INDEX_FILE} is not valid JSON; the index is corrupt, download it again or re-save the checkpoint.`);
  }
  const index = tryParseShardIndex(json);
  if (!index.ok) return err(`${modelId}/${index.error}`);
  return ok({ kind: 'sharded', files: index.value.shards, ...index.value });
}

/** Download (through `source`) and parse every weight file, one file at a time, into one float32 tensor map. */
export async function loadCheckpointWeights(source: CheckpointSource, modelId: string, config: ModelConfig): Promise<Result<LoadedWeights, string>> {
  const layout = await resolveWeightsLayout(source, modelId);
  if (!layout.ok) return layout;
  const tensors = new Map<string, NamedTensor>();
  const dtypes = new Set<string>();
  const isBuffer = family(config.modelType).isBuffer;
  let skippedBuffers = 0;
  for (const file of layout.value.files) {
    const bytes = await source.fetchFile(file); // may throw (not found, network): the caller words it
    const parsed = tryParseSafetensors(new Uint8Array(bytes));
    if (!parsed.ok) return err(`${modelId}/${file}: ${parsed.error}`);
    for (const [name, t] of parsed.value.tensors) {
      if (isBuffer(name)) {
        skippedBuffers++;
        continue;
      }
      if (tensors.has(name)) return err(`${modelId}: tensor "${name}" appears in two shards (${file} and an earlier one); the checkpoint is corrupt.`);
      tensors.set(name, t);
      dtypes.add(t.dtype);
    }
  }
  if (layout.value.kind === 'sharded') {
    const missing = Object.entries(layout.value.weightMap).filter(([name]) => !tensors.has(name) && !isBuffer(name));
    if (missing.length > 0) {
      const [name, file] = missing[0];
      return err(
        `${modelId}: ${SHARD_INDEX_FILE} puts "${name}" in ${file} but that shard lacks it (${missing.length} tensors missing); the shards are from another checkpoint or truncated.`,
      );
    }
  }
  return ok({ tensors, layout: layout.value, storedDtypes: [...dtypes].sort(), tiedHead: tieHead(tensors, config), skippedBuffers });
}

const EMBEDDING_KEYS = ['model.embed_tokens.weight', 'embed_tokens.weight', 'transformer.wte.weight', 'wte.weight'];

/** Is the LM head tied to the word embeddings for this config (GPT-2 always; Llama/Qwen2 when tie_word_embeddings)? */
export function isHeadTied(config: ModelConfig): boolean {
  if (config.modelType === 'gpt2') return true;
  if (config.modelType === 'llama' || config.modelType === 'qwen2') return config.tieWordEmbeddings;
  return false;
}

/**
 * Tied heads: HF saves no lm_head.weight (the loaders then use the embeddings). When a tied checkpoint stores an
 * explicit lm_head equal to the embeddings, drop the copy (saves V×C floats); a different lm_head is kept.
 */
function tieHead(tensors: Map<string, NamedTensor>, config: ModelConfig): LoadedWeights['tiedHead'] {
  if (!isHeadTied(config)) return null;
  const head = tensors.get('lm_head.weight');
  if (!head) return 'absent';
  const emb = EMBEDDING_KEYS.map((k) => tensors.get(k)).find((t) => t !== undefined);
  if (!emb || emb.data.length !== head.data.length) return null;
  for (let i = 0; i < head.data.length; i++) if (head.data[i] !== emb.data[i]) return null;
  tensors.delete('lm_head.weight');
  return 'deduplicated';
}
