// The k-shot baseline shown beside fine-tuned metrics: nearest class centroid (cosine) of the base model's
// mean-pooled embeddings from k seeded examples per class, scored on the validation split. tfjs-core, model/, train/.
import * as tf from '@tensorflow/tfjs-core';
import { meanPoolHidden } from '../model/families/bert/model';
import { createRng, shuffled } from '../lib/rng';
import type { SequenceModel } from '../model/types';
import { chunk, padBatch, type TokenizedExample } from './batches';
import { batchToTensors } from './classifierStep';
import { classificationMetrics, type ClassificationMetrics } from './metrics';

export type FewShotResult = { k: number; accuracy: number; macroF1: number; metrics: ClassificationMetrics; shotsPerClass: number[] };
export type Embed = (examples: readonly TokenizedExample[]) => Promise<Float32Array[]>;

/** Indices of up to k examples per class, a seeded choice (fewer when a class has fewer). */
export function pickShots(labels: readonly number[], k: number, seed: number, numClasses: number): number[] {
  const order = shuffled(
    labels.map((_, i) => i),
    createRng(seed),
  );
  const taken = new Array<number>(numClasses).fill(0);
  return order.filter((i) => taken[labels[i]] < k && ++taken[labels[i]] > 0).sort((a, b) => a - b);
}

const unit = (v: Float32Array) => {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

/** Class centroids of unit vectors (null for a class without shots). */
export function classCentroids(vectors: readonly Float32Array[], labels: readonly number[], numClasses: number): (Float32Array | null)[] {
  const sums: (Float32Array | null)[] = new Array(numClasses).fill(null);
  vectors.forEach((v, i) => {
    const u = unit(v);
    const s = (sums[labels[i]] ??= new Float32Array(u.length));
    u.forEach((x, j) => (s[j] += x));
  });
  return sums.map((s) => (s ? unit(s) : null));
}

/** The class whose centroid has the highest cosine similarity to each query. */
export function predictNearestCentroid(centroids: readonly (Float32Array | null)[], queries: readonly Float32Array[]): number[] {
  return queries.map((q) => {
    const u = unit(q);
    let best = -1;
    let bestSim = -Infinity;
    centroids.forEach((c, label) => {
      const sim = c ? dot(c, u) : -Infinity;
      if (sim > bestSim) [best, bestSim] = [label, sim];
    });
    return best;
  });
}

/** Mean-pooled last hidden states of the base model (no adapter), one vector per example. */
export function baseModelEmbedder(model: SequenceModel, opts: { batchSize: number; padTokenId: number }): Embed {
  return async (examples) => {
    const out: Float32Array[] = [];
    for (const part of chunk(examples, opts.batchSize)) {
      const batch = padBatch(part, opts.padTokenId);
      const pooled = tf.tidy(() => {
        const inputs = batchToTensors(batch);
        return meanPoolHidden(model.forward(inputs, { adapter: null, keepHiddenStates: false }).lastHiddenState, inputs.attentionMask); // [B, C]
      });
      const data = await pooled.data();
      const C = pooled.shape[1];
      pooled.dispose();
      for (let b = 0; b < batch.B; b++) out.push(Float32Array.from(data.subarray(b * C, (b + 1) * C)));
    }
    return out;
  };
}

/** k-shot nearest-centroid accuracy and macro-F1 on the validation split. */
export async function evaluateFewShot(
  embed: Embed,
  train: readonly TokenizedExample[],
  validation: readonly TokenizedExample[],
  opts: { k: number; seed: number; numClasses: number },
): Promise<FewShotResult> {
  const shots = pickShots(
    train.map((e) => e.label),
    opts.k,
    opts.seed,
    opts.numClasses,
  ).map((i) => train[i]);
  const centroids = classCentroids(
    await embed(shots),
    shots.map((e) => e.label),
    opts.numClasses,
  );
  const predictions = predictNearestCentroid(centroids, await embed(validation));
  const metrics = classificationMetrics(
    validation.map((e) => e.label),
    predictions,
    opts.numClasses,
  );
  const shotsPerClass = Array.from({ length: opts.numClasses }, (_, c) => shots.filter((e) => e.label === c).length);
  return { k: opts.k, accuracy: metrics.accuracy, macroF1: metrics.macroF1, metrics, shotsPerClass };
}
