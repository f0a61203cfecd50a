// The train / validation split of instruction data: seeded, and group-aware on the normalized prompt so the same
// question never sits on both sides (a shared prompt would make validation scores optimistic). Pure.
import { createRng, shuffled } from '../lib/rng';
import { promptKey, type InstructionExample } from './instructionData';
import { normalizeText } from './quality/normalize';

/** Seeded split that keeps examples with the same (normalized) prompt on one side. */
export function splitExamples(examples: readonly InstructionExample[], validationFraction: number, seed: number): { train: number[]; validation: number[] } {
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const key = normalizeText(promptKey(e));
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const order = shuffled([...groups.values()], createRng(seed));
  const want = examples.length >= 2 ? Math.max(1, Math.round(examples.length * validationFraction)) : 0;
  const validation: number[] = [];
  const train: number[] = [];
  for (const g of order) (validation.length < want && order.length > 1 ? validation : train).push(...g);
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}
