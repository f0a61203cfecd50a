// Turns a loop checkpoint into stored bytes and back: the adapter as the zip the user downloads (the task
// decides which zip), the AdamW moments as safetensors with the step counts in the metadata, the loop state as is.
import { strFromU8 } from 'fflate';
import { boundedUnzip } from '../lib/boundedUnzip';
import { ADAPTER_ZIP_LIMITS, adapterSafetensorsOf } from '../model/peft/adapterZip';
import { serializeSafetensors, tryParseSafetensors } from '../model/safetensors';
import type { AdamWState } from './adamw';
import type { AdapterSnapshot, TrainState } from './checkpoints';
import type { LoopCheckpoint, LoopState } from './loop/types';
import type { ClassificationMetrics } from './metrics';

/** Wraps adapter_model.safetensors into the task's downloadable zip. */
export type AdapterZipper = (adapterSafetensors: Uint8Array) => Uint8Array;

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

/** The adapter part of a loop checkpoint as the downloadable zip (weights already in PEFT layout). */
export function encodeAdapterSnapshot(snapshot: AdapterSnapshot, zip: AdapterZipper): Uint8Array {
  return zip(serializeSafetensors(Object.fromEntries(snapshot.weights), { format: 'pt' }));
}

export function decodeAdapterSnapshot(zip: Uint8Array, step: number): AdapterSnapshot | null {
  const bytes = adapterSafetensorsOf(zip);
  const parsed = bytes && tryParseSafetensors(bytes);
  if (!parsed || !parsed.ok) return null;
  return { step, weights: new Map([...parsed.value.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }])) };
}

/** What a checkpoint record stores for a loop checkpoint: adapter zip, AdamW moments, data order and RNG state. */
export function encodeLoopCheckpoint(c: LoopCheckpoint<unknown>, zip: AdapterZipper) {
  return {
    adapter: encodeAdapterSnapshot(c.state, zip),
    optimizer: encodeOptimizerState(c.state.optimizer),
    // Stored by structured clone (IndexedDB), so the loop state keeps its numbers exactly.
    dataOrder: c.loop,
    // Dropout masks are derived from (seed, step, micro-batch): the seed and the step are the whole RNG state.
    rngState: { seed: c.loop.seed, dropoutSeeds: 'seed*100003 + stepIndex*97 + microBatch', step: c.step },
  };
}

/** The train state and loop state of a stored checkpoint; null when it is not a loop checkpoint. */
export function decodeLoopCheckpoint<M = ClassificationMetrics>(
  blob: { adapter: Uint8Array; optimizer: Uint8Array; dataOrder: unknown },
  step: number,
): { state: TrainState; loop: LoopState<M> } | null {
  const adapter = decodeAdapterSnapshot(blob.adapter, step);
  const optimizer = decodeOptimizerState(blob.optimizer);
  const loop = blob.dataOrder as Partial<LoopState<M>> | null;
  if (!adapter || !optimizer || !loop || typeof loop !== 'object' || loop.stepsDone !== step || !loop.history || typeof loop.peakLr !== 'number') return null;
  return { state: { ...adapter, optimizer }, loop: loop as LoopState<M> };
}
