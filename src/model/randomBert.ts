// A randomly initialised BERT of any size, as HF-named tensors: for benchmarks and tests that need a
// model of a given shape without a checkpoint. The names, shapes and init come from the family registry.
import type { BertConfig } from './config';
import { bert } from './families/bert';
import { randomTensors } from './families/random';
import type { NamedTensor } from './safetensors';

export type BertDims = { vocabSize: number; hidden: number; layers: number; heads: number; intermediate: number; maxPositions: number };

function configJsonFor(d: BertDims, std: number): Record<string, unknown> {
  return {
    model_type: 'bert',
    vocab_size: d.vocabSize,
    hidden_size: d.hidden,
    num_hidden_layers: d.layers,
    num_attention_heads: d.heads,
    intermediate_size: d.intermediate,
    max_position_embeddings: d.maxPositions,
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    initializer_range: std,
  };
}

function parsed(d: BertDims, std = 0.02): BertConfig {
  const c = bert.parseConfig(configJsonFor(d, std));
  if (!c.ok) throw new Error(c.error);
  return c.value;
}

/** HF BertModel tensor names and shapes in a fixed order (the order an RNG fills them). */
export function bertShapes(d: BertDims): [string, number[]][] {
  return bert.tensorTable(parsed(d)).map((s) => [s.name, s.shape]);
}

/** Weights ~ N(0, std), LayerNorm gains 1, biases 0; config.json fields to match. */
export function randomBert(d: BertDims, seed = 1, std = 0.2): { tensors: Map<string, NamedTensor>; configJson: Record<string, unknown> } {
  return { tensors: randomTensors(bert.tensorTable(parsed(d, std)), seed, std), configJson: configJsonFor(d, std) };
}
