// GPT-2 (GPT2LMHeadModel / GPT2ForSequenceClassification): config, tensor table (Conv1D [in, out]), LoRA presets,
// the attn.bias / masked_bias buffers old checkpoints carry, and the loader (./model.ts).
import { tryLoadGpt2Model } from './model';
import { embeddingSpec, linearSpecs, normSpecs } from '../tables';
import type { FamilyDescriptor, TensorSpec } from '../types';
import { tryParseGpt2Fields, type Gpt2Config } from './config';

function table(c: Gpt2Config): TensorSpec[] {
  const C = c.hiddenSize;
  const I = c.intermediateSize;
  const out: TensorSpec[] = [embeddingSpec('transformer.wte.weight', c.vocabSize, C), embeddingSpec('transformer.wpe.weight', c.maxPositionEmbeddings, C)];
  for (let layer = 0; layer < c.numHiddenLayers; layer++) {
    const p = `transformer.h.${layer}`;
    const conv = (m: string, inF: number, outF: number) => linearSpecs(`${p}.${m}`, inF, outF, { bias: true, conv1d: true, layer });
    out.push(
      ...normSpecs(`${p}.ln_1`, C, { bias: true, layer }),
      ...conv('attn.c_attn', C, 3 * C),
      ...conv('attn.c_proj', C, C),
      ...normSpecs(`${p}.ln_2`, C, { bias: true, layer }),
      ...conv('mlp.c_fc', C, I),
      ...conv('mlp.c_proj', I, C),
    );
  }
  out.push(...normSpecs('transformer.ln_f', C, { bias: true }));
  return out;
}

export const gpt2: FamilyDescriptor<Gpt2Config> = {
  modelType: 'gpt2',
  label: 'GPT-2',
  kind: 'decoder',
  tasks: ['SEQ_CLS', 'CAUSAL_LM'],
  parseConfig: tryParseGpt2Fields,
  tensorTable: table, // the LM head is tied to wte
  headTable: (c, task, L) => (task === 'SEQ_CLS' ? linearSpecs('score', c.hiddenSize, L, { bias: false }) : []),
  isBuffer: (name) => /(^|\.)attn\.(bias|masked_bias)$/.test(name),
  loraTargets: { default: ['c_attn'], attention: ['c_attn', 'attn.c_proj'], 'all-linear': ['c_attn', 'c_proj', 'c_fc'] },
  tokenizer: { pooledToken: 'last', padFallsBackToEos: true, maskedLm: false },
  load: (tensors, c, options) => tryLoadGpt2Model(tensors, c, options),
};
