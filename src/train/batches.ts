// Turns tokenized examples into padded batches and a seeded epoch order. Pure: no tfjs, no DOM.
import { createRng, shuffled } from '../lib/rng';

/** One tokenized example: ids already include special tokens and are truncated. */
export type TokenizedExample = { ids: number[]; tokenTypeIds?: number[]; label: number };

/** A right-padded batch in flat row-major arrays of shape [B, T]. */
export type PaddedBatch = {
  B: number;
  T: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
  labels: Int32Array;
  /** Real (non-pad) tokens in the batch, for tokens/s. */
  realTokens: number;
};

/** Pads to the longest example of the batch, so short batches cost less. */
export function padBatch(examples: readonly TokenizedExample[], padTokenId: number): PaddedBatch {
  const B = examples.length;
  const T = Math.max(1, ...examples.map((e) => e.ids.length));
  const inputIds = new Int32Array(B * T).fill(padTokenId);
  const attentionMask = new Int32Array(B * T);
  const tokenTypeIds = new Int32Array(B * T);
  const labels = new Int32Array(B);
  let realTokens = 0;
  examples.forEach((e, b) => {
    inputIds.set(e.ids, b * T);
    attentionMask.fill(1, b * T, b * T + e.ids.length);
    if (e.tokenTypeIds) tokenTypeIds.set(e.tokenTypeIds, b * T);
    labels[b] = e.label;
    realTokens += e.ids.length;
  });
  return { B, T, inputIds, attentionMask, tokenTypeIds, labels, realTokens };
}

/** The example order of one epoch: a seeded shuffle, different per epoch, same per (seed, epoch). */
export function epochOrder(count: number, seed: number, epoch: number): number[] {
  const rng = createRng((seed * 1_000_003 + epoch * 7919) >>> 0);
  return shuffled(
    Array.from({ length: count }, (_, i) => i),
    rng,
  );
}

/** Splits an index list into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
