// Turns a trained adapter and optimizer state into checkpoint bytes and back: the adapter as the same
// zip the user downloads, the AdamW moments as safetensors with the step counts in the metadata.
import { strToU8, unzipSync, zipSync, strFromU8 } from 'fflate';
import { serializeSafetensors, tryParseSafetensors } from '../model/safetensors';
import type { JsonValue } from '../storage';
import type { AdamWState } from '../train/adamw';
import type { AdapterSnapshot, TrainState } from '../train/checkpoints';
import type { LoopCheckpoint, LoopState } from '../train/trainingApi';
import { adapterReadme, peftRevision } from './handlers/adapterReadme';

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

/** The adapter part of a loop checkpoint as the downloadable zip (weights already in PEFT layout). */
export function encodeAdapterSnapshot(snapshot: AdapterSnapshot, a: Omit<AdapterZipInput, 'adapterSafetensors'>): Uint8Array {
  return buildAdapterZip({ ...a, adapterSafetensors: serializeSafetensors(Object.fromEntries(snapshot.weights), { format: 'pt' }) });
}

export function decodeAdapterSnapshot(zip: Uint8Array, step: number): AdapterSnapshot | null {
  const files = readAdapterZip(zip);
  const parsed = files && tryParseSafetensors(files.adapterSafetensors);
  if (!parsed || !parsed.ok) return null;
  return { step, weights: new Map([...parsed.value.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }])) };
}

/** What a checkpoint record stores for a loop checkpoint: adapter zip, AdamW moments, data order and RNG state. */
export function encodeLoopCheckpoint(c: LoopCheckpoint, a: Omit<AdapterZipInput, 'adapterSafetensors'>) {
  return {
    adapter: encodeAdapterSnapshot(c.state, a),
    optimizer: encodeOptimizerState(c.state.optimizer),
    // Stored by structured clone (IndexedDB), so the loop state keeps its numbers exactly.
    dataOrder: c.loop as unknown as JsonValue,
    // Dropout masks are derived from (seed, step, micro-batch): the seed and the step are the whole RNG state.
    rngState: { seed: c.loop.seed, dropoutSeeds: 'seed*100003 + stepIndex*97 + microBatch', step: c.step } as JsonValue,
  };
}

/** The train state and loop state of a stored checkpoint; null when it is not a loop checkpoint. */
export function decodeLoopCheckpoint(blob: { adapter: Uint8Array; optimizer: Uint8Array; dataOrder: unknown }, step: number): { state: TrainState; loop: LoopState } | null {
  const adapter = decodeAdapterSnapshot(blob.adapter, step);
  const optimizer = decodeOptimizerState(blob.optimizer);
  const loop = blob.dataOrder as Partial<LoopState> | null;
  if (!adapter || !optimizer || !loop || typeof loop !== 'object' || loop.stepsDone !== step || !loop.history || typeof loop.peakLr !== 'number') return null;
  return { state: { ...adapter, optimizer }, loop: loop as LoopState };
}
