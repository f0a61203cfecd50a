// Unit tests for the model- and task-aware defaults: rates by family/task/method, max tokens from p95 capped by the
// model and memory, batch size from the memory estimate, search ranges around the default.
import { OFFLINE_DEFAULT_TRAINING } from './defaultModel';
import { describe, expect, it } from 'vitest';
import {
  DECODER_LORA_LR,
  ENCODER_LORA_LR,
  OFFLINE_DEFAULT_MODEL_LR,
  memoryFromEstimate,
  percentile,
  searchRatesAround,
  suggestBatchSize,
  suggestDefaults,
  suggestEpochs,
  suggestLearningRate,
  suggestMaxTokens,
} from './trainDefaults';

const GB = 1024 ** 3;

describe('learning rate', () => {
  it('encoder LoRA ~5e-4, decoder LoRA ~2e-4, offline default its own constant, with a reason', () => {
    for (const family of ['bert', 'distilbert', 'roberta']) expect(suggestLearningRate({ family, task: 'classify' }).value).toBe(ENCODER_LORA_LR);
    for (const family of ['gpt2', 'llama', 'qwen2']) {
      expect(suggestLearningRate({ family, task: 'classify' }).value).toBe(DECODER_LORA_LR);
      expect(suggestLearningRate({ family, task: 'instruction' }).value).toBe(DECODER_LORA_LR);
    }
    expect(ENCODER_LORA_LR).toBeCloseTo(5e-4);
    expect(DECODER_LORA_LR).toBeCloseTo(2e-4);
    const offline = suggestLearningRate({ family: 'bert', task: 'classify', offlineDefault: true });
    expect(offline.value).toBe(OFFLINE_DEFAULT_MODEL_LR);
    expect(suggestLearningRate({ family: 'llama', task: 'instruction' }).reason).toMatch(/^2e-4: decoder LoRA/);
  });
  it('full fine-tuning and head-only get their own scale', () => {
    expect(suggestLearningRate({ family: 'bert', task: 'classify', method: 'full' }).value).toBe(2e-5);
    expect(suggestLearningRate({ family: 'gpt2', task: 'instruction', method: 'full' }).value).toBe(1e-5);
    expect(suggestLearningRate({ family: 'bert', task: 'classify', method: 'head-only' }).value).toBe(1e-3);
  });
});

describe('learning rate and epochs follow the strategy chosen in the form', () => {
  it('the offline default gets its measured rate per strategy (full fine-tuning collapses at the LoRA + embeddings rate)', () => {
    const at = (strategy: 'head' | 'lora' | 'lora-embeddings' | 'full') =>
      suggestLearningRate({ family: 'bert', task: 'classify', offlineDefault: true, strategy }).value;
    expect(at('lora-embeddings')).toBe(OFFLINE_DEFAULT_MODEL_LR);
    expect(at('full')).toBe(1e-3);
    expect(at('full')).toBeLessThan(at('lora-embeddings'));
    expect(at('head')).toBeGreaterThan(at('lora'));
  });
  it('a pretrained model maps the strategy onto its method scale', () => {
    expect(suggestLearningRate({ family: 'bert', task: 'classify', strategy: 'full' }).value).toBe(2e-5);
    expect(suggestLearningRate({ family: 'bert', task: 'classify', strategy: 'head' }).value).toBe(1e-3);
    expect(suggestLearningRate({ family: 'roberta', task: 'classify', strategy: 'lora-embeddings' }).value).toBe(ENCODER_LORA_LR);
  });
  it('epochs: the offline default gets enough passes for its measured step count, a pretrained model 3; both in suggestDefaults', () => {
    const { epochs: least, maxEpochs, targetSteps } = OFFLINE_DEFAULT_TRAINING;
    expect(suggestEpochs({ offlineDefault: true }).value).toBe(least);
    expect(suggestEpochs({ offlineDefault: false, trainRows: 200 }).value).toBe(3);
    // 1,584 rows at batch 16: 99 steps per epoch
    const mid = suggestEpochs({ offlineDefault: true, trainRows: 1584 }, 16);
    expect(mid.value).toBe(Math.min(maxEpochs, Math.max(least, Math.ceil(targetSteps / 99))));
    expect(mid.reason).toContain('99 steps per epoch on 1584 training rows');
    expect(suggestEpochs({ offlineDefault: true, trainRows: 100_000 }, 16).value).toBe(least); // a big set: the floor
    expect(suggestEpochs({ offlineDefault: true, trainRows: 20 }, 16)).toMatchObject({ value: maxEpochs, reason: expect.stringContaining('capped') });
    // a smaller batch means more steps per epoch, so fewer epochs
    expect(suggestEpochs({ offlineDefault: true, trainRows: 1584 }, 4).value).toBeLessThanOrEqual(mid.value);
    expect(suggestDefaults({ family: 'bert', task: 'classify', offlineDefault: true }).epochs.value).toBe(least);
    expect(suggestDefaults({ family: 'bert', task: 'classify', offlineDefault: true, trainRows: 1584 }).epochs.value).toBe(mid.value);
  });
});

describe('max tokens', () => {
  it('p95 + template overhead, rounded up to a multiple of 8', () => {
    const s = suggestMaxTokens({
      family: 'llama',
      task: 'instruction',
      lengths: { p95: 41, max: 90, measured: true },
      templateOverhead: 12,
      maxPositions: 2048,
    });
    expect(s.value).toBe(56);
    expect(s.reason).toContain('p95 41 + 12 template tokens');
  });
  it('capped by max_position_embeddings (so the old 512 cap is gone: 1000 is allowed below a 2048 limit)', () => {
    expect(suggestMaxTokens({ family: 'gpt2', task: 'instruction', lengths: { p95: 1000, max: 3000, measured: true }, maxPositions: 2048 }).value).toBe(1000);
    expect(suggestMaxTokens({ family: 'gpt2', task: 'domain', maxPositions: 128 }).value).toBe(128);
    const capped = suggestMaxTokens({ family: 'bert', task: 'classify', lengths: { p95: 900, max: 3000, measured: true }, maxPositions: 512 });
    expect(capped.value).toBe(512);
    expect(capped.reason).toContain("model's limit");
  });
  it('capped by memory at batch 1; falls back to 64 without data', () => {
    const memory = { fixedBytes: 1 * GB, bytesPerRowToken: 10 * 1024 ** 2, budgetBytes: 4 * GB }; // 3 GB * 0.75 room... 2 GB / 10 MB = 204 tokens
    const s = suggestMaxTokens({ family: 'gpt2', task: 'domain', lengths: { p95: 1024, max: 2048, measured: true }, maxPositions: 2048, memory });
    expect(s.value).toBeLessThanOrEqual(204);
    expect(s.value).toBeGreaterThanOrEqual(64);
    expect(s.reason).toContain('memory');
    expect(suggestMaxTokens({ family: null, task: 'classify' }).value).toBe(64);
  });
});

describe('batch size', () => {
  it('the largest of 16, 8, 4, 2, 1 whose estimate stays under 75 % of the budget', () => {
    const memory = { fixedBytes: 1 * GB, bytesPerRowToken: 1024 ** 2, budgetBytes: 4 * GB }; // room 2 GB = 2048 row-tokens
    expect(suggestBatchSize({ family: 'bert', task: 'classify', memory }, 128).value).toBe(16);
    expect(suggestBatchSize({ family: 'bert', task: 'classify', memory }, 256).value).toBe(8);
    expect(suggestBatchSize({ family: 'bert', task: 'classify', memory }, 4096).value).toBe(1);
    expect(suggestBatchSize({ family: 'bert', task: 'classify' }, 64).value).toBe(16);
  });
  it('memoryFromEstimate splits activations (scale with batch x tokens) from the rest', () => {
    const m = memoryFromEstimate({ totalBytes: 3000, activationBytes: 1000, limits: { memoryBudget: 10_000 } }, 10, 10)!;
    expect(m).toEqual({ fixedBytes: 2000, bytesPerRowToken: 10, budgetBytes: 10_000 });
  });
  it("memoryFromEstimate: a causal LM's [tokens, vocab] loss tensors grow with batch x tokens too", () => {
    const m = memoryFromEstimate({ totalBytes: 3000, activationBytes: 1000, lossBytes: 500, limits: { memoryBudget: 10_000 } }, 10, 10)!;
    expect(m).toEqual({ fixedBytes: 1500, bytesPerRowToken: 15, budgetBytes: 10_000 });
    // 75 % of 4000 = 3000 bytes: 1500 + 150 per row fits 8 rows (10 would be 3000 too, not a batch choice), not 16.
    expect(suggestBatchSize({ family: 'llama', task: 'instruction', memory: { ...m, budgetBytes: 4000 } }, 10).value).toBe(8);
    expect(suggestBatchSize({ family: 'llama', task: 'instruction', memory: { ...m, budgetBytes: 2000 } }, 10).value).toBe(1); // 1500 + 150 > 1500: even one row is tight
  });
});

describe('search ranges and helpers', () => {
  it('search learning rates follow the default (a factor ~3 either side)', () => {
    expect(searchRatesAround(2e-4)).toEqual([7e-5, 2e-4, 6e-4]);
    const d = suggestDefaults({ family: 'roberta', task: 'classify' });
    expect(d.searchLearningRates).toContain(d.learningRate.value);
    expect(d.searchBatchSizes).toEqual([8, 16]);
  });
  it('percentile is nearest-rank over positive lengths', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([0, 0, 5], 50)).toBe(5);
    expect(percentile([], 95)).toBe(0);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });
});
