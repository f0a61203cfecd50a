import { describe, expect, it } from 'vitest';
import { adapterSafetensorsOf, buildAdapterZip, readAdapterZip } from '../model/peft/adapterZip';
import { decodeOptimizerState, encodeOptimizerState } from './checkpointCodec';

describe('checkpoint codec', () => {
  it('round-trips AdamW moments and step counts exactly', () => {
    const state = {
      'base_model.model.classifier.weight': { step: 7, shape: [2, 3], m: Float32Array.from([1, -2, 3, 4e-9, 5, 6]), v: Float32Array.from([1, 2, 3, 4, 5, 6e-12]) },
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
});
