// The worker decides as the estimate does (off WebGPU): Qwen2.5-0.5B gets transient packing and its run at the
// Train step defaults is accepted at Start, a larger batch is refused with the reason; SmolLM2 keeps packed copies.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tryParseModelConfig } from '../model/config';
import { family } from '../model/families';
import type { NamedTensor } from '../model/safetensors';
import type { TrainConfig } from '../protocol/messages';
import { checkRunFits, transientPackingPays } from './modelFit';
import type { LoadedBaseModel } from './sessionTypes';

const QWEN = {
  model_type: 'qwen2',
  hidden_size: 896,
  intermediate_size: 4864,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  num_hidden_layers: 24,
  vocab_size: 151936,
  max_position_embeddings: 32768,
  rope_theta: 1000000,
  tie_word_embeddings: true,
};
const SMOLLM2 = {
  ...QWEN,
  model_type: 'llama',
  hidden_size: 576,
  intermediate_size: 1536,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  num_hidden_layers: 30,
  vocab_size: 49152,
};

const parse = (json: Record<string, unknown>) => {
  const c = tryParseModelConfig(json);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};

/** A loaded base model as the session keeps it after banking: shapes only (the values live on the device). */
function banked(json: Record<string, unknown>): LoadedBaseModel {
  const config = parse(json);
  const tensors = new Map<string, NamedTensor>(
    family(config.modelType)
      .tensorTable(config)
      .map((t) => [t.name, { shape: [...t.shape], dtype: 'F32', data: new Float32Array(0) }]),
  );
  return { modelId: 'test/model', configJson: json, tensors, weights: null as never, tokenizer: null as never, pretrained: false };
}

const run = (batchSize: number, maxSeqLength: number) => ({ batchSize, maxSeqLength, loraR: 8, loraTargets: 'default' }) as TrainConfig;

describe('transient packing in the worker (cpu/wasm backend)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    if (!globalThis.navigator) vi.stubGlobal('navigator', {}); // Node 20: a worker without navigator.gpu / deviceMemory
  });

  it('is chosen for Qwen2.5-0.5B only', () => {
    expect(transientPackingPays(parse(QWEN))).toBe(true);
    expect(transientPackingPays(parse(SMOLLM2))).toBe(false);
  });

  it('Start accepts Qwen2.5-0.5B at 1 x 32 and refuses 4 x 64 with the reason', async () => {
    await expect(checkRunFits(banked(QWEN), run(1, 32), 'CAUSAL_LM', 0)).resolves.toBeUndefined();
    await expect(checkRunFits(banked(QWEN), run(4, 64), 'CAUSAL_LM', 0)).rejects.toThrow(
      /won't fit \(batch 4, max tokens 64\): training needs about .* transient packing \(none kept.*lower the batch size/,
    );
  });
});
