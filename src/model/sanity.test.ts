// Tests for load-time model sanity on the real reference fixtures of every family: they pass untouched; a NaN
// weight, a config/weights mismatch and absurd configs are found with the tensor or field named.
import { describe, expect, it } from 'vitest';
import { loadReferenceFixture } from '../test/fixtures';
import { tryParseModelConfig, type ModelConfig } from './config';
import type { NamedTensor } from './safetensors';
import { configProblem, modelSanityProblem, nonFiniteProblem, shapeProblem } from './sanity';

function fixture(name: 'bert' | 'gpt2' | 'llama') {
  const fx = loadReferenceFixture(name);
  const config = tryParseModelConfig(fx.configJson);
  if (!config.ok) throw new Error(config.error);
  return { tensors: fx.weights, config: config.value };
}

describe('model sanity', () => {
  it.each(['bert', 'gpt2', 'llama'] as const)('the %s reference weights pass', (name) => {
    const { tensors, config } = fixture(name);
    expect(modelSanityProblem(tensors, config)).toBeNull();
  });

  it('names a tensor that holds NaN', () => {
    const { tensors, config } = fixture('bert');
    const copy = new Map(tensors);
    const [name, t] = [...copy].find(([n]) => n.includes('layer.1.attention.self.query.weight'))!;
    const data = t.data.slice();
    data[3] = NaN;
    data[5] = Infinity;
    copy.set(name, { ...t, data });
    expect(nonFiniteProblem(copy)).toMatch(new RegExp(`${name.replace(/\./g, '\\.')} holds 2 NaN or infinite values`));
    expect(modelSanityProblem(copy, config)).toMatch(/holds 2 NaN/);
  });

  it('finds a config that disagrees with the weights (hidden size, vocab, layer count)', () => {
    const { tensors, config } = fixture('bert');
    expect(shapeProblem(tensors, { ...config, vocabSize: config.vocabSize + 1 } as ModelConfig)).toMatch(
      /word_embeddings\.weight has shape .* but config\.json says/,
    );
    expect(shapeProblem(tensors, { ...config, numHiddenLayers: config.numHiddenLayers + 2 } as ModelConfig)).toMatch(/has 2 layers but config\.json says 4/);
    const gpt2 = fixture('gpt2');
    expect(shapeProblem(gpt2.tensors, { ...gpt2.config, hiddenSize: gpt2.config.hiddenSize * 2 } as ModelConfig)).toMatch(
      /(wte\.weight has shape|ln_1\.weight has \d+ values).*different models/,
    );
    const dropped = new Map<string, NamedTensor>([...tensors].filter(([n]) => !n.includes('word_embeddings')));
    expect(shapeProblem(dropped, { ...config, hiddenSize: 48, numAttentionHeads: 4 } as ModelConfig)).toMatch(
      /LayerNorm\.weight has 32 values but config\.json's hidden size is 48/,
    );
  });

  it.each<[Partial<ModelConfig>, RegExp]>([
    [{ hiddenSize: 0 }, /hiddenSize is 0/],
    [{ numHiddenLayers: 100000 }, /numHiddenLayers is 100000, outside/],
    [{ vocabSize: 1.5 }, /vocabSize is 1.5/],
    [{ numAttentionHeads: 5 }, /not a multiple of the 5 attention heads/],
  ])('refuses the absurd config %j', (patch, message) => {
    const { config } = fixture('bert');
    expect(configProblem({ ...config, ...patch } as ModelConfig)).toMatch(message);
  });
});
