// LoRA target-module choices per family: PEFT's defaults and the 'all attention' / 'all linear' presets.
// Names are matched by '.'-suffix of HF module paths (PEFT's rule); no tfjs.
import type { ModelFamily } from './types';

export type LoraTargetPresetId = 'default' | 'attention' | 'all-linear';
export type LoraTargetPreset = { id: LoraTargetPresetId; label: string; targetModules: string[] };

const PRESETS: Record<ModelFamily, Record<LoraTargetPresetId, string[]>> = {
  bert: {
    default: ['query', 'value'],
    attention: ['query', 'key', 'value', 'attention.output.dense'],
    'all-linear': ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'],
  },
  roberta: {
    default: ['query', 'value'],
    attention: ['query', 'key', 'value', 'attention.output.dense'],
    'all-linear': ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense'],
  },
  distilbert: {
    default: ['q_lin', 'v_lin'],
    attention: ['q_lin', 'k_lin', 'v_lin', 'out_lin'],
    'all-linear': ['q_lin', 'k_lin', 'v_lin', 'out_lin', 'lin1', 'lin2'],
  },
  gpt2: {
    default: ['c_attn'],
    attention: ['c_attn', 'attn.c_proj'],
    'all-linear': ['c_attn', 'c_proj', 'c_fc'],
  },
  llama: {
    default: ['q_proj', 'v_proj'],
    attention: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
    'all-linear': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
  },
  qwen2: {
    default: ['q_proj', 'v_proj'],
    attention: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
    'all-linear': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
  },
};

const LABELS: Record<LoraTargetPresetId, string> = {
  default: 'PEFT default (query and value projections)',
  attention: 'All attention projections',
  'all-linear': 'All linear layers (attention and MLP; not the head)',
};

/** The three target choices for a family, PEFT's default first. */
export function loraTargetPresets(family: ModelFamily): LoraTargetPreset[] {
  return (Object.keys(LABELS) as LoraTargetPresetId[]).map((id) => ({ id, label: LABELS[id], targetModules: [...PRESETS[family][id]] }));
}

/** PEFT's default target_modules for the family (TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING). */
export function defaultTargetModules(family: ModelFamily): string[] {
  return [...PRESETS[family].default];
}
