// Realistic repositories for the mock hub (issue 11): tokenizer files shipped as real repos ship them, weights-format
// and architecture variants, a gated repo, two revisions, rate limits and a dropped download. Built from the fixture
// repos already written under `out`; each repo gets a repo.json (refs, commits, gating, faults) read by e2e/hub/server.mjs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBertModelDir } from './bertModel';
import { writeSafetensorsAs } from './mockHubVariants';
import { readSafetensors } from './safetensors';

type Files = Record<string, string | Uint8Array>;
/** Per-repo settings served by the mock: refs (branch/tag → commit), gating and injected faults. */
export type RepoMeta = {
  refs: Record<string, string>;
  /** commit sha → folder under resolve/ holding that commit's files. */
  commits: Record<string, string>;
  gated?: false | 'manual';
  /** 429 + Retry-After for the first request after a reset; 'always': every request. */
  rateLimit?: 'once' | 'always';
  /** Files whose first full download after a reset is cut halfway. */
  dropOnce?: string[];
  pipelineTag?: string;
};

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

/** A git-like commit id: sha1 over the sorted file names and contents (stable across builds). */
export function commitSha(files: Files, salt = ''): string {
  const h = createHash('sha1').update(salt);
  for (const name of Object.keys(files).sort()) h.update(name).update('\0').update(files[name]).update('\0');
  return h.digest('hex');
}

export function readRepo(dir: string): Files {
  const out: Files = {};
  const walk = (sub: string) => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out[rel] = new Uint8Array(readFileSync(join(dir, rel)));
    }
  };
  walk('');
  return out;
}

export function writeFiles(dir: string, files: Files): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
  }
}

/** Writes `files` as the repo's main branch (resolve/main, where e2e specs read local copies) and its repo.json. */
export function writeRepo(out: string, id: string, files: Files, meta: Partial<RepoMeta> = {}, older: Array<{ tag: string; files: Files }> = []): void {
  const main = commitSha(files, id);
  writeFiles(join(out, id, 'resolve', 'main'), files);
  const refs: Record<string, string> = { main };
  const commits: Record<string, string> = { [main]: 'main' };
  for (const o of older) {
    const sha = commitSha(o.files, id + o.tag);
    writeFiles(join(out, id, 'resolve', sha), o.files);
    refs[o.tag] = sha;
    commits[sha] = sha;
  }
  writeFileSync(join(out, id, 'repo.json'), json({ ...meta, refs, commits }));
}

/** repo.json for a repo already written at resolve/main (the fixture-derived ones). */
export function describeRepo(out: string, id: string): void {
  if (existsSync(join(out, id, 'repo.json'))) return;
  const files = readRepo(join(out, id, 'resolve', 'main'));
  const main = commitSha(files, id);
  writeFileSync(join(out, id, 'repo.json'), json({ refs: { main }, commits: { [main]: 'main' } }));
}

const str = (f: string | Uint8Array) => (typeof f === 'string' ? f : new TextDecoder().decode(f));
const without = (files: Files, ...names: string[]) => Object.fromEntries(Object.entries(files).filter(([n]) => !names.includes(n)));

/** A chat template in the layout transformers >= 4.43 saves it: chat_template.jinja beside tokenizer_config.json. */
export const JINJA_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

/** Every issue-11 repo; `out` already holds the fixture repos (fixtures/*, studio-test/micro-bert). */
export function writeRealisticRepos(out: string): string[] {
  const fx = (name: string) => readRepo(join(out, 'fixtures', name, 'resolve', 'main'));
  const repos: string[] = [];
  const add = (id: string, files: Files, meta: Partial<RepoMeta> = {}, older: Array<{ tag: string; files: Files }> = []) => {
    writeRepo(out, id, files, meta, older);
    repos.push(id);
  };
  const gpt2 = fx('gpt2');
  const llama = fx('llama');
  const bert = fx('bert');

  // openai-community/gpt2 as published: tokenizer_config.json holds only model_max_length; EOS/BOS live in config.json.
  add(
    'studio-test/gpt2-hub-tokenizer',
    {
      ...without(gpt2, 'special_tokens_map.json'),
      'tokenizer_config.json': json({ model_max_length: 128 }),
    },
    { pipelineTag: 'text-generation' },
  );
  // A repo that ships tokenizer.json and nothing else of the tokenizer (distilgpt2 has been reported so).
  add('studio-test/gpt2-tokenizer-json-only', without(gpt2, 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt'));
  // A chat model whose template is only in chat_template.jinja.
  add('studio-test/llama-chat-jinja', { ...llama, 'chat_template.jinja': JINJA_CHAT_TEMPLATE }, { pipelineTag: 'text-generation' });
  // Weights only as PyTorch pickles, or only as ONNX exports.
  add('studio-test/bert-pytorch-only', {
    ...without(bert, 'model.safetensors'),
    'pytorch_model.bin': 'placeholder: a pickled PyTorch state dict would be here\n',
  });
  add('studio-test/bert-onnx-only', {
    ...without(bert, 'model.safetensors'),
    'onnx/model.onnx': 'placeholder: an ONNX graph would be here\n',
    'onnx/model_quantized.onnx': 'placeholder\n',
  });

  // Model-coverage variants (issue 11 item 6, loaded by src/model).
  const bertW = readSafetensors(bert['model.safetensors'] as Uint8Array).tensors;
  const noPooler = Object.fromEntries(Object.entries(bertW).filter(([n]) => !n.includes('pooler')));
  const bertCfg = JSON.parse(str(bert['config.json'])) as Record<string, unknown>;
  add('studio-test/bert-no-pooler', {
    ...bert,
    'config.json': json({ ...bertCfg, architectures: ['BertForMaskedLM'], id2label: undefined, label2id: undefined }),
    'model.safetensors': writeSafetensorsAs(noPooler, 'F32'),
  });
  const gpt2W = readSafetensors(gpt2['model.safetensors'] as Uint8Array).tensors;
  const gpt2Cfg = JSON.parse(str(gpt2['config.json'])) as { n_layer: number; n_positions: number };
  const n = gpt2Cfg.n_positions;
  const buffers: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (let l = 0; l < gpt2Cfg.n_layer; l++) {
    const tri = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) tri[i * n + j] = 1;
    buffers[`transformer.h.${l}.attn.bias`] = { shape: [1, 1, n, n], data: tri };
    buffers[`transformer.h.${l}.attn.masked_bias`] = { shape: [], data: new Float32Array([-1e4]) };
  }
  add('studio-test/gpt2-attn-bias', { ...gpt2, 'model.safetensors': writeSafetensorsAs({ ...gpt2W, ...buffers }, 'F32') });
  const llamaCfg = JSON.parse(str(llama['config.json'])) as Record<string, unknown>;
  const { rope_theta: theta, rope_scaling: _unused, ...llamaRest } = llamaCfg;
  add('studio-test/llama-rope-parameters', {
    ...llama,
    'config.json': json({ ...llamaRest, rope_parameters: { rope_type: 'default', rope_theta: theta } }),
  });
  add('studio-test/llama3-rope', {
    ...llama,
    'config.json': json({
      ...llamaCfg,
      rope_theta: 500000.0,
      rope_scaling: { rope_type: 'llama3', factor: 32.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 64 },
    }),
  });

  // Access control, revisions and faults, on small copies.
  add('studio-test/gated-llama', llama, { gated: 'manual', pipelineTag: 'text-generation' });
  const tmp = join(out, '.tmp');
  writeBertModelDir(join(tmp, 'rev-new'), { hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 128, vocabSize: 30522, seed: 11, initStd: 0.2 });
  writeBertModelDir(join(tmp, 'rev-old'), { hidden: 32, layers: 1, heads: 2, intermediate: 64, maxPositions: 128, vocabSize: 30522, seed: 7, initStd: 0.2 });
  add('studio-test/revisions-bert', readRepo(join(tmp, 'rev-new')), {}, [{ tag: 'v1.0', files: readRepo(join(tmp, 'rev-old')) }]);
  const micro = readRepo(join(out, 'studio-test', 'micro-bert', 'resolve', 'main'));
  add('studio-test/rate-limited-bert', micro, { rateLimit: 'once' });
  add('studio-test/rate-storm', micro, { rateLimit: 'always' });
  add('studio-test/flaky-download', micro, { dropOnce: ['model.safetensors'] });
  return repos;
}
