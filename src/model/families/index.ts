// The registry of model families: every descriptor in one list. Config parsing, loading, the memory estimate,
// random initialisation, LoRA presets and the tasks offered all look a family up here. Adding a family = a new
// folder with its descriptor + one line in FAMILIES.
import { bert } from './bert';
import { distilbert } from './distilbert';
import { gpt2 } from './gpt2';
import { llama } from './llama';
import { qwen2 } from './qwen2';
import { roberta } from './roberta';
import type { FamilyDescriptor } from './types';

export const FAMILIES = [bert, roberta, distilbert, gpt2, llama, qwen2] as const;

type ConfigOf<D> = D extends FamilyDescriptor<infer C> ? C : never;
/** The union of every family's parsed config (ModelConfig). */
export type FamilyConfig = ConfigOf<(typeof FAMILIES)[number]>;
export type FamilyType = FamilyConfig['modelType'];

export const FAMILY_TYPES: readonly FamilyType[] = FAMILIES.map((f) => f.modelType as FamilyType);

/** The descriptor of a model_type, or null when the studio does not support it. */
export function findFamily(modelType: string): FamilyDescriptor<FamilyConfig> | null {
  return (FAMILIES.find((f) => f.modelType === modelType) as FamilyDescriptor<FamilyConfig> | undefined) ?? null;
}

/** The descriptor of a supported model_type (throws for an unknown one: callers hold a parsed config). */
export function family(modelType: FamilyType | string): FamilyDescriptor<FamilyConfig> {
  const f = findFamily(modelType);
  if (!f) throw new Error(`assertion failed: unknown model family "${modelType}"`);
  return f;
}

export type { FamilyDescriptor, LoraTargetPresetId, TensorSpec, TokenizerQuirks } from './types';
