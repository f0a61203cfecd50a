// A model whose weights hold NaN: the first step's loss (measured before any update) is non-finite, and the
// diagnosis blames the weights, not the learning rate; a later divergence still blames the learning rate.
import { beforeAll, describe, expect, it } from 'vitest';
import { tryParseModelConfig } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import type { SequenceModel } from '../model/types';
import { loadReferenceFixture, useCpuBackend } from '../test/fixtures';
import { createTrainerParts, disposeParts, runningControls, syntheticExamples } from '../test/tinyTraining';
import type { Diagnostic } from './diagnostics';
import { runTraining } from './loop';

let broken: SequenceModel;
beforeAll(async () => {
  await useCpuBackend();
  const fx = loadReferenceFixture('bert');
  const weights = new Map(fx.weights);
  const name = [...weights.keys()].find((n) => n.endsWith('embeddings.LayerNorm.weight'))!;
  const t = weights.get(name)!;
  weights.set(name, { ...t, data: t.data.map((v, i) => (i === 0 ? NaN : v)) });
  const config = tryParseModelConfig(fx.configJson);
  if (!config.ok) throw new Error(config.error);
  const m = tryLoadModel(weights, config.value, { task: 'SEQ_CLS', seed: 0 });
  if (!m.ok) throw new Error(m.error);
  broken = m.value;
});

describe('NaN weights', () => {
  it('are blamed at the first step, not the learning rate', async () => {
    const parts = createTrainerParts(broken);
    const diagnostics: Diagnostic[] = [];
    let stop = false;
    const controls = runningControls({ shouldStop: () => stop, awaitResume: async () => void (stop = true) });
    const ex = (seed: number, n: number) => syntheticExamples(n, { seed, numClasses: 3 });
    await runTraining(
      parts,
      { train: ex(1, 16), validation: [], padTokenId: 0, numClasses: 3 },
      { learningRate: 1e-4, batchSize: 8, epochs: 1, seed: 1, evalEverySteps: 0 },
      controls,
      {
        onTrainPoint: () => {},
        onEval: () => {},
        onDiagnostic: (d) => diagnostics.push(d),
      },
    );
    const d = diagnostics.find((x) => x.id === 'non-finite-loss');
    expect(d?.message).toMatch(/before any update.*weights.*not the learning rate/);
    expect(d?.message).not.toMatch(/lower it/);
    disposeParts(parts);
  });
});
