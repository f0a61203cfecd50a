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

/**
 * Length-bucketed batches of one epoch: the seeded epoch order is cut into chunks of `chunkBatches` batches,
 * each chunk is sorted by length and cut into batches, and the batch order is then shuffled (seeded), so
 * batches hold similar lengths (little padding) yet the order stays random. chunkBatches <= 0: plain batches.
 */
export function planEpochBatches(lengths: readonly number[], batchSize: number, seed: number, epoch: number, chunkBatches: number): number[][] {
  const order = epochOrder(lengths.length, seed, epoch);
  if (chunkBatches <= 0) return chunk(order, batchSize);
  const batches = chunk(order, batchSize * chunkBatches).flatMap((part) =>
    chunk(
      [...part].sort((a, b) => lengths[a] - lengths[b] || a - b),
      batchSize,
    ),
  );
  return shuffled(batches, createRng((seed * 31_337 + epoch * 104_729 + 1) >>> 0));
}

/** Share of pad tokens when each batch is padded to its longest example: pad / (pad + real), 0 for no batch. */
export function paddingWaste(batches: readonly (readonly number[])[], lengths: readonly number[]): number {
  let slots = 0;
  let real = 0;
  for (const b of batches) {
    const T = Math.max(1, ...b.map((i) => lengths[i]));
    slots += T * b.length;
    for (const i of b) real += lengths[i];
  }
  return slots > 0 ? (slots - real) / slots : 0;
}

/** One optimizer step = up to `gradAccumSteps` micro-batches (example indices), grouped in epoch order. */
export type StepPlan = { epoch: number; microBatches: number[][] };

/** Every optimizer step of the run, epoch after epoch (the last step of an epoch may have fewer micro-batches). */
export function planSteps(
  lengths: readonly number[],
  opts: { batchSize: number; gradAccumSteps: number; epochs: number; seed: number; chunkBatches: number },
): StepPlan[] {
  const plan: StepPlan[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const batches = planEpochBatches(lengths, opts.batchSize, opts.seed, epoch, opts.chunkBatches);
    for (const group of chunk(batches, Math.max(1, opts.gradAccumSteps))) plan.push({ epoch, microBatches: group });
  }
  return plan;
}
