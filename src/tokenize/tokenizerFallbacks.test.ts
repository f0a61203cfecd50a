// Tokenizer fallbacks with the real GPT-2 tokenizer files: EOS/BOS from config.json when tokenizer_config.json lacks
// them (as openai-community/gpt2 ships), tokenizer.json alone, special_tokens_map.json, chat_template.jinja.
import { readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTokenizerFileSet, tokenizerFromFileSet, type TokenizerFileSet } from './tokenizerFallbacks';

const TOK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/tokenizers');
const json = (name: string, file: string) => JSON.parse(readFileSync(join(TOK, name, file), 'utf8')) as Record<string, unknown>;
const gpt2Json = json('gpt2', 'tokenizer.json');
const gpt2Config = { model_type: 'gpt2', bos_token_id: 50256, eos_token_id: 50256, vocab_size: 50257 };
const set = (over: Partial<TokenizerFileSet>): TokenizerFileSet => ({
  tokenizerJson: gpt2Json,
  tokenizerConfig: null,
  specialTokensMap: null,
  modelConfig: gpt2Config,
  generationConfig: null,
  chatTemplateJinja: null,
  ...over,
});

describe('tokenizer fallbacks', () => {
  it('GPT-2 as on the Hub (tokenizer_config.json = {model_max_length}): EOS/BOS from config.json, named', () => {
    const { tokenizer, notes } = tokenizerFromFileSet(set({ tokenizerConfig: { model_max_length: 1024 } }));
    expect(tokenizer.eos_token_id).toBe(50256);
    expect(tokenizer.eos_token).toBe('<|endoftext|>');
    expect(notes).toContain('EOS taken from config.json (id 50256, <|endoftext|>).');
    expect(notes).toContain('BOS taken from config.json (id 50256, <|endoftext|>).');
    expect(notes.some((n) => n.startsWith('No tokenizer_config.json'))).toBe(false);
    expect(tokenizer.encode('Hello world', { add_special_tokens: false })).toEqual([15496, 995]);
  });

  it('tokenizer.json alone is enough (class from model_type); nothing is invented that no file says', () => {
    const { tokenizer, notes } = tokenizerFromFileSet(set({ modelConfig: { model_type: 'gpt2' } }));
    expect(notes[0]).toBe('No tokenizer_config.json: tokenizer built from tokenizer.json alone.');
    expect(notes).toContain('Tokenizer class GPT2Tokenizer taken from config.json (model_type gpt2).');
    expect(tokenizer.constructor.name).toBe('GPT2Tokenizer');
    expect(tokenizer.eos_token_id ?? null).toBeNull();
  });

  it('special_tokens_map.json and generation_config.json fill in; tokenizer_config.json values win', () => {
    const fromMap = tokenizerFromFileSet(
      set({
        tokenizerConfig: {},
        specialTokensMap: { pad_token: { content: '<|endoftext|>' }, unk_token: '<|endoftext|>' },
        modelConfig: { model_type: 'gpt2' },
      }),
    );
    expect(fromMap.notes).toContain('PAD taken from special_tokens_map.json (<|endoftext|>).');
    expect(fromMap.tokenizer.pad_token_id).toBe(50256);
    const fromGen = tokenizerFromFileSet(set({ tokenizerConfig: {}, modelConfig: { model_type: 'gpt2' }, generationConfig: { eos_token_id: [50256] } }));
    expect(fromGen.notes).toContain('EOS taken from generation_config.json (id 50256, <|endoftext|>).');
    const own = tokenizerFromFileSet(set({ tokenizerConfig: json('gpt2', 'tokenizer_config.json') }));
    expect(own.notes.filter((n) => n.startsWith('EOS'))).toEqual([]);
  });

  it('chat_template.jinja becomes the chat template', () => {
    const jinja = "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}";
    const { tokenizer, notes } = tokenizerFromFileSet(set({ tokenizerConfig: { model_max_length: 1024 }, chatTemplateJinja: jinja }));
    expect(notes).toContain('Chat template read from chat_template.jinja.');
    expect(tokenizer.apply_chat_template([{ role: 'user', content: 'hi' }], { tokenize: false })).toBe('<|user|>hi');
  });

  it('readTokenizerFileSet needs tokenizer.json, parses the others, and names a broken file', async () => {
    expect(await readTokenizerFileSet(async () => null, null)).toBeNull();
    const files: Record<string, string> = { 'tokenizer.json': JSON.stringify(gpt2Json), 'chat_template.jinja': 'x' };
    const got = await readTokenizerFileSet(async (f) => files[f] ?? null, gpt2Config);
    expect(got?.tokenizerConfig).toBeNull();
    expect(got?.chatTemplateJinja).toBe('x');
    await expect(readTokenizerFileSet(async (f) => (f === 'tokenizer_config.json' ? '{oops' : (files[f] ?? null)), null)).rejects.toThrow(
      'tokenizer_config.json is not valid JSON',
    );
  });
});
