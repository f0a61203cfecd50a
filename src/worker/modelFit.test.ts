// The worker decides as the estimate does (off WebGPU): Qwen2.5-0.5B gets transient packing and its run at the
// Train step defaults is accepted at Start, a larger batch is refused with the reason; SmolLM2 keeps packed copies.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tryParseModelConfig } from '../model/config';
import { family } from '../model/families';
import type { NamedTensor } from '../model/safetensors';
import type { TrainConfig } from '../protocol/messages';
import { QWEN25_05B_CONFIG, SMOLLM2_135M_CONFIG } from '../model/hubShapes';
import { checkRunFits, transientPackingPays } from './modelFit';
import type { LoadedBaseModel } from './sessionTypes';

const QWEN = QWEN25_05B_CONFIG;
const SMOLLM2 = SMOLLM2_135M_CONFIG;

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
