import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { serializeSafetensors } from '../model/safetensors';
import { adapterSafetensorsOf, buildAdapterZip, readAdapterZip } from '../model/peft/adapterZip';
import { checkpointBlobProblem, decodeOptimizerState, encodeOptimizerState } from './checkpointCodec';

describe('checkpoint codec', () => {
  it('round-trips AdamW moments and step counts exactly', () => {
    const state = {
      'base_model.model.classifier.weight': {
        step: 7,
        shape: [2, 3],
        m: Float32Array.from([1, -2, 3, 4e-9, 5, 6]),
        v: Float32Array.from([1, 2, 3, 4, 5, 6e-12]),
      },
      'base_model.model.classifier.bias': { step: 7, shape: [2], m: Float32Array.from([0.5, -0.5]), v: Float32Array.from([0.25, 0.125]) },
    };
    expect(decodeOptimizerState(encodeOptimizerState(state))).toEqual(state);
  });

  it('reads back the adapter zip it writes, labels in id order', () => {
    const input = {
      modelId: 'org/model',
      labelNames: ['neg', 'pos', 'x10', 'x2'],
      adapterConfigJson: JSON.stringify({ base_model_name_or_path: 'org/model', r: 8 }),
      adapterSafetensors: Uint8Array.from([1, 2, 3]),
    };
    expect(readAdapterZip(buildAdapterZip(input))).toEqual(input);
    expect(readAdapterZip(Uint8Array.from([1, 2, 3]))).toBeNull();
    expect(adapterSafetensorsOf(buildAdapterZip(input))).toEqual(input.adapterSafetensors);
    expect(adapterSafetensorsOf(Uint8Array.from([1, 2, 3]))).toBeNull();
  });

  it('accepts a real checkpoint blob and names what is wrong with damaged ones', () => {
    const weights = (v: number) => serializeSafetensors({ 'base_model.model.lora_A.weight': { shape: [2, 2], data: Float32Array.from([1, 2, 3, v]) } });
    const optimizer = encodeOptimizerState({ w: { step: 3, shape: [2], m: Float32Array.from([1, 2]), v: Float32Array.from([3, 4]) } });
    const adapter = (v: number) => buildAdapterZip({ modelId: 'm', labelNames: ['a', 'b'], adapterConfigJson: '{"r":4}', adapterSafetensors: weights(v) });
    expect(checkpointBlobProblem({ adapter: adapter(4), optimizer })).toBeNull();
    // A causal-LM zip has no label map; it is fine too.
    const lmZip = zipSync({ 'adapter_config.json': strToU8('{}'), 'adapter_model.safetensors': weights(4) });
    expect(checkpointBlobProblem({ adapter: lmZip, optimizer })).toBeNull();
    expect(checkpointBlobProblem({ adapter: new Uint8Array(64).fill(1), optimizer })).toMatch(/not a readable zip/);
    expect(checkpointBlobProblem({ adapter: adapter(NaN), optimizer })).toMatch(/lora_A\.weight holds NaN/);
    expect(
      checkpointBlobProblem({ adapter: zipSync({ 'adapter_config.json': strToU8('{}'), 'adapter_model.safetensors': strToU8('garbage!!') }), optimizer }),
    ).toMatch(/weights do not parse/);
    expect(checkpointBlobProblem({ adapter: adapter(4), optimizer: new Uint8Array(128).fill(2) })).toMatch(/optimizer state does not parse/);
  });
});
