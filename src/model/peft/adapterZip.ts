// The downloadable classification adapter zip (PEFT's two files, the label map, a README) and how to read it
// back, plus the adapter weights of any adapter zip (classification or causal LM). fflate only.
import { strFromU8, strToU8, zipSync } from 'fflate';
import { boundedUnzip } from '../../lib/boundedUnzip';
import { adapterReadme, peftRevision } from './adapterReadme';

/** An adapter zip holds four small files; its safetensors may be large (full-model exports aside). */
export const ADAPTER_ZIP_LIMITS = { maxEntries: 16, maxEntryBytes: 1024 * 2 ** 20, maxTotalBytes: 1024 * 2 ** 20, maxRatio: 200, ratioFloorBytes: 2 ** 20 };

export type AdapterZipInput = {
  modelId: string;
  labelNames: readonly string[];
  adapterConfigJson: string;
  adapterSafetensors: Uint8Array;
};

/** The downloadable adapter: PEFT's two files, the label map and a README. */
export function buildAdapterZip(a: AdapterZipInput): Uint8Array {
  const id2label = Object.fromEntries(a.labelNames.map((l, i) => [String(i), l]));
  const label2id = Object.fromEntries(a.labelNames.map((l, i) => [l, i]));
  return zipSync({
    'adapter_config.json': strToU8(a.adapterConfigJson),
    'adapter_model.safetensors': a.adapterSafetensors,
    'label_map.json': strToU8(JSON.stringify({ num_labels: a.labelNames.length, id2label, label2id }, null, 2) + '\n'),
    'README.md': strToU8(adapterReadme(a.modelId, a.labelNames, peftRevision(a.adapterConfigJson))),
  });
}

/** Reads back what buildAdapterZip wrote. */
export function readAdapterZip(zip: Uint8Array): AdapterZipInput | null {
  const unzipped = boundedUnzip(zip, ADAPTER_ZIP_LIMITS);
  if (!unzipped.ok) return null;
  try {
    const files = unzipped.value;
    const labels = JSON.parse(strFromU8(files['label_map.json'])) as { id2label: Record<string, string> };
    const config = strFromU8(files['adapter_config.json']);
    const modelId = (JSON.parse(config) as { base_model_name_or_path: string }).base_model_name_or_path;
    const labelNames = Object.keys(labels.id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => labels.id2label[k]);
    return { modelId, labelNames, adapterConfigJson: config, adapterSafetensors: files['adapter_model.safetensors'] };
  } catch {
    return null;
  }
}

/** adapter_model.safetensors of any adapter zip this studio writes; null when it is not one. */
export function adapterSafetensorsOf(zip: Uint8Array): Uint8Array | null {
  const unzipped = boundedUnzip(zip, ADAPTER_ZIP_LIMITS);
  return unzipped.ok ? (unzipped.value['adapter_model.safetensors'] ?? null) : null;
}
