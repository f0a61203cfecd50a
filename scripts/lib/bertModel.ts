// Builds a randomly initialised BERT base (HF BertModel weights under the `bert.` prefix, no classifier head)
// plus its config.json and the bert-base-uncased tokenizer files. Used by makeDefaultModel.ts and makeMockHub.ts.
// Depends only on node:fs/path, src/lib/rng.ts, src/model/randomBert.ts (shapes) and scripts/lib/safetensors.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/lib/rng';
import { bertShapes } from '../../src/model/randomBert';
import { writeSafetensors, type F32Tensor } from './safetensors';

/** ../shared/fixtures beside the checkout (scripts/lib -> repo root -> ..), as CI lays it out. */
export const FIXTURES_DIR = process.env.STUDIO_FIXTURES_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');
export const BERT_TOKENIZER_DIR = join(FIXTURES_DIR, 'tokenizers', 'bert-base-uncased');

export type BertDims = {
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  vocabSize: number;
  seed: number;
  /**
   * Std of the random matrices. HF pretraining starts at 0.02, but a model that stays random needs larger
   * weights: at 0.02 the tokens barely reach the [CLS] output and a LoRA run's training loss stays at ln 2
   * (measured on 200 sentiment rows: 0.698 -> 0.693 at 0.02, 0.80 -> 0.68 at 0.2).
   */
  initStd: number;
  /** Std of the attention value and output projections when set (else initStd): how strongly the tokens reach [CLS]. */
  valueStd?: number;
};

export const DEFAULT_DIMS: BertDims = {
  hidden: 64,
  layers: 2,
  heads: 2,
  intermediate: 256,
  maxPositions: 128,
  vocabSize: 30522,
  seed: 20240418,
  initStd: 0.2,
};

/** Tensor names and shapes in a fixed order (the order the RNG fills them, so output is deterministic). */
export function bertTensorShapes(d: BertDims): Array<[string, number[]]> {
  return bertShapes({ vocabSize: d.vocabSize, hidden: d.hidden, layers: d.layers, heads: d.heads, intermediate: d.intermediate, maxPositions: d.maxPositions });
}

const VALUE_PATH = /attention\.(self\.value|output\.dense)\.weight$/;

/**
 * HF BertPreTrainedModel._init_weights with initializer_range d.initStd: matrices/embeddings ~ N(0, std),
 * Linear biases 0, LayerNorm weight 1 / bias 0, word_embeddings row pad_token_id (0) zeroed.
 */
export function initBertWeights(d: BertDims): Record<string, F32Tensor> {
  if (d.hidden % d.heads !== 0) throw new Error(`hidden ${d.hidden} is not divisible by heads ${d.heads}`);
  const rng = createRng(d.seed);
  const tensors: Record<string, F32Tensor> = {};
  for (const [name, shape] of bertTensorShapes(d)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.includes('LayerNorm.weight')) data.fill(1);
    else if (shape.length === 2) {
      const std = d.valueStd !== undefined && VALUE_PATH.test(name) ? d.valueStd : d.initStd;
      for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
    }
    if (name === 'bert.embeddings.word_embeddings.weight') data.fill(0, 0, d.hidden); // padding_idx = 0
    tensors[name] = { shape, data };
  }
  return tensors;
}

export function bertConfig(d: BertDims, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _studio_note: 'random init, not pretrained',
    architectures: ['BertModel'],
    attention_probs_dropout_prob: 0.1,
    classifier_dropout: null,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: d.hidden,
    initializer_range: d.initStd,
    intermediate_size: d.intermediate,
    layer_norm_eps: 1e-12,
    max_position_embeddings: d.maxPositions,
    model_type: 'bert',
    num_attention_heads: d.heads,
    num_hidden_layers: d.layers,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
    type_vocab_size: 2,
    use_cache: true,
    vocab_size: d.vocabSize,
    ...extra,
  };
}

/** Copies the bert-base-uncased tokenizer files; tokenizer_config's model_max_length is set to the model's positions. */
export function writeBertTokenizer(outDir: string, maxPositions: number, srcDir = BERT_TOKENIZER_DIR): void {
  // read+write (not copyFile) so the read-only mode of the shared fixtures is not copied along
  for (const f of ['tokenizer.json', 'special_tokens_map.json', 'vocab.txt']) writeFileSync(join(outDir, f), readFileSync(join(srcDir, f)));
  const cfg = JSON.parse(readFileSync(join(srcDir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  cfg.model_max_length = maxPositions;
  writeFileSync(join(outDir, 'tokenizer_config.json'), JSON.stringify(cfg, null, 2) + '\n');
}

export function writeBertModelDir(outDir: string, d: BertDims, configExtra: Record<string, unknown> = {}): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.safetensors'), writeSafetensors(initBertWeights(d), { format: 'pt' }));
  writeFileSync(join(outDir, 'config.json'), JSON.stringify(bertConfig(d, configExtra), null, 2) + '\n');
  writeBertTokenizer(outDir, d.maxPositions);
}
