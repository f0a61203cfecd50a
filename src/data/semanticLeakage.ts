// Semantic near duplicates across two sets from embeddings the worker computed (mean-pooled, any dim).
// Pure: Float32Arrays in, pairs out; no tfjs, no DOM, no I/O.
import { assert } from '../lib/result';

/**
 * Default cosine threshold. Mean-pooled embeddings of small encoders are anisotropic: unrelated
 * sentences often score 0.6–0.8 and loose paraphrases 0.85–0.9, so only ≥ 0.95 reliably means
 * "the same sentence reworded" rather than "the same topic".
 */
export const DEFAULT_COSINE_THRESHOLD = 0.95;

export type SemanticPair = { trainRow: number; validationRow: number; similarity: number };

/**
 * For each validation vector, its most similar training vector when their cosine is ≥ threshold.
 * `train` and `validation` hold row-major vectors of length `dim`. Zero vectors never match.
 * Cost is O(nTrain × nValidation × dim); the worker should call it in chunks of validation rows.
 */
export function findSemanticTwins(train: Float32Array, validation: Float32Array, dim: number, options: { threshold?: number } = {}): SemanticPair[] {
  const threshold = options.threshold ?? DEFAULT_COSINE_THRESHOLD;
  assert(dim > 0 && train.length % dim === 0 && validation.length % dim === 0, 'embedding lengths must be multiples of dim');
  const t = unitRows(train, dim);
  const v = unitRows(validation, dim);
  const nTrain = train.length / dim;
  const nVal = validation.length / dim;
  const out: SemanticPair[] = [];
  for (let j = 0; j < nVal; j++) {
    const vb = j * dim;
    let best = -1;
    let bestSim = threshold;
    for (let i = 0; i < nTrain; i++) {
      const tb = i * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += t[tb + d] * v[vb + d];
      if (dot >= bestSim) {
        bestSim = dot;
        best = i;
      }
    }
    if (best >= 0) out.push({ trainRow: best, validationRow: j, similarity: Math.min(1, bestSim) });
  }
  return out;
}

/** Copies rows scaled to unit length (zero rows stay zero). */
function unitRows(x: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < x.length; b += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[b + d] * x[b + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[b + d] = x[b + d] * inv;
  }
  return out;
}
