// Test-only helpers for training tests: the tiny reference BERT as a classifier of any label count, a LoRA
// adapter + AdamW over it, seeded synthetic token datasets, and no-op loop controls. Node/Vitest only.
import { tryParseModelConfig, withLabels } from '../model/config';
import { tryLoadModel } from '../model/loadModel';
import { tryCreateLoraAdapter, type LoraConfig } from '../model/lora';
import type { SequenceModel } from '../model/types';
import { createRng } from '../lib/rng';
import { createAdamW } from '../train/adamw';
import type { TokenizedExample } from '../train/batches';
import type { TrainerParts, TrainingControls } from '../train/loop';
import { loadReferenceFixture } from './fixtures';

/** The tiny reference BERT (C 32, 2 layers, vocab 1000) with a classification head of `numClasses`. */
export function loadTinyBertClassifier(numClasses = 3, seed = 0): SequenceModel {
  const fx = loadReferenceFixture('bert');
  const config = tryParseModelConfig(fx.configJson);
  if (!config.ok) throw new Error(config.error);
  const labels = Array.from({ length: numClasses }, (_, i) => `LABEL_${i}`);
  const model = tryLoadModel(fx.weights, numClasses === 3 ? config.value : withLabels(config.value, labels), { task: 'SEQ_CLS', seed });
  if (!model.ok) throw new Error(model.error);
  return model.value;
}

/** A fresh adapter (default r 8, alpha 16, no dropout, query/value) and AdamW with biases exempt from decay. */
export function createTrainerParts(model: SequenceModel, lora: Partial<LoraConfig> = {}, weightDecay = 0.01): TrainerParts {
  const created = tryCreateLoraAdapter(model, { r: 8, loraAlpha: 16, loraDropout: 0, targetModules: ['query', 'value'], seed: 0, ...lora });
  if (!created.ok) throw new Error(created.error);
  const adapter = created.value;
  const optimizer = createAdamW(
    adapter.peftTensors.map((p) => ({ name: p.key, variable: p.variable })),
    { weightDecay, noDecay: adapter.noDecayVariables },
  );
  return { model, adapter, optimizer };
}

export const disposeParts = (p: TrainerParts) => {
  p.optimizer.dispose();
  p.adapter.dispose();
};

/**
 * n examples of [CLS] w1..wL [SEP] (ids 101/102), L in [minLen, maxLen]. Labels are random (memorisable only),
 * or `labelOf(words)` when given.
 */
export function syntheticExamples(
  n: number,
  opts: { seed: number; numClasses: number; minLen?: number; maxLen?: number; vocab?: [number, number]; labelOf?: (words: number[], i: number) => number },
): TokenizedExample[] {
  const rng = createRng(opts.seed);
  const [lo, hi] = opts.vocab ?? [200, 999];
  const minLen = opts.minLen ?? 3;
  const maxLen = opts.maxLen ?? 10;
  return Array.from({ length: n }, (_, i) => {
    const len = minLen + rng.int(maxLen - minLen + 1);
    const words = Array.from({ length: len }, () => lo + rng.int(hi - lo + 1));
    const label = opts.labelOf ? opts.labelOf(words, i) : rng.int(opts.numClasses);
    return { ids: [101, ...words, 102], label };
  });
}

/** Controls that never stop or pause, with a fake clock. */
export function runningControls(overrides: Partial<TrainingControls> = {}): TrainingControls {
  let t = 0;
  return { shouldStop: () => false, isPaused: () => false, awaitResume: async () => undefined, now: () => (t += 1), ...overrides };
}
