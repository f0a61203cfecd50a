// A randomly initialised Llama (tied embeddings) of any size, as HF-named tensors: the decoder shape of
// `npm run bench:train`, without a checkpoint. Depends only on lib/.
import { createRng } from '../lib/rng';
import type { NamedTensor } from './safetensors';

export type LlamaDims = { vocabSize: number; hidden: number; layers: number; heads: number; intermediate: number; maxPositions: number };

/** HF LlamaForCausalLM tensor names and shapes (tied: no lm_head.weight), in the order an RNG fills them. */
export function llamaShapes(d: LlamaDims): [string, number[]][] {
  const C = d.hidden;
  const out: [string, number[]][] = [['model.embed_tokens.weight', [d.vocabSize, C]]];
  for (let l = 0; l < d.layers; l++) {
    const p = `model.layers.${l}`;
    out.push([`${p}.input_layernorm.weight`, [C]], [`${p}.post_attention_layernorm.weight`, [C]]);
    for (const m of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) out.push([`${p}.self_attn.${m}.weight`, [C, C]]);
    out.push(
      [`${p}.mlp.gate_proj.weight`, [d.intermediate, C]],
      [`${p}.mlp.up_proj.weight`, [d.intermediate, C]],
      [`${p}.mlp.down_proj.weight`, [C, d.intermediate]],
    );
  }
  out.push(['model.norm.weight', [C]]);
  return out;
}

/** Weights ~ N(0, std), norm gains 1; config.json fields to match (no dropout, tied embeddings). */
export function randomLlama(d: LlamaDims, seed = 1, std = 0.05): { tensors: Map<string, NamedTensor>; configJson: Record<string, unknown> } {
  const rng = createRng(seed);
  const tensors = new Map<string, NamedTensor>();
  for (const [name, shape] of llamaShapes(d)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (shape.length === 1) data.fill(1);
    else for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
    tensors.set(name, { shape, dtype: 'F32', data });
  }
  const configJson = {
    model_type: 'llama',
    vocab_size: d.vocabSize,
    hidden_size: d.hidden,
    num_hidden_layers: d.layers,
    num_attention_heads: d.heads,
    num_key_value_heads: d.heads,
    intermediate_size: d.intermediate,
    max_position_embeddings: d.maxPositions,
    hidden_act: 'silu',
    rms_norm_eps: 1e-6,
    rope_theta: 10000,
    tie_word_embeddings: true,
    attention_dropout: 0,
    initializer_range: std,
  };
  return { tensors, configJson };
}
