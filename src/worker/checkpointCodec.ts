// Turns a trained adapter and optimizer state into checkpoint bytes and back: the adapter as the same
// zip the user downloads, the AdamW moments as safetensors with the step counts in the metadata.
import { strToU8, unzipSync, zipSync, strFromU8 } from 'fflate';
import { serializeSafetensors, tryParseSafetensors } from '../model/safetensors';
import type { AdamWState } from '../train/adamw';
import { adapterReadme } from './handlers/adapterReadme';

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
    'README.md': strToU8(adapterReadme(a.modelId, a.labelNames)),
  });
}

/** Reads back what buildAdapterZip wrote. */
export function readAdapterZip(zip: Uint8Array): AdapterZipInput | null {
  try {
    const files = unzipSync(zip);
    const labels = JSON.parse(strFromU8(files['label_map.json'])) as { id2label: Record<string, string> };
    const config = strFromU8(files['adapter_config.json']);
    const modelId = (JSON.parse(config) as { base_model_name_or_path: string }).base_model_name_or_path;
    const labelNames = Object.keys(labels.id2label).sort((a, b) => Number(a) - Number(b)).map((k) => labels.id2label[k]);
    return { modelId, labelNames, adapterConfigJson: config, adapterSafetensors: files['adapter_model.safetensors'] };
  } catch {
    return null;
  }
}

export function encodeOptimizerState(state: AdamWState): Uint8Array {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  const steps: Record<string, number> = {};
  for (const [name, s] of Object.entries(state)) {
    tensors[`${name}.exp_avg`] = { shape: s.shape, data: s.m };
    tensors[`${name}.exp_avg_sq`] = { shape: s.shape, data: s.v };
    steps[name] = s.step;
  }
  return serializeSafetensors(tensors, { steps: JSON.stringify(steps) });
}

export function decodeOptimizerState(bytes: Uint8Array): AdamWState | null {
  const parsed = tryParseSafetensors(bytes);
  if (!parsed.ok) return null;
  const steps = JSON.parse(parsed.value.metadata.steps ?? '{}') as Record<string, number>;
  const state: AdamWState = {};
  for (const [name, step] of Object.entries(steps)) {
    const m = parsed.value.tensors.get(`${name}.exp_avg`);
    const v = parsed.value.tensors.get(`${name}.exp_avg_sq`);
    if (!m || !v) return null;
    state[name] = { step, shape: m.shape, m: m.data, v: v.data };
  }
  return state;
}
