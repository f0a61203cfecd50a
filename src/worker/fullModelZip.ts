// Zips a fully fine-tuned classifier as a transformers save_pretrained folder, tokenizer files included.
import { strToU8, zipSync } from 'fflate';
import { exportFullModel } from '../model/fullModelExport';
import type { LoraAdapter } from '../model/lora';
import type { ModelFamily } from '../model/types';
import type { LoadedBaseModel } from './session';

/** transformers.js keeps the tokenizer's JSON files it was built from; they go into the folder as they came. */
function tokenizerFiles(base: LoadedBaseModel): Record<string, string> {
  const t = base.tokenizer as unknown as { _tokenizerJSON?: unknown; _tokenizerConfig?: unknown };
  const out: Record<string, string> = {};
  if (t._tokenizerJSON) out['tokenizer.json'] = JSON.stringify(t._tokenizerJSON);
  if (t._tokenizerConfig) out['tokenizer_config.json'] = JSON.stringify(t._tokenizerConfig, null, 2);
  return out;
}

const README = (modelId: string) =>
  `# Fully fine-tuned from ${modelId}\n\n\`\`\`python\nfrom transformers import AutoModelForSequenceClassification, AutoTokenizer\n` +
  `model = AutoModelForSequenceClassification.from_pretrained("path/to/unzipped-folder")\ntokenizer = AutoTokenizer.from_pretrained("path/to/unzipped-folder")\n\`\`\`\n`;

export async function fullModelZip(base: LoadedBaseModel, family: ModelFamily, labelNames: readonly string[], adapter: LoraAdapter): Promise<Uint8Array> {
  const files = await exportFullModel(adapter, { family, baseConfig: base.configJson, labelNames, tokenizerFiles: tokenizerFiles(base) });
  const entries = Object.fromEntries(Object.entries(files).map(([name, v]) => [name, typeof v === 'string' ? strToU8(v) : v]));
  return zipSync({ ...entries, 'README.md': strToU8(README(base.modelId)) });
}
