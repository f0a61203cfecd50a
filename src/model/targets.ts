// LoRA target-module choices per family: PEFT's defaults and the 'all attention' / 'all linear' presets, read from
// the family registry. Names are matched by '.'-suffix of HF module paths (PEFT's rule); no tfjs.
import { family } from './families';
import type { LoraTargetPresetId } from './families/types';
import type { ModelFamily } from './types';

export type { LoraTargetPresetId } from './families/types';
export type LoraTargetPreset = { id: LoraTargetPresetId; label: string; targetModules: string[] };

const LABELS: Record<LoraTargetPresetId, string> = {
  default: 'PEFT default (query and value projections)',
  attention: 'All attention projections',
  'all-linear': 'All linear layers (attention and MLP; not the head)',
};

/** The three target choices for a family, PEFT's default first. */
export function loraTargetPresets(f: ModelFamily): LoraTargetPreset[] {
  const targets = family(f).loraTargets;
  return (Object.keys(LABELS) as LoraTargetPresetId[]).map((id) => ({ id, label: LABELS[id], targetModules: [...targets[id]] }));
}

/** PEFT's default target_modules for the family (TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING). */
export function defaultTargetModules(f: ModelFamily): string[] {
  return [...family(f).loraTargets.default];
}
