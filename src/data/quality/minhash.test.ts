// Tests for shingling, banding and MinHash-LSH recall/precision against brute-force Jaccard.
// Generated texts only; seeded.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../lib/rng';
import { chooseBanding, findSimilarPairs } from './minhash';
import { buildShingleSets, jaccardOf } from './shingles';

describe('buildShingleSets', () => {
  it('uses word sets from 5 words and character 3-grams below', () => {
    const sets = buildShingleSets(['a b c d e', 'a b c d e e', 'abcd', 'ab']);
    expect(sets.offsets[1] - sets.offsets[0]).toBe(5);
    expect(jaccardOf(sets, 0, 1)).toBe(1);
    expect(sets.offsets[3] - sets.offsets[2]).toBe(2);
    expect(sets.offsets[4] - sets.offsets[3]).toBe(1);
  });
});

describe('chooseBanding', () => {
  it.each<[number, number, number]>([
    [0.8, 21, 6],
    [0.9, 14, 9],
    [0.5, 42, 3],
  ])('threshold %d → %i bands of %i', (t, bands, rows) => {
    expect(chooseBanding(t)).toEqual({ bands, rowsPerBand: rows });
  });
});

describe('findSimilarPairs', () => {
  const rng = createRng(11);
  const vocab = Array.from({ length: 400 }, (_, i) => `w${i}`);
  const base = Array.from({ length: 300 }, () => Array.from({ length: 8 + rng.int(12) }, () => vocab[rng.int(vocab.length)]));
  const texts: string[] = [];
  for (const words of base) {
    texts.push(words.join(' '));
    const edited = words.slice();
    edited[rng.int(edited.length)] = vocab[rng.int(vocab.length)];
    if (rng.next() < 0.5) edited.push(vocab[rng.int(vocab.length)]);
    texts.push(edited.join(' '));
  }
  const sets = buildShingleSets(texts);

  it.each([0.6, 0.8, 0.9])('matches brute force at threshold %d (recall ≥ 0.98, precision 1)', (threshold) => {
    const truth = new Set<string>();
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) if (jaccardOf(sets, i, j) >= threshold) truth.add(`${i},${j}`);
    const got = findSimilarPairs(sets, { threshold, seed: 5 });
    const found = new Set<string>();
    for (let p = 0; p < got.a.length; p++) found.add(`${got.a[p]},${got.b[p]}`);
    let hit = 0;
    for (const k of found) if (truth.has(k)) hit++;
    expect(hit).toBe(found.size);
    expect(hit / truth.size).toBeGreaterThanOrEqual(0.98);
    expect(truth.size).toBeGreaterThan(10);
  });

  it('is deterministic for a seed and honours the side filter', () => {
    expect(findSimilarPairs(sets, { seed: 1 })).toEqual(findSimilarPairs(sets, { seed: 1 }));
    const side = Uint8Array.from(texts.map((_, i) => i % 2));
    const cross = findSimilarPairs(sets, { side });
    for (let p = 0; p < cross.a.length; p++) expect(side[cross.a[p]]).not.toBe(side[cross.b[p]]);
  });
});
