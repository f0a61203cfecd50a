// CLI: writes the embedded offline default model public/models/studio-mini-bert/ (random-init BERT, bert-base-uncased
// tokenizer). Deterministic bytes for fixed options. Depends only on scripts/lib and src/lib/rng.ts.
// Sizes default to OFFLINE_DEFAULT_DIMS (src/protocol/defaultModel.ts, chosen by npm run bench:quality-candidates and bench:quality).
// Usage: npx tsx scripts/makeDefaultModel.ts [--out DIR] [--hidden 128] [--layers 4] [--heads 4] [--intermediate 512] [--max-positions 128] [--seed N] [--init-std 0.02] [--value-std S] [--dropout 0]
import { parseArgs } from 'node:util';
import type { BertDims } from './lib/bertModel';
import { OFFLINE_DEFAULT_BERT_DIMS as DEFAULT_DIMS, OFFLINE_DEFAULT_DIR, OFFLINE_DEFAULT_DROPOUT, writeOfflineDefault } from './lib/offlineDefault';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: OFFLINE_DEFAULT_DIR },
    hidden: { type: 'string' },
    layers: { type: 'string' },
    heads: { type: 'string' },
    intermediate: { type: 'string' },
    'max-positions': { type: 'string' },
    seed: { type: 'string' },
    'init-std': { type: 'string' },
    'value-std': { type: 'string' },
    dropout: { type: 'string' },
  },
});

function int(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
}

const dims: BertDims = {
  ...DEFAULT_DIMS,
  hidden: int(values.hidden, DEFAULT_DIMS.hidden, 'hidden'),
  layers: int(values.layers, DEFAULT_DIMS.layers, 'layers'),
  heads: int(values.heads, DEFAULT_DIMS.heads, 'heads'),
  intermediate: int(values.intermediate, DEFAULT_DIMS.intermediate, 'intermediate'),
  maxPositions: int(values['max-positions'], DEFAULT_DIMS.maxPositions, 'max-positions'),
  seed: int(values.seed, DEFAULT_DIMS.seed, 'seed'),
  initStd: values['init-std'] === undefined ? DEFAULT_DIMS.initStd : Number(values['init-std']),
  ...(values['value-std'] !== undefined ? { valueStd: Number(values['value-std']) } : {}),
};
const dropout = values.dropout === undefined ? OFFLINE_DEFAULT_DROPOUT : Number(values.dropout);

writeOfflineDefault(values.out!, dims, dropout);
console.log(`wrote ${values.out} (hidden ${dims.hidden}, layers ${dims.layers}, heads ${dims.heads}, intermediate ${dims.intermediate})`);
