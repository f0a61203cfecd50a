// The prompt-grouped split of instruction data: same prompt on one side, about the fraction held out, seeded.
import { describe, expect, it } from 'vitest';
import type { InstructionExample } from './instructionData';
import { splitExamples } from './instructionSplit';

describe('splitExamples', () => {
  it('keeps examples with the same prompt on one side and holds out about the fraction', () => {
    const ex: InstructionExample[] = Array.from({ length: 40 }, (_, i) => ({
      kind: 'prompt-completion',
      prompt: `question ${i % 20}`,
      completion: 'a',
      row: i + 1,
    }));
    const { train, validation } = splitExamples(ex, 0.2, 7);
    expect(train.length + validation.length).toBe(40);
    expect(validation.length).toBeGreaterThanOrEqual(8);
    const trainPrompts = new Set(train.map((i) => (ex[i] as { prompt: string }).prompt));
    expect(validation.every((i) => !trainPrompts.has((ex[i] as { prompt: string }).prompt))).toBe(true);
    expect(splitExamples(ex, 0.2, 7)).toEqual({ train, validation });
  });
});
