// Tests for config.json parsing: the bert fixture, defaults, and clear errors.
import { describe, expect, it } from 'vitest';
import { readFixtureJson } from '../test/fixtures';
import { tryParseBertConfig } from './config';

describe('tryParseBertConfig', () => {
  it('parses the bert fixture config', () => {
    const parsed = tryParseBertConfig(readFixtureJson('reference/bert/config.json'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      modelType: 'bert',
      vocabSize: 1000,
      hiddenSize: 32,
      numHiddenLayers: 2,
      numAttentionHeads: 4,
      intermediateSize: 64,
      hiddenAct: 'gelu',
      maxPositionEmbeddings: 128,
      typeVocabSize: 2,
      layerNormEps: 1e-12,
      padTokenId: 0,
      hiddenDropoutProb: 0,
      attentionProbsDropoutProb: 0,
      classifierDropout: 0,
      numLabels: 3,
      id2label: ['LABEL_0', 'LABEL_1', 'LABEL_2'],
    });
  });

  it('uses HF defaults for missing fields', () => {
    const parsed = tryParseBertConfig({ model_type: 'bert' });
    expect(parsed.ok && parsed.value.hiddenSize).toBe(768);
    expect(parsed.ok && parsed.value.numLabels).toBe(2);
  });

  it('names the supported model types for an unsupported one', () => {
    const parsed = tryParseBertConfig({ model_type: 'gpt2' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/"gpt2" is not supported; supported model types: bert/);
  });

  it('rejects the tanh GELU and bad head counts', () => {
    const parsed = tryParseBertConfig({ model_type: 'bert', hidden_act: 'gelu_new', hidden_size: 30, num_attention_heads: 4 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(/hidden_act "gelu_new"/);
      expect(parsed.error).toMatch(/divisible/);
    }
  });
});
