// A seeded stratified subsample of text,label rows for benchmarks and browser tests: every label keeps its share
// of the rows (at least 2), so a many-class set such as clinc150 is not starved of any class. src/lib/rng only.
import { createRng, shuffled } from '../../src/lib/rng';

export function stratifiedSubsample(rows: string[][], n: number, seed = 0, labelColumn = 1): string[][] {
  if (rows.length <= n) return rows;
  const order = shuffled(
    rows.map((_, i) => i),
    createRng(seed),
  );
  const byLabel = new Map<string, number[]>();
  for (const i of order) byLabel.set(rows[i][labelColumn], [...(byLabel.get(rows[i][labelColumn]) ?? []), i]);
  const keep: number[] = [];
  for (const idx of byLabel.values()) keep.push(...idx.slice(0, Math.max(2, Math.round((idx.length * n) / rows.length))));
  return keep.sort((a, b) => a - b).map((i) => rows[i]);
}
