// Tests for the build scripts: the default model's layout/determinism and the mock hub served by e2e/hub/server.mjs
// (tokenizers load through src/tokenize over HTTP and stay inside each fixture's vocab; files download via src/hub).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHubFile, HubError } from '../src/hub/hubFiles';
import { encodeBatch, loadTokenizer } from '../src/tokenize/tokenizer';
import { bertTensorShapes, DEFAULT_DIMS, FIXTURES_DIR, writeBertModelDir } from './lib/bertModel';
import { readSafetensors } from './lib/safetensors';

describe('default model', () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'mini-bert-a-')), mkdtempSync(join(tmpdir(), 'mini-bert-b-'))];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes HF BERT names/shapes, N(0,0.2) init, LayerNorm 1/0, a config and the tokenizer; deterministic', () => {
    for (const d of dirs) writeBertModelDir(d, DEFAULT_DIMS);
    for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'special_tokens_map.json']) {
      expect(Buffer.compare(readFileSync(join(dirs[0], f)), readFileSync(join(dirs[1], f))), f).toBe(0);
    }
    const bytes = readFileSync(join(dirs[0], 'model.safetensors'));
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0);
    expect(bytes.subarray(8, 40).toString()).toMatch(/^\{"__metadata__":\{"format":"pt"\}/);
    const { tensors } = readSafetensors(new Uint8Array(bytes));
    const shapes = bertTensorShapes(DEFAULT_DIMS);
    expect(Object.keys(tensors).sort()).toEqual(shapes.map(([n]) => n).sort());
    expect(Object.keys(tensors).some((n) => n.includes('classifier'))).toBe(false);
    for (const [n, s] of shapes) expect(tensors[n].shape, n).toEqual(s);
    expect(tensors['bert.embeddings.word_embeddings.weight'].shape).toEqual([30522, 64]);
    const q = tensors['bert.encoder.layer.1.attention.self.query.weight'].data;
    const std = Math.sqrt(q.reduce((a, v) => a + v * v, 0) / q.length);
    expect(std).toBeGreaterThan(0.18);
    expect(std).toBeLessThan(0.22);
    expect(tensors['bert.encoder.layer.0.output.LayerNorm.weight'].data.every((v) => v === 1)).toBe(true);
    expect(tensors['bert.encoder.layer.0.output.LayerNorm.bias'].data.every((v) => v === 0)).toBe(true);
    const cfg = JSON.parse(readFileSync(join(dirs[0], 'config.json'), 'utf8'));
    expect(cfg).toMatchObject({
      model_type: 'bert',
      architectures: ['BertModel'],
      _studio_note: 'random init, not pretrained',
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 256,
      max_position_embeddings: 128,
      vocab_size: 30522,
    });
  });
});

describe('mock hub over HTTP', () => {
  let server: ChildProcess;
  let baseUrl = '';
  beforeAll(async () => {
    server = spawn(process.execPath, ['e2e/hub/server.mjs', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    baseUrl = await new Promise<string>((ok, fail) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving .* on (http:\/\/localhost:\d+)/.exec(out);
        if (m) ok(m[1]);
      });
      server.on('exit', (code) => fail(new Error(`server exited ${code}: ${out}`)));
    });
    env.useFSCache = false; // Node: don't write downloaded tokenizers into node_modules
  }, 60_000);
  afterAll(() => {
    server?.kill();
  });

  const english = [
    'Hello, world! The quick brown fox jumps over the lazy dog.',
    "I can't believe it's 2024 already...",
    'Zyxwvut qwerty antidisestablishmentarianism',
  ];
  const repos: Array<[string, number, number[]]> = [
    ['fixtures/bert', 1000, [101, 102]],
    ['fixtures/distilbert', 1000, [101, 102]],
    ['fixtures/roberta', 1000, [0, 2]],
    ['fixtures/gpt2', 1000, []],
    ['fixtures/gpt2-seqcls', 1000, []],
    ['fixtures/qwen2', 1000, []],
    ['fixtures/llama', 1000, [1]],
    ['studio-test/micro-bert', 30522, [101, 102]],
  ];

  it.each(repos)('%s: tokenizer loads over HTTP and encodes English in range', async (modelId, vocab, ends) => {
    const tok = await loadTokenizer({ baseUrl, modelId });
    const b = encodeBatch(tok, english, 64);
    expect(Math.max(...b.inputIds)).toBeLessThan(vocab);
    if (ends.length) expect(b.inputIds[0]).toBe(ends[0]);
    if (ends.length > 1) expect(b.inputIds[b.lengths[0] - 1]).toBe(ends[1]);
    if (vocab === 1000) {
      // test-only vocab: plain English must not collapse to unknown tokens
      const unk = tok.unk_token_id as number | null | undefined;
      const body = tok.encode('the quick brown fox', { add_special_tokens: false });
      if (typeof unk === 'number') expect(body).not.toContain(unk);
      // and must use real word pieces, not mostly single bytes/characters (58 characters, 11 words + 3 marks)
      expect(tok.encode(english[0], { add_special_tokens: false }).length).toBeLessThanOrEqual(32);
    }
  });

  it('bert tokenizer keeps the fixture special ids', async () => {
    const tok = await loadTokenizer({ baseUrl, modelId: 'fixtures/bert' });
    expect([tok.pad_token_id, tok.unk_token_id, tok.sep_token_id, tok.mask_token_id]).toEqual([0, 100, 102, 103]);
    expect(tok.encode('hello world')).toEqual([101, ...tok.encode('hello world', { add_special_tokens: false }), 102]);
  });

  it('serves model files byte for byte with progress, and Hub-style 404s', async () => {
    const seen: number[] = [];
    const buf = await fetchHubFile({ baseUrl, modelId: 'fixtures/bert', file: 'model.safetensors', onProgress: (l) => seen.push(l) });
    expect(Buffer.compare(Buffer.from(buf), readFileSync(join(FIXTURES_DIR, 'reference/bert/model.safetensors')))).toBe(0);
    expect(seen.at(-1)).toBe(buf.byteLength);
    const e = await fetchHubFile({ baseUrl, modelId: 'fixtures/bert-no-safetensors', file: 'model.safetensors' }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(HubError);
    expect((e as HubError).code).toBe('not-found');
    expect((e as HubError).message).toMatch(/needs safetensors weights/);
    const t5 = JSON.parse(new TextDecoder().decode(await fetchHubFile({ baseUrl, modelId: 'fixtures/unsupported-arch', file: 'config.json' })));
    expect(t5.model_type).toBe('t5');
  });

  it('behaves like the real Hub: resolve redirects to a CDN origin with X-Repo-Commit; 401 for a missing or gated repo; the CDN refuses Authorization; 429 once', async () => {
    await fetch(`${baseUrl}/__mock/reset`, { method: 'POST' });
    const r = await fetch(`${baseUrl}/fixtures/bert/resolve/main/model.safetensors`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const commit = r.headers.get('X-Repo-Commit')!;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const location = new URL(r.headers.get('Location')!);
    expect(location.port).not.toBe(new URL(baseUrl).port);
    expect(r.headers.get('Access-Control-Expose-Headers')).toContain('X-Repo-Commit');
    const cdn = await fetch(location, { headers: { Range: 'bytes=0-7' } });
    expect([cdn.status, cdn.headers.get('Content-Range'), cdn.headers.get('Access-Control-Allow-Origin')]).toEqual([
      206,
      'bytes 0-7/' + readFileSync(join(FIXTURES_DIR, 'reference/bert/model.safetensors')).length,
      '*',
    ]);
    expect(cdn.headers.get('Access-Control-Expose-Headers')).toContain('Content-Range');
    expect((await fetch(location, { headers: { Authorization: 'Bearer hf_mockStudioReadAccessToken' } })).status).toBe(400);
    const preflight = await fetch(location, { method: 'OPTIONS', headers: { Origin: 'http://app.test', 'Access-Control-Request-Headers': 'range' } });
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('Range');

    const info = (await (await fetch(`${baseUrl}/api/models/fixtures/bert/revision/main`)).json()) as { sha: string; siblings: { rfilename: string }[] };
    expect(info.sha).toBe(commit);
    expect(info.siblings.map((s) => s.rfilename)).toContain('tokenizer.json');
    expect((await fetch(`${baseUrl}/api/models/nobody/nothing`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/nobody/nothing/resolve/main/config.json`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/api/models/fixtures/bert/revision/nope`)).status).toBe(404);
    const gated = `${baseUrl}/studio-test/gated-llama/resolve/main/config.json`;
    expect((await fetch(`${baseUrl}/api/models/studio-test/gated-llama`)).status).toBe(200);
    expect((await fetch(gated, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(gated, { redirect: 'manual', headers: { Authorization: 'Bearer hf_mockStudioNoGatedAccess00' } })).status).toBe(403);
    expect((await fetch(gated, { redirect: 'manual', headers: { Authorization: 'Bearer hf_mockStudioReadAccessToken' } })).status).toBe(307);
    const first = await fetch(`${baseUrl}/api/models/studio-test/rate-limited-bert`);
    expect([first.status, first.headers.get('Retry-After')]).toEqual([429, '2']);
    expect((await fetch(`${baseUrl}/api/models/studio-test/rate-limited-bert`)).status).toBe(200);
    const v1 = (await (await fetch(`${baseUrl}/api/models/studio-test/revisions-bert/revision/v1.0`)).json()) as { sha: string };
    const main = (await (await fetch(`${baseUrl}/api/models/studio-test/revisions-bert/revision/main`)).json()) as { sha: string };
    expect(v1.sha).not.toBe(main.sha);
    const oldCfg = (await (await fetch(`${baseUrl}/studio-test/revisions-bert/resolve/${v1.sha}/config.json`)).json()) as { num_hidden_layers: number };
    expect(oldCfg.num_hidden_layers).toBe(1);
  });
});
