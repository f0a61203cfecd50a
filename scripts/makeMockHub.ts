// CLI: builds e2e/hub/.data/, a Hugging Face Hub look-alike tree `<org>/<name>/resolve/main/<file>` served by
// e2e/hub/server.mjs for e2e tests. Everything is derived from /work/shared/fixtures; test-only, never shipped.
// Depends only on scripts/lib (not on src/). Usage: npx tsx scripts/makeMockHub.ts [--out e2e/hub/.data]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BERT_TOKENIZER_DIR, FIXTURES_DIR, writeBertModelDir } from './lib/bertModel';
import { byteLevelTokenizer, llamaTokenizer, wordPieceTokenizer, type TokenizerFiles } from './lib/testTokenizers';

/** Bump when the layout or contents change; server.mjs rebuilds when .data/STAMP differs. */
export const MOCK_HUB_VERSION = '2';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'e2e/hub/.data' } } });
const out = values.out!;
const REF = join(FIXTURES_DIR, 'reference');
const TOK = join(FIXTURES_DIR, 'tokenizers');

const repoDir = (id: string) => join(out, id, 'resolve', 'main');

function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

function tokenizerFor(arch: string, modelType: string, vocabSize: number): TokenizerFiles | null {
  switch (modelType) {
    case 'bert': return wordPieceTokenizer(BERT_TOKENIZER_DIR, vocabSize, 'BertTokenizer');
    case 'distilbert': return wordPieceTokenizer(BERT_TOKENIZER_DIR, vocabSize, 'DistilBertTokenizer');
    case 'roberta': return byteLevelTokenizer(join(TOK, 'gpt2'), vocabSize, 'roberta');
    case 'gpt2': return byteLevelTokenizer(join(TOK, 'gpt2'), vocabSize, arch === 'gpt2-seqcls' ? 'gpt2-seqcls' : 'gpt2');
    case 'qwen2': return byteLevelTokenizer(join(TOK, 'gpt2'), vocabSize, 'qwen2');
    case 'llama': return llamaTokenizer(join(TOK, 'llama-2'), vocabSize);
    default: return null;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const repos: string[] = [];

// 1. micro model: same architecture/tokenizer as the embedded default, tiny dims.
writeBertModelDir(repoDir('studio-test/micro-bert'), {
  hidden: 32, layers: 1, heads: 2, intermediate: 64, maxPositions: 128, vocabSize: 30522, seed: 20240418, initStd: 0.2,
});
repos.push('studio-test/micro-bert');

// 2. every reference fixture, with a test-only tokenizer of the config's vocab size.
for (const arch of readdirSync(REF).sort()) {
  const src = join(REF, arch);
  const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as { model_type: string; vocab_size: number };
  const files: Record<string, string | Uint8Array> = {
    'config.json': readFileSync(join(src, 'config.json')),
    'model.safetensors': readFileSync(join(src, 'model.safetensors')),
  };
  if (existsSync(join(src, 'generation_config.json'))) files['generation_config.json'] = readFileSync(join(src, 'generation_config.json'));
  const tok = tokenizerFor(arch, config.model_type, config.vocab_size);
  if (!tok) throw new Error(`no test tokenizer for ${arch} (model_type ${config.model_type})`);
  writeFiles(repoDir(`fixtures/${arch}`), { ...files, ...tok });
  repos.push(`fixtures/${arch}`);
}

// 3. bad inputs.
writeFiles(repoDir('fixtures/bert-no-safetensors'), {
  'config.json': readFileSync(join(REF, 'bert', 'config.json')),
  'pytorch_model.bin': 'placeholder: a pickled PyTorch checkpoint would be here; the studio only reads model.safetensors\n',
  ...wordPieceTokenizer(BERT_TOKENIZER_DIR, 1000, 'BertTokenizer'),
});
repos.push('fixtures/bert-no-safetensors');
const t5Config = {
  architectures: ['T5ForConditionalGeneration'], model_type: 't5', d_model: 32, d_ff: 64, num_layers: 1, num_heads: 2,
  vocab_size: 1000, _studio_note: 'unsupported-architecture test case; no weights',
};
writeFiles(repoDir('fixtures/unsupported-arch'), { 'config.json': JSON.stringify(t5Config, null, 2) + '\n' });
repos.push('fixtures/unsupported-arch');

writeFileSync(join(out, 'STAMP'), MOCK_HUB_VERSION + '\n');
console.log(`mock hub in ${out}: ${repos.join(', ')}`);
