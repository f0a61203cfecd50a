// A fully fine-tuned classifier as a transformers save_pretrained folder: config.json (architectures, id2label,
// label2id), model.safetensors under HF tensor names, the tokenizer files and label_map.json, so that
// AutoModelForSequenceClassification.from_pretrained(folder) loads it. tfjs-core (through lora) and model/ only.
import { readPeftWeights, type LoraAdapter } from './lora';
import { serializeSafetensors } from './safetensors';
import type { ModelFamily } from './types';

const ARCHITECTURES: Partial<Record<ModelFamily, string>> = {
  bert: 'BertForSequenceClassification',
  roberta: 'RobertaForSequenceClassification',
};

/** config.json of the fine-tuned model: the base config with this task's head and label names. */
export function fullModelConfig(baseConfig: Record<string, unknown>, family: ModelFamily, labelNames: readonly string[]): Record<string, unknown> {
  const arch = ARCHITECTURES[family];
  if (!arch) throw new Error(`assertion failed: no full-model export for ${family}`);
  const { _studio_note: _note, ...rest } = baseConfig;
  return {
    ...rest,
    architectures: [arch],
    id2label: Object.fromEntries(labelNames.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labelNames.map((l, i) => [l, i])),
    problem_type: 'single_label_classification',
    torch_dtype: 'float32',
  };
}

export type FullModelFiles = Record<string, string | Uint8Array>;

/** Every file of the folder; `adapter` must come from tryApplyStrategy(..., 'full') (keys are plain HF names). */
export async function exportFullModel(
  adapter: LoraAdapter,
  opts: { family: ModelFamily; baseConfig: Record<string, unknown>; labelNames: readonly string[]; tokenizerFiles: Record<string, string> },
): Promise<FullModelFiles> {
  const weights = await readPeftWeights(adapter);
  if (Object.keys(weights).some((k) => k.startsWith('base_model.'))) throw new Error('assertion failed: not a full fine-tuning adapter');
  return {
    'config.json': JSON.stringify(fullModelConfig(opts.baseConfig, opts.family, opts.labelNames), null, 2),
    'model.safetensors': serializeSafetensors(weights, { format: 'pt' }),
    ...opts.tokenizerFiles,
    'label_map.json':
      JSON.stringify(
        {
          num_labels: opts.labelNames.length,
          id2label: Object.fromEntries(opts.labelNames.map((l, i) => [String(i), l])),
          label2id: Object.fromEntries(opts.labelNames.map((l, i) => [l, i])),
        },
        null,
        2,
      ) + '\n',
  };
}
