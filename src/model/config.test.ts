// Tests for config.json parsing: the bert fixture, defaults, and clear errors.
import { describe, expect, it } from 'vitest';
import { readFixtureJson } from '../test/fixtures';
import { tryParseBertConfig, tryParseModelConfig } from './config';

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
    const parsed = tryParseModelConfig({ model_type: 'mistral' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/"mistral" is not supported; supported model types: bert, roberta, distilbert, gpt2, llama, qwen2/);
    const notBert = tryParseBertConfig(readFixtureJson('reference/gpt2/config.json'));
    expect(!notBert.ok && notBert.error).toMatch(/"gpt2" is not "bert"/);
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

describe('tryParseModelConfig (every fixture family)', () => {
  it('reads the HF field names of each family into the common fields', () => {
    const cases: [string, Record<string, unknown>][] = [
      [
        'roberta',
        { modelType: 'roberta', hiddenSize: 32, maxPositionEmbeddings: 130, maxTokens: 128, typeVocabSize: 1, layerNormEps: 1e-5, padTokenId: 1, numLabels: 3 },
      ],
      [
        'distilbert',
        { modelType: 'distilbert', hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64, layerNormEps: 1e-12, numLabels: 2 },
      ],
      [
        'gpt2',
        {
          modelType: 'gpt2',
          hiddenSize: 32,
          intermediateSize: 128,
          hiddenAct: 'gelu_new',
          layerNormEps: 1e-5,
          padTokenId: null,
          architecture: 'GPT2LMHeadModel',
        },
      ],
      ['gpt2-seqcls', { modelType: 'gpt2', padTokenId: 999, numLabels: 2, architecture: 'GPT2ForSequenceClassification' }],
      [
        'llama',
        {
          modelType: 'llama',
          hiddenSize: 64,
          numAttentionHeads: 4,
          numKeyValueHeads: 2,
          qkvBias: false,
          tieWordEmbeddings: false,
          padTokenId: 0,
          ropeTheta: 10000,
          rmsNormEps: 1e-6,
        },
      ],
      ['qwen2', { modelType: 'qwen2', numKeyValueHeads: 2, qkvBias: true, oBias: false, tieWordEmbeddings: true, padTokenId: null }],
    ];
    for (const [folder, want] of cases) {
      const parsed = tryParseModelConfig(readFixtureJson(`reference/${folder}/config.json`));
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.value, folder).toMatchObject(want);
    }
  });

  it('refuses what the math does not implement', () => {
    // RoPE scaling types without an implementation are named (linear, dynamic and llama3 are implemented).
    const scaled = tryParseModelConfig({ model_type: 'llama', rope_theta: 10000, rope_scaling: { rope_type: 'yarn', factor: 2 } });
    expect(!scaled.ok && scaled.error).toMatch(/RoPE scaling type "yarn" is not supported \(supported: default, linear, dynamic, llama3\)/);
    const gqa = tryParseModelConfig({ model_type: 'qwen2', num_attention_heads: 4, num_key_value_heads: 3, hidden_size: 64 });
    expect(!gqa.ok && gqa.error).toMatch(/multiple of num_key_value_heads/);
  });
});
