// The session's frozen base weights live once, on the device: built from the parsed checkpoint for every task the
// family supports, after which the JS copy is released (issue 11: the JS map used to stay for the whole session).
// tfjs-core and model/ only.
import * as tf from '@tensorflow/tfjs-core';
import { err, ok, type Result } from '../lib/result';
import type { ModelConfig } from './config';
import { family } from './families';
import { tryLoadModel } from './loadModel';
import type { NamedTensor } from './safetensors';
import type { WeightBank } from './types';

export type BaseWeights = {
  /** Shapes of every checkpoint tensor; `data` is empty for a banked one (its values are on the device). */
  tensors: Map<string, NamedTensor>;
  bank: WeightBank;
  /** The tfjs backend the bank was made on (its tensors are gone if that backend is removed). */
  backend: string;
  backendInstance: tf.KernelBackend;
};

/**
 * Moves `tensors` onto the device once: every task's build reads them through the bank, then the JS data of banked
 * tensors is emptied, and what no build reads (an MLM head, say) is copied out of the file buffer so it can be freed.
 * `tensors` is updated in place.
 */
export function bankWeights(tensors: Map<string, NamedTensor>, config: ModelConfig): Result<BaseWeights, string> {
  const bank: WeightBank = new Map();
  for (const task of family(config.modelType).tasks) {
    const built = tryLoadModel(tensors, config, { task, seed: 0, bank });
    if (!built.ok) {
      disposeBank(bank);
      return err(built.error);
    }
    built.value.dispose();
  }
  for (const [name, t] of tensors) if (t.data.byteLength < t.data.buffer.byteLength) tensors.set(name, { ...t, data: t.data.slice() });
  return ok({ tensors, bank, backend: tf.getBackend(), backendInstance: tf.backend() });
}

/** False when the bank's backend was removed (a lost WebGPU device): the model must be loaded again. */
export function bankUsable(w: BaseWeights): boolean {
  const registry = (tf.engine() as unknown as { registry: Record<string, tf.KernelBackend> }).registry;
  return registry[w.backend] === w.backendInstance && [...w.bank.values()].every((t) => !t.isDisposed);
}

export function disposeBank(bank: WeightBank): void {
  for (const t of bank.values()) t.dispose();
  bank.clear();
}

/** Device bytes of the bank (float32). */
export const bankBytes = (bank: WeightBank): number => [...bank.values()].reduce((a, t) => a + t.size * 4, 0);
