// A randomly initialised BERT of any size, as HF-named tensors: for benchmarks and tests that need a
// model of a given shape without a checkpoint. Depends only on lib/.
import { createRng } from '../lib/rng';
import type { NamedTensor } from './safetensors';

export type BertDims = { vocabSize: number; hidden: number; layers: number; heads: number; intermediate: number; maxPositions: number };

/** HF BertModel tensor names and shapes in a fixed order (the order an RNG fills them). */
export function bertShapes(d: BertDims): [string, number[]][] {
  const H = d.hidden;
  const out: [string, number[]][] = [
    ['bert.embeddings.word_embeddings.weight', [d.vocabSize, H]],
    ['bert.embeddings.position_embeddings.weight', [d.maxPositions, H]],
    ['bert.embeddings.token_type_embeddings.weight', [2, H]],
    ['bert.embeddings.LayerNorm.weight', [H]],
    ['bert.embeddings.LayerNorm.bias', [H]],
  ];
  for (let l = 0; l < d.layers; l++) {
    const p = `bert.encoder.layer.${l}`;
    for (const m of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']) {
      out.push([`${p}.${m}.weight`, [H, H]], [`${p}.${m}.bias`, [H]]);
    }
    out.push(
      [`${p}.attention.output.LayerNorm.weight`, [H]],
      [`${p}.attention.output.LayerNorm.bias`, [H]],
      [`${p}.intermediate.dense.weight`, [d.intermediate, H]],
      [`${p}.intermediate.dense.bias`, [d.intermediate]],
      [`${p}.output.dense.weight`, [H, d.intermediate]],
      [`${p}.output.dense.bias`, [H]],
      [`${p}.output.LayerNorm.weight`, [H]],
      [`${p}.output.LayerNorm.bias`, [H]],
    );
  }
  out.push(['bert.pooler.dense.weight', [H, H]], ['bert.pooler.dense.bias', [H]]);
  return out;
}

/** Weights ~ N(0, std), LayerNorm gains 1, biases 0; config.json fields to match. */
export function randomBert(d: BertDims, seed = 1, std = 0.2): { tensors: Map<string, NamedTensor>; configJson: Record<string, unknown> } {
  const rng = createRng(seed);
  const tensors = new Map<string, NamedTensor>();
  for (const [name, shape] of bertShapes(d)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith('LayerNorm.weight')) data.fill(1);
    else if (shape.length === 2) for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
    tensors.set(name, { shape, dtype: 'F32', data });
  }
  const configJson = {
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
  return { tensors, configJson };
}
