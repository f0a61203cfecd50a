// Seeded, stratified train/validation split over row labels, and per-label counts of a split.
// Pure: the seed is passed in (lib/rng), no Math.random or clock; no parser, DOM or I/O.
import { assert } from '../lib/result';
import { createRng, shuffled } from '../lib/rng';

export type SplitOptions = { validationFraction?: number; seed?: number };
export type Split = { train: number[]; validation: number[] };

/**
 * Splits row indices so that each label keeps its proportion. For a label with n rows, round(n × fraction)
 * rows go to validation, at least 1 and at most n − 1 when n ≥ 2; a label with one row stays in training.
 * Each label is shuffled by its own generator, seeded from `seed` and the label text, so a label's split
 * does not change when other labels are added or removed. Both outputs are sorted ascending.
 */
export function stratifiedSplit(labels: readonly string[], options: SplitOptions = {}): Split {
  const { validationFraction = 0.1, seed = 42 } = options;
  assert(validationFraction >= 0 && validationFraction < 1, 'validationFraction must be in [0, 1)');
  const train: number[] = [];
  const validation: number[] = [];
  for (const [label, indices] of indicesByLabel(labels)) {
    const n = indices.length;
    const k = n >= 2 && validationFraction > 0 ? clamp(Math.round(n * validationFraction), 1, n - 1) : 0;
    const order = shuffled(indices, createRng(labelSeed(seed, label)));
    validation.push(...order.slice(0, k));
    train.push(...order.slice(k));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), validation: validation.sort(ascending) };
}

/** How many of `indices` carry each label, in order of first appearance among those indices. */
export function countPerLabel(labels: readonly string[], indices: readonly number[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of indices) {
    assert(i >= 0 && i < labels.length, `index ${i} is outside the ${labels.length} labels`);
    counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  }
  return counts;
}

function indicesByLabel(labels: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const group = groups.get(label);
    if (group) group.push(i);
    else groups.set(label, [i]);
  });
  return groups;
}

/** FNV-1a over the label's UTF-16 code units, mixed with the seed; a 32-bit unsigned integer. */
export function labelSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
