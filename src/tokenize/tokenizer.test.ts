// Unit tests for src/tokenize/tokenizer.ts: real tokenizer files from the shared fixtures, loaded offline
// (no network), compared id for id with the reference expected.json; plus encodeBatch truncation/padding.
import { readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeBatch, encodeOne, loadTokenizer, specialFrame } from './tokenizer';

const TOK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/tokenizers');

type Case = { text: string; ids: number[]; ids_no_special: number[]; fast_ids: number[]; fast_ids_no_special: number[] };
const cases = (name: string) => (JSON.parse(readFileSync(join(TOK, name, 'expected.json'), 'utf8')) as { cases: Case[] }).cases;

// llama-2: transformers.js behaves like the Rust fast tokenizer (= slow legacy=True), see fixtures README.
const REFERENCE: Array<[string, 'ids' | 'fast_ids']> = [
  ['bert-base-uncased', 'ids'],
  ['gpt2', 'ids'],
  ['llama-2', 'fast_ids'],
];

describe.each(REFERENCE)('%s reference ids', (name, column) => {
  it(`matches ${column} and ${column === 'ids' ? 'ids_no_special' : 'fast_ids_no_special'} for all 32 texts`, async () => {
    const tok = await loadTokenizer({ localPath: join(TOK, name) });
    const all = cases(name);
    expect(all).toHaveLength(32);
    const mismatches: string[] = [];
    for (const c of all) {
      const want = c[column];
      const wantNo = column === 'ids' ? c.ids_no_special : c.fast_ids_no_special;
      if (JSON.stringify(tok.encode(c.text)) !== JSON.stringify(want)) mismatches.push(`with specials: ${JSON.stringify(c.text)}`);
      if (JSON.stringify(tok.encode(c.text, { add_special_tokens: false })) !== JSON.stringify(wantNo)) {
        mismatches.push(`no specials: ${JSON.stringify(c.text)}`);
      }
      // encodeOne with a large limit is the plain encoding
      expect(encodeOne(tok, c.text, 100_000)).toEqual(want);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('encodeBatch', () => {
  it('pads right to the longest row, masks padding, truncates keeping [CLS]/[SEP]', async () => {
    const tok = await loadTokenizer({ localPath: join(TOK, 'bert-base-uncased') });
    expect(specialFrame(tok)).toEqual({ prefix: [101], suffix: [102] });
    const texts = ['Hello, world!', 'hi', 'the quick brown fox jumps over the lazy dog again and again'];
    const b = encodeBatch(tok, texts, 8);
    expect(b.B).toBe(3);
    expect(b.T).toBe(8);
    expect(b.lengths).toEqual([6, 3, 8]);
    const row = (a: Int32Array, i: number) => Array.from(a.subarray(i * b.T, (i + 1) * b.T));
    expect(row(b.inputIds, 0)).toEqual([101, 7592, 1010, 2088, 999, 102, 0, 0]);
    expect(row(b.attentionMask, 0)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(row(b.inputIds, 1)).toEqual([101, 7632, 102, 0, 0, 0, 0, 0]);
    const long = row(b.inputIds, 2);
    expect(long[0]).toBe(101);
    expect(long[7]).toBe(102);
    expect(long.slice(1, 7)).toEqual(tok.encode(texts[2], { add_special_tokens: false }).slice(0, 6));
    expect(Array.from(b.tokenTypeIds).every((v) => v === 0)).toBe(true);
    expect(b.inputIds).toHaveLength(24);
  });

  it('pads only to the batch longest when all rows are short, and handles an empty batch', async () => {
    const tok = await loadTokenizer({ localPath: join(TOK, 'bert-base-uncased') });
    const b = encodeBatch(tok, ['a', 'a b'], 128);
    expect([b.B, b.T, b.lengths]).toEqual([2, 4, [3, 4]]);
    expect(encodeBatch(tok, [], 16)).toMatchObject({ B: 0, T: 0, lengths: [] });
    expect(() => encodeBatch(tok, ['a b c'], 1)).toThrow(/special tokens/);
  });

  it('gpt2 (no special tokens) pads with eos and truncates plainly; llama keeps <s>', async () => {
    const gpt2 = await loadTokenizer({ localPath: join(TOK, 'gpt2') });
    expect(specialFrame(gpt2)).toEqual({ prefix: [], suffix: [] });
    const g = encodeBatch(gpt2, ['Hello world, this is long', 'Hi'], 3);
    expect(g.T).toBe(3);
    expect(Array.from(g.inputIds.subarray(0, 3))).toEqual(gpt2.encode('Hello world, this is long').slice(0, 3));
    expect(g.inputIds[4]).toBe(50256); // pad falls back to <|endoftext|>
    const llama = await loadTokenizer({ localPath: join(TOK, 'llama-2') });
    expect(specialFrame(llama)).toEqual({ prefix: [1], suffix: [] });
    const l = encodeBatch(llama, ['Hello world, this is a long sentence'], 4);
    expect(l.inputIds[0]).toBe(1);
    expect(l.lengths).toEqual([4]);
  });
});
