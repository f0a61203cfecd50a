// The LM-head chunk size of transient packing (transientPacking.ts), shared with the pure memory estimate.
// No imports: memoryEstimate.ts must stay free of tfjs, and layers.ts must not import the family registry.

/** Rows of a [V, C] LM head per transient chunk of its backward: the copy plus its packed copy is 2x this at once. */
export const TRANSIENT_CHUNK_BYTES = 32 * 1024 ** 2;
