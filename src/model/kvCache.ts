// Helpers for incremental decoding with a key/value cache (KvCache in types.ts): the causal mask of a step over
// past + new keys, and disposal. tfjs-core and model/ only.
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT32_MIN } from './layers';
import type { KvCache } from './types';

/**
 * Additive causal mask for Tn new queries at absolute positions Tp.. over Tp + Tn keys: [1, 1, Tn, Tp + Tn],
 * 0 where key position <= query position, float32 min elsewhere; null for one new token (it sees every key).
 */
export function stepCausalMask(Tn: number, Tp: number): tf.Tensor4D | null {
  if (Tn === 1) return null;
  const allowed = tf.linalg.bandPart(tf.ones([Tn, Tp + Tn]), -1, Tp); // key j allowed for query i when j - i <= Tp
  return tf.reshape(tf.mul(tf.sub(1, allowed), FLOAT32_MIN), [1, 1, Tn, Tp + Tn]);
}

/** Dispose every tensor of a cache (null is fine). */
export function disposeKvCache(cache: KvCache | null | undefined): void {
  if (!cache) return;
  for (const l of cache.layers) tf.dispose([l.k, l.v]);
}
