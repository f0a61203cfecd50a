// runLmTraining with injected steps: step count, validation schedule (before training, per epoch or every N
// steps), linear learning-rate decay, stop between steps, non-finite loss; and the prompt-grouped split.
import { describe, expect, it } from 'vitest';
import { LmNonFiniteLossError, lmTotalSteps, runLmTraining, type LmSteps, type LmTrainRow } from './runLmTraining';
import { splitExamples } from '../worker/handlers/lmPrepare';
import type { InstructionExample } from '../data/instructionData';

const rows = (n: number): LmTrainRow[] => Array.from({ length: n }, (_, i) => ({ inputIds: [1, 2 + (i % 3), 3], labels: [-100, 2 + (i % 3), 3] }));
const hooks = (log: string[], stopAt = Infinity) => {
  let t = 0;
  let steps = 0;
  return {
    now: () => (t += 10),
    shouldStop: () => steps >= stopAt,
    onTrainPoint: (p: { step: number; learningRate: number }) => {
      steps = p.step;
      log.push(`t${p.step}:${p.learningRate.toFixed(3)}`);
    },
    onEval: (p: { step: number }) => log.push(`e${p.step}`),
  };
};
const fakeSteps = (losses: number[] = []): LmSteps => {
  let i = 0;
  return {
    trainStep: async () => losses[i++] ?? 1 / (i + 1),
    evaluate: async (b) => ({ loss: 1 / b.length, perplexity: Math.exp(1 / b.length), tokenAccuracy: 0.5, exactMatch: null }),
  };
};

describe('runLmTraining', () => {
  it('runs ceil(n / batch) × epochs steps, validates before training and after each epoch, decays the lr linearly', async () => {
    const log: string[] = [];
    const r = await runLmTraining(fakeSteps(), { train: rows(10), validation: rows(3), padId: 0 }, { epochs: 2, batchSize: 4, learningRate: 0.6, seed: 1, evalEverySteps: 0 }, hooks(log));
    expect(lmTotalSteps(10, { epochs: 2, batchSize: 4 })).toBe(6);
    expect(r.steps).toBe(6);
    expect(log).toEqual(['e0', 't1:0.600', 't2:0.500', 't3:0.400', 'e3', 't4:0.300', 't5:0.200', 't6:0.100', 'e6']);
    expect(r.status).toBe('finished');
    expect(r.final?.loss).toBe(1);
  });

  it('validates every N steps and stops between steps when asked', async () => {
    const log: string[] = [];
    const r = await runLmTraining(fakeSteps(), { train: rows(8), validation: rows(2), padId: 0 }, { epochs: 3, batchSize: 2, learningRate: 1, seed: 1, evalEverySteps: 2 }, hooks(log, 5));
    expect(r.status).toBe('stopped');
    expect(r.steps).toBe(5);
    expect(log.filter((l) => l.startsWith('e'))).toEqual(['e0', 'e2', 'e4']);
  });

  it('throws on a non-finite loss', async () => {
    await expect(runLmTraining(fakeSteps([1, NaN]), { train: rows(4), validation: [], padId: 0 }, { epochs: 1, batchSize: 1, learningRate: 1, seed: 1, evalEverySteps: 0 }, hooks([]))).rejects.toBeInstanceOf(LmNonFiniteLossError);
  });
});

describe('splitExamples', () => {
  it('keeps examples with the same prompt on one side and holds out about the fraction', () => {
    const ex: InstructionExample[] = Array.from({ length: 40 }, (_, i) => ({ kind: 'prompt-completion', prompt: `question ${i % 20}`, completion: 'a', row: i + 1 }));
    const { train, validation } = splitExamples(ex, 0.2, 7);
    expect(train.length + validation.length).toBe(40);
    expect(validation.length).toBeGreaterThanOrEqual(8);
    const trainPrompts = new Set(train.map((i) => (ex[i] as { prompt: string }).prompt));
    expect(validation.every((i) => !trainPrompts.has((ex[i] as { prompt: string }).prompt))).toBe(true);
    expect(splitExamples(ex, 0.2, 7)).toEqual({ train, validation });
  });
});
