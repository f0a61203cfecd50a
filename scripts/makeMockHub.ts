// CLI: builds e2e/hub/.data/, a Hugging Face Hub look-alike tree `<org>/<name>/resolve/<main|sha>/<file>` + repo.json, served by
// e2e/hub/server.mjs for e2e tests. Everything is derived from /work/shared/fixtures; test-only, never shipped.
// Depends only on scripts/lib (not on src/). Usage: npx tsx scripts/makeMockHub.ts [--out e2e/hub/.data]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BERT_TOKENIZER_DIR, FIXTURES_DIR, writeBertModelDir } from './lib/bertModel';
import { describeRepo, writeRealisticRepos } from './lib/mockHubRepos';
import { explicitTiedHeadVariant, recastVariant, shardVariant } from './lib/mockHubVariants';
import { byteLevelTokenizer, llamaTokenizer, wordPieceTokenizer, type TokenizerFiles } from './lib/testTokenizers';

/** Bump when the layout or contents change; server.mjs rebuilds when .data/STAMP differs. */
export const MOCK_HUB_VERSION = '5';

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
    case 'bert':
      return wordPieceTokenizer(BERT_TOKENIZER_DIR, vocabSize, 'BertTokenizer');
    case 'distilbert':
      return wordPieceTokenizer(BERT_TOKENIZER_DIR, vocabSize, 'DistilBertTokenizer');
    case 'roberta':
      return byteLevelTokenizer(join(TOK, 'gpt2'), vocabSize, 'roberta');
    case 'gpt2':
      return byteLevelTokenizer(join(TOK, 'gpt2'), vocabSize, arch === 'gpt2-seqcls' ? 'gpt2-seqcls' : 'gpt2');
    case 'qwen2':
      return byteLevelTokenizer(join(TOK, 'gpt2'), vocabSize, 'qwen2');
    case 'llama':
      return llamaTokenizer(join(TOK, 'llama-2'), vocabSize);
    default:
      return null;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const repos: string[] = [];

// 1. micro model: same architecture/tokenizer as the embedded default, tiny dims.
writeBertModelDir(repoDir('studio-test/micro-bert'), {
  hidden: 32,
  layers: 1,
  heads: 2,
  intermediate: 64,
  maxPositions: 128,
  vocabSize: 30522,
  seed: 20240418,
  initStd: 0.2,
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

// 3. checkpoint-format variants of fixtures (same config and tokenizer, other weight files): sharded, BF16, F16,
// and a tied head stored explicitly. Tests compare their logits with the fixture's expected outputs.
const variants: Array<[string, string, (w: Uint8Array) => Record<string, string | Uint8Array>]> = [
  ['llama-sharded', 'llama', (w) => shardVariant(w, 3)],
  ['bert-bf16', 'bert', (w) => recastVariant(w, 'BF16')],
  ['gpt2-f16', 'gpt2', (w) => recastVariant(w, 'F16')],
  ['qwen2-tied-explicit', 'qwen2', (w) => explicitTiedHeadVariant(w, 'model.embed_tokens.weight')],
];
for (const [name, base, make] of variants) {
  const dir = repoDir(`fixtures/${base}`);
  const keep = readdirSync(dir).filter((f) => f !== 'model.safetensors');
  const files = Object.fromEntries(keep.map((f) => [f, readFileSync(join(dir, f))]));
  writeFiles(repoDir(`fixtures/${name}`), { ...files, ...make(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))) });
  repos.push(`fixtures/${name}`);
}

// 4. bad inputs.
writeFiles(repoDir('fixtures/bert-no-safetensors'), {
  'config.json': readFileSync(join(REF, 'bert', 'config.json')),
  'pytorch_model.bin': 'placeholder: a pickled PyTorch checkpoint would be here; the studio only reads model.safetensors\n',
  ...wordPieceTokenizer(BERT_TOKENIZER_DIR, 1000, 'BertTokenizer'),
});
repos.push('fixtures/bert-no-safetensors');
const t5Config = {
  architectures: ['T5ForConditionalGeneration'],
  model_type: 't5',
  d_model: 32,
  d_ff: 64,
  num_layers: 1,
  num_heads: 2,
  vocab_size: 1000,
  _studio_note: 'unsupported-architecture test case; no weights',
};
writeFiles(repoDir('fixtures/unsupported-arch'), { 'config.json': JSON.stringify(t5Config, null, 2) + '\n' });
repos.push('fixtures/unsupported-arch');

// Far too large for a browser (a 2M-token vocabulary at hidden 4096 is a 33 GB embedding): refused before any download.
const hugeConfig = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 11008,
  num_attention_heads: 32,
  num_key_value_heads: 32,
  num_hidden_layers: 32,
  vocab_size: 2_000_000,
  max_position_embeddings: 2048,
  rope_theta: 10000,
  tie_word_embeddings: false,
  _studio_note: 'too-large test case; no weights',
};
writeFiles(repoDir('fixtures/too-large'), { 'config.json': JSON.stringify(hugeConfig, null, 2) + '\n', ...llamaTokenizer(join(TOK, 'llama-2'), 1000) });
repos.push('fixtures/too-large');
const noTokConfig = readFileSync(join(REF, 'gpt2', 'config.json'));
writeFiles(repoDir('fixtures/gpt2-no-tokenizer'), { 'config.json': noTokConfig, 'model.safetensors': readFileSync(join(REF, 'gpt2', 'model.safetensors')) });
repos.push('fixtures/gpt2-no-tokenizer');

// 5. issue 11: repos as the real Hub serves them (tokenizer layouts, gating, revisions, faults, model variants).
for (const id of repos) describeRepo(out, id);
repos.push(...writeRealisticRepos(out));
rmSync(join(out, '.tmp'), { recursive: true, force: true });

writeFileSync(join(out, 'STAMP'), MOCK_HUB_VERSION + '\n');
console.log(`mock hub in ${out}: ${repos.join(', ')}`);
