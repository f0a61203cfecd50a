// In-memory checkpoints of a run: the adapter in PEFT layout (best so far) and the full train state (adapter +
// AdamW moments) to roll back to after a NaN. Reads back only when a snapshot is taken (at evaluations).
import { readPeftWeights, trySetPeftWeights, type LoraAdapter } from '../model/lora';
import { assert } from '../lib/result';
import type { AdamW, AdamWState } from './adamw';

export type AdapterSnapshot = { step: number; weights: Map<string, { shape: number[]; data: Float32Array }> };
export type TrainState = AdapterSnapshot & { optimizer: AdamWState };

export async function snapshotAdapter(adapter: LoraAdapter, step: number): Promise<AdapterSnapshot> {
  return { step, weights: new Map(Object.entries(await readPeftWeights(adapter))) };
}

/** Put a snapshot back into the adapter's variables (same adapter layout: a mismatch is a programmer error). */
export function restoreAdapter(adapter: LoraAdapter, snapshot: AdapterSnapshot): void {
  const set = trySetPeftWeights(adapter, snapshot.weights);
  assert(set.ok, set.ok ? '' : set.error);
}

/** Adapter + optimizer; pass `weights` to reuse an adapter snapshot of the same step. */
export async function snapshotTrainState(adapter: LoraAdapter, optimizer: AdamW, step: number, weights?: AdapterSnapshot): Promise<TrainState> {
  const adapterPart = weights && weights.step === step ? weights : await snapshotAdapter(adapter, step);
  return { ...adapterPart, optimizer: await optimizer.getState() };
}

export function restoreTrainState(adapter: LoraAdapter, optimizer: AdamW, state: TrainState): void {
  restoreAdapter(adapter, state);
  optimizer.setState(state.optimizer);
}
