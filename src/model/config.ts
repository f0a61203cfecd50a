// Typed model configs parsed from a Hugging Face config.json. Each family's parser lives in its folder under
// families/; this module dispatches on model_type through the registry. No tfjs.
import { err, type Result } from '../lib/result';
import { FAMILY_TYPES, findFamily, type FamilyConfig } from './families';
import type { BertConfig } from './families/bert/config';

export type { CommonConfig } from './families/configFields';
export type { BertConfig, RobertaConfig } from './families/bert/config';
export type { DistilBertConfig } from './families/distilbert/config';
export type { Gpt2Config } from './families/gpt2/config';
export type { LlamaConfig, RopeScaling } from './families/llama/config';

/** Any family's config: the union of every registered family's parsed config. */
export type ModelConfig = FamilyConfig;
export type SupportedModelType = ModelConfig['modelType'];
export const SUPPORTED_MODEL_TYPES: readonly SupportedModelType[] = FAMILY_TYPES;

/** Parse any supported config.json; dispatches on model_type through the family registry. */
export function tryParseModelConfig(json: unknown): Result<ModelConfig, string> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return err('config.json: expected a JSON object; the file is not a Hugging Face model config.');
  }
  const record = json as Record<string, unknown>;
  const family = typeof record.model_type === 'string' ? findFamily(record.model_type) : null;
  if (!family) {
    return err(
      `config.json: model_type ${JSON.stringify(record.model_type)} is not supported; ` +
        `supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}. Pick a model of one of these architectures.`,
    );
  }
  return family.parseConfig(record) as Result<ModelConfig, string>;
}

/** Parse a BERT config.json (model_type must be 'bert'). */
export function tryParseBertConfig(json: unknown): Result<BertConfig, string> {
  const parsed = tryParseModelConfig(json);
  if (parsed.ok && parsed.value.modelType !== 'bert') return err(`config.json: model_type "${parsed.value.modelType}" is not "bert".`);
  return parsed as Result<BertConfig, string>;
}

/** The same config with a different label set (for a fresh head trained on the user's classes). */
export function withLabels<C extends ModelConfig>(config: C, id2label: readonly string[]): C {
  return { ...config, numLabels: id2label.length, id2label: [...id2label] };
}
