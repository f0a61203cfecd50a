// The k-shot nearest-centroid baseline: seeded shot choice, a separable synthetic set (pure vectors), and the
// base-model embedder on the tiny reference BERT.
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test/fixtures';
import { loadTinyBertClassifier, syntheticExamples } from '../test/tinyTraining';
import { createRng } from '../lib/rng';
import type { TokenizedExample } from './batches';
import { baseModelEmbedder, evaluateFewShot, pickShots, type Embed } from './fewShot';

beforeAll(async () => {
  await useCpuBackend();
});

describe('pickShots', () => {
  it('takes k per class, repeatably for a seed, fewer when a class is small', () => {
    const labels = [0, 0, 0, 0, 1, 1, 1, 2];
    const shots = pickShots(labels, 2, 5, 3);
    expect(shots.map((i) => labels[i]).sort()).toEqual([0, 0, 1, 1, 2]);
    expect(pickShots(labels, 2, 5, 3)).toEqual(shots);
    expect(new Set([1, 2, 3, 4, 5, 6].map((s) => pickShots(labels, 2, s, 3).join()))).not.toHaveProperty('size', 1);
  });
});

describe('evaluateFewShot', () => {
  // Three classes around orthogonal directions plus noise: an embedding per example id (ids[1]).
  const rng = createRng(4);
  const vectors = Array.from({ length: 90 }, (_, i) => Float32Array.from({ length: 8 }, (_, j) => (j === i % 3 ? 1 : 0) + 0.3 * rng.normal()));
  const examples: TokenizedExample[] = vectors.map((_, i) => ({ ids: [101, i, 102], label: i % 3 }));
  const embed: Embed = async (xs) => xs.map((e) => vectors[e.ids[1]]);

  it.each([1, 4, 16])('separates a synthetic set with k = %i', async (k) => {
    const r = await evaluateFewShot(embed, examples.slice(0, 60), examples.slice(60), { k, seed: 1, numClasses: 3 });
    expect(r.shotsPerClass).toEqual([k, k, k]);
    expect(r.accuracy).toBeGreaterThanOrEqual(k === 1 ? 0.8 : 0.95);
    expect(r.macroF1).toBeGreaterThanOrEqual(k === 1 ? 0.8 : 0.95);
  });

  it('runs on the base model embeddings (tiny BERT)', async () => {
    const model = loadTinyBertClassifier(2);
    // Class = which end of the vocabulary the words come from.
    const make = (n: number, seed: number) => [
      ...syntheticExamples(n, { seed, numClasses: 2, vocab: [200, 400], labelOf: () => 0 }),
      ...syntheticExamples(n, { seed: seed + 1, numClasses: 2, vocab: [800, 999], labelOf: () => 1 }),
    ];
    const r = await evaluateFewShot(baseModelEmbedder(model, { batchSize: 8, padTokenId: 0 }), make(10, 1), make(10, 5), { k: 5, seed: 2, numClasses: 2 });
    console.log(`[check] few-shot tiny BERT: accuracy ${r.accuracy}, macro-F1 ${r.macroF1.toFixed(3)}`);
    expect(r.metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(r.accuracy).toBeGreaterThan(0.5);
    model.dispose();
  });
});
