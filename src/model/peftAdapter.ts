// PEFT adapter files (adapter_config.json + adapter_model.safetensors) to and from a LoraAdapter.
// Depends only on tfjs-core (through model/lora), lib/ and model/; writes exactly PEFT 0.11.1's LoraConfig field set.
import { err, ok, type Result } from '../lib/result';
import type { SequenceModel, TaskType } from './types';
import { readPeftWeights, SEQ_CLS_MODULES_TO_SAVE, trySetPeftWeights, tryCreateLoraAdapter, type LoraAdapter } from './lora';
import { serializeSafetensors, tryParseSafetensors } from './safetensors';

export const ADAPTER_CONFIG_NAME = 'adapter_config.json';
export const ADAPTER_WEIGHTS_NAME = 'adapter_model.safetensors';

export type PeftAdapterFiles = {
  [ADAPTER_CONFIG_NAME]: string;
  [ADAPTER_WEIGHTS_NAME]: Uint8Array;
};

export type PeftTaskType = TaskType;

/** PEFT 0.11.1 LoraConfig as serialized (sorted keys, indent 2, as PEFT's json.dumps). */
export type PeftLoraConfigJson = {
  alpha_pattern: Record<string, number>;
  auto_mapping: null;
  base_model_name_or_path: string | null;
  bias: 'none';
  fan_in_fan_out: boolean;
  inference_mode: boolean;
  init_lora_weights: boolean;
  layer_replication: null;
  layers_pattern: null;
  layers_to_transform: null;
  loftq_config: Record<string, never>;
  lora_alpha: number;
  lora_dropout: number;
  megatron_config: null;
  megatron_core: string;
  modules_to_save: string[] | null;
  peft_type: 'LORA';
  r: number;
  rank_pattern: Record<string, number>;
  revision: string | null;
  target_modules: string[] | string;
  task_type: PeftTaskType;
  use_dora: boolean;
  use_rslora: boolean;
};

/** The adapter_config.json for `adapter`, byte-compatible with PEFT's save_pretrained. */
/** extraModulesToSave: the user's modules_to_save (e.g. "word_embeddings"), which PEFT lists before its classifier/score. */
export function buildPeftLoraConfig(
  adapter: LoraAdapter,
  options: { baseModelNameOrPath: string; taskType?: PeftTaskType; revision?: string | null; extraModulesToSave?: readonly string[] },
): PeftLoraConfigJson {
  const { config } = adapter;
  const taskType = options.taskType ?? adapter.taskType;
  return {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: options.baseModelNameOrPath,
    bias: 'none',
    fan_in_fan_out: adapter.fanInFanOut,
    inference_mode: true,
    init_lora_weights: config.initLoraWeights ?? true,
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: config.loraAlpha,
    lora_dropout: config.loraDropout,
    megatron_config: null,
    megatron_core: 'megatron.core',
    // PEFT appends classifier/score for SEQ_CLS; CAUSAL_LM saves no head (null).
    // The model's own extra modules (a fresh BERT pooler) come after PEFT's classifier/score.
    modules_to_save: taskType === 'SEQ_CLS' ? [...(options.extraModulesToSave ?? []), ...SEQ_CLS_MODULES_TO_SAVE, ...(adapter.extraModulesToSave ?? [])] : null,
    peft_type: 'LORA',
    r: config.r,
    rank_pattern: {},
    revision: options.revision ?? null, // the base model's commit, so PeftModel loads the same weights
    target_modules: typeof config.targetModules === 'string' ? config.targetModules : [...config.targetModules],
    task_type: taskType,
    use_dora: false,
    use_rslora: false,
  };
}

/** Python's json.dumps(indent=2, sort_keys=True) for this config: floats keep their '.0' (lora_dropout). */
export function stringifyPeftConfig(config: PeftLoraConfigJson): string {
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : 1)));
  const pythonFloat = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));
  return JSON.stringify(sorted, null, 2).replace(/^ {2}"lora_dropout": (.*),$/m, () => `  "lora_dropout": ${pythonFloat(config.lora_dropout)},`);
}

/** Both PEFT files for the adapter: F32 tensors in PEFT layout, metadata {"format":"pt"}. */
export async function exportPeftAdapter(
  adapter: LoraAdapter,
  options: { baseModelNameOrPath: string; taskType?: PeftTaskType; revision?: string | null; extraModulesToSave?: readonly string[] },
): Promise<PeftAdapterFiles> {
  const weights = await readPeftWeights(adapter);
  return {
    [ADAPTER_CONFIG_NAME]: stringifyPeftConfig(buildPeftLoraConfig(adapter, options)),
    [ADAPTER_WEIGHTS_NAME]: serializeSafetensors(weights, { format: 'pt' }),
  };
}

/** Adapters ranked above this are refused before anything is allocated. */
const MAX_LORA_RANK = 1024;

/**
 * Read PEFT adapter files for `model`: validates the config (LoRA, the model's task type, features we implement)
 * and every key and shape against the model, then creates the adapter with those weights.
 */
export function tryImportPeftAdapter(
  model: SequenceModel,
  files: { [ADAPTER_CONFIG_NAME]: string; [ADAPTER_WEIGHTS_NAME]: Uint8Array },
  options: { seed?: number } = {},
): Result<LoraAdapter, string> {
  let json: unknown;
  try {
    json = JSON.parse(files[ADAPTER_CONFIG_NAME]);
  } catch (e) {
    return err(`adapter_config.json is not valid JSON (${(e as Error).message}); re-download the adapter.`);
  }
  const c = json as Partial<Record<keyof PeftLoraConfigJson, unknown>> | null;
  if (typeof c !== 'object' || c === null) return err('adapter_config.json must be a JSON object.');
  const problems: string[] = [];
  if (c.peft_type !== 'LORA') problems.push(`peft_type is ${JSON.stringify(c.peft_type)}, only "LORA" is supported`);
  if (c.task_type !== model.task) {
    problems.push(
      `task_type is ${JSON.stringify(c.task_type)} but the ${model.family} model was loaded for "${model.task}" (load it with task ${JSON.stringify(c.task_type)})`,
    );
  }
  // An r far above any real adapter would allocate gigabytes before the weights are even checked.
  if (typeof c.r !== 'number' || !Number.isInteger(c.r) || c.r < 1 || c.r > MAX_LORA_RANK) problems.push(`r must be an integer from 1 to ${MAX_LORA_RANK}`);
  if (typeof c.lora_alpha !== 'number' || !(c.lora_alpha > 0)) problems.push('lora_alpha must be a positive number');
  const dropout = c.lora_dropout ?? 0;
  if (typeof dropout !== 'number' || dropout < 0 || dropout >= 1) problems.push('lora_dropout must be in [0, 1)');
  const targets = c.target_modules;
  if (!(typeof targets === 'string' || (Array.isArray(targets) && targets.length > 0 && targets.every((t) => typeof t === 'string')))) {
    problems.push('target_modules must be a non-empty list of module names or a regex string');
  }
  if (c.use_dora === true) problems.push('use_dora is true (DoRA adapters are not supported)');
  if (c.use_rslora === true) problems.push('use_rslora is true (rank-stabilized scaling is not supported)');
  if ((c.bias ?? 'none') !== 'none') problems.push(`bias is ${JSON.stringify(c.bias)}, only "none" is supported`);
  // fan_in_fan_out needs no check: PEFT itself forces it to match the layer (true for GPT-2 Conv1D, false for nn.Linear).
  if (c.layer_replication != null) problems.push('layer_replication is not supported');
  if (c.layers_to_transform != null) problems.push('layers_to_transform is not supported');
  for (const key of ['rank_pattern', 'alpha_pattern'] as const) {
    const v = c[key];
    if (v != null && (typeof v !== 'object' || Object.keys(v).length > 0)) problems.push(`${key} must be empty (per-layer ranks are not supported)`);
  }
  if (problems.length > 0) return err(`adapter_config.json: ${problems.join('; ')}.`);

  const parsed = tryParseSafetensors(files[ADAPTER_WEIGHTS_NAME]);
  if (!parsed.ok) return err(`adapter_model.safetensors: ${parsed.error}`);

  const created = tryCreateLoraAdapter(model, {
    r: c.r as number,
    loraAlpha: c.lora_alpha as number,
    loraDropout: dropout as number,
    targetModules: targets as string[] | string,
    seed: options.seed ?? 0,
    initLoraWeights: typeof c.init_lora_weights === 'boolean' ? c.init_lora_weights : true,
  });
  if (!created.ok) return err(`adapter_config.json: ${created.error}`);
  const adapter = created.value;
  const set = trySetPeftWeights(adapter, parsed.value.tensors);
  if (!set.ok) {
    adapter.dispose();
    return err(`adapter_model.safetensors: ${set.error} Was this adapter trained for another base model?`);
  }
  return ok(adapter);
}
