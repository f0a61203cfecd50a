// A tokenizer built from tokenizer.json + tokenizer_config.json objects (the local-folder path) encodes the reference
// texts exactly as the fixtures' expected.json, for WordPiece, byte-level BPE and Llama's SentencePiece-style BPE.
import { readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tokenizerFromJson } from './tokenizerFromFiles';

const TOK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/tokenizers');
const json = (name: string, file: string) => JSON.parse(readFileSync(join(TOK, name, file), 'utf8'));

describe.each([
  ['bert-base-uncased', 'ids', 'BertTokenizer'],
  ['gpt2', 'ids', 'GPT2Tokenizer'],
  ['llama-2', 'fast_ids', 'LlamaTokenizer'],
] as const)('%s from JSON objects', (name, column, cls) => {
  it(`is a ${cls} and matches the reference ${column}`, () => {
    const tok = tokenizerFromJson(json(name, 'tokenizer.json'), json(name, 'tokenizer_config.json'));
    expect(tok.constructor.name).toBe(cls);
    const cases = json(name, 'expected.json').cases as Array<Record<string, unknown> & { text: string }>;
    const bad = cases.filter((c) => JSON.stringify(tok.encode(c.text)) !== JSON.stringify(c[column]));
    expect(bad.map((c) => c.text)).toEqual([]);
  });
});
