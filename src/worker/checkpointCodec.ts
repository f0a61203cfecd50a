// Turns a trained adapter and optimizer state into checkpoint bytes and back: the adapter as the same
// zip the user downloads, the AdamW moments as safetensors with the step counts in the metadata.
import { strToU8, zipSync, strFromU8 } from 'fflate';
import { boundedUnzip } from '../lib/boundedUnzip';
import { serializeSafetensors, tryParseSafetensors } from '../model/safetensors';
import type { JsonValue } from '../storage';
import type { AdamWState } from '../train/adamw';
import type { AdapterSnapshot, TrainState } from '../train/checkpoints';
import type { LoopCheckpoint, LoopState } from '../train/trainingApi';
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

/** An adapter zip holds four small files; its safetensors may be large (full-model exports aside). */
const ADAPTER_ZIP_LIMITS = { maxEntries: 16, maxEntryBytes: 1024 * 2 ** 20, maxTotalBytes: 1024 * 2 ** 20, maxRatio: 200, ratioFloorBytes: 2 ** 20 };

/** Why a stored or imported checkpoint's bytes cannot be used, or null: both parts must parse. */
export function checkpointBlobProblem(blob: { adapter: Uint8Array; optimizer: Uint8Array }): string | null {
  // Classification and causal-LM zips differ (label map, template); both hold PEFT's two files.
  const unzipped = boundedUnzip(blob.adapter, ADAPTER_ZIP_LIMITS);
  if (!unzipped.ok) return `the adapter is not a readable zip (${unzipped.error})`;
  const safetensors = unzipped.value['adapter_model.safetensors'];
  const config = unzipped.value['adapter_config.json'];
  if (!safetensors || !config) return 'the adapter zip lacks adapter_model.safetensors or adapter_config.json';
  try {
    JSON.parse(strFromU8(config));
  } catch {
    return 'adapter_config.json is not valid JSON';
  }
  const weights = tryParseSafetensors(safetensors);
  if (!weights.ok) return `the adapter weights do not parse (${weights.error})`;
  for (const [name, t] of weights.value.tensors) if (!t.data.every(Number.isFinite)) return `the adapter tensor ${name} holds NaN or infinite values`;
  if (!decodeOptimizerState(blob.optimizer)) return 'the optimizer state does not parse';
  return null;
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
  let steps: Record<string, number>;
  try {
    steps = JSON.parse(parsed.value.metadata.steps ?? '{}') as Record<string, number>;
  } catch {
    return null;
  }
  if (typeof steps !== 'object' || steps === null) return null;
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
