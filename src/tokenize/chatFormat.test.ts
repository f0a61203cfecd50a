// Tests for tokenize/chatFormat.ts and tokenize/lmTokenize.ts on the shared fixture tokenizers (gpt2, llama-2):
// plain template fallback, an explicit template, a tokenizer_config.json with its own chat_template (temp dir),
// prompt masking, EOS, truncation flags, packing, collation, and the exported template file.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InstructionExample } from '../data/instructionData';
import { chatTemplateFile, formatExample, formatGenerationPrompt, PLAIN_CHAT_TEMPLATE, resolveChatTemplate, type ChatTemplateChoice } from './chatFormat';
import { collateLmRows, IGNORE_INDEX, maskPromptLabels, packTextBlocks, tokenizePromptCompletion } from './lmTokenize';
import { loadTokenizer, type PreTrainedTokenizer } from './tokenizer';

const TOK = '/work/shared/fixtures/tokenizers';
/** A Zephyr-style template: role tags, EOS after each message, a newline after it. */
const ZEPHYR =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

const qa: InstructionExample = { kind: 'prompt-completion', prompt: 'What is the capital of France?', completion: 'Paris', row: 1 };
const chat: InstructionExample = {
  kind: 'chat',
  row: 2,
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'Name a colour.' },
    { role: 'assistant', content: 'Blue.' },
  ],
};

let gpt2: PreTrainedTokenizer;
let llama: PreTrainedTokenizer;
let llamaWithTemplate: PreTrainedTokenizer;

beforeAll(async () => {
  gpt2 = await loadTokenizer({ localPath: join(TOK, 'gpt2') });
  llama = await loadTokenizer({ localPath: join(TOK, 'llama-2') });
  // A tokenizer whose tokenizer_config.json carries a chat_template (the llama-2 fixture has none).
  const dir = mkdtempSync(join(tmpdir(), 'chat-template-'));
  copyFileSync(join(TOK, 'llama-2', 'tokenizer.json'), join(dir, 'tokenizer.json'));
  const config = JSON.parse(readFileSync(join(TOK, 'llama-2', 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, chat_template: ZEPHYR }));
  llamaWithTemplate = await loadTokenizer({ localPath: dir });
});

const formatted = (tok: PreTrainedTokenizer, ex: InstructionExample, choice: ChatTemplateChoice) => {
  const r = formatExample(tok, ex, choice);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('resolveChatTemplate / formatExample', () => {
  it('falls back to the plain template for tokenizers without chat_template (gpt2, llama-2)', () => {
    for (const tok of [gpt2, llama]) expect(resolveChatTemplate(tok)).toEqual({ source: 'plain', template: PLAIN_CHAT_TEMPLATE });
    expect(resolveChatTemplate(llamaWithTemplate)).toEqual({ source: 'tokenizer', template: ZEPHYR });
    expect(resolveChatTemplate(llamaWithTemplate, { forcePlain: true }).source).toBe('plain');
    expect(resolveChatTemplate(gpt2, { chatTemplate: ZEPHYR })).toEqual({ source: 'explicit', template: ZEPHYR });
  });

  it('renders the documented plain template', () => {
    const plain = resolveChatTemplate(gpt2);
    expect(formatted(gpt2, qa, plain)).toEqual({
      promptText: '### Instruction:\nWhat is the capital of France?\n\n### Response:\n',
      completionText: 'Paris<|endoftext|>',
    });
    expect(formatted(llama, chat, resolveChatTemplate(llama))).toEqual({
      promptText: 'Answer briefly.\n\n### Instruction:\nHi\n\n### Response:\nHello!</s>\n\n### Instruction:\nName a colour.\n\n### Response:\n',
      completionText: 'Blue.</s>',
    });
    expect(formatGenerationPrompt(gpt2, [{ role: 'user', content: 'Hi' }], plain)).toBe('### Instruction:\nHi\n\n### Response:\n');
  });

  it("uses the tokenizer's own chat_template, and an explicitly passed one identically", () => {
    const own = formatted(llamaWithTemplate, qa, resolveChatTemplate(llamaWithTemplate));
    expect(own).toEqual({
      promptText: '<|user|>\nWhat is the capital of France?</s>\n<|assistant|>\n',
      completionText: 'Paris</s>', // the newline the template writes after EOS is dropped
    });
    expect(formatted(gpt2, qa, resolveChatTemplate(gpt2, { chatTemplate: ZEPHYR }))).toEqual({
      promptText: '<|user|>\nWhat is the capital of France?<|endoftext|>\n<|assistant|>\n',
      completionText: 'Paris<|endoftext|>',
    });
  });

  it('reports a template that raises, and refuses domain text', () => {
    const raising = { source: 'explicit' as const, template: "{{ raise_exception('roles must alternate') }}" };
    const r = formatExample(gpt2, qa, raising);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^row 1: the chat template failed: .*roles must alternate/);
    expect(formatExample(gpt2, { kind: 'text', text: 'x', row: 3 }, resolveChatTemplate(gpt2)).ok).toBe(false);
  });
});

describe('tokenizePromptCompletion', () => {
  it('masks the prompt, keeps the template EOS once (gpt2, plain template)', () => {
    const { promptText, completionText } = formatted(gpt2, qa, resolveChatTemplate(gpt2));
    const row = tokenizePromptCompletion(gpt2, promptText, completionText, { maxLength: 64, addSpecialTokens: true });
    const promptIds = gpt2.encode(promptText);
    expect(row.inputIds).toEqual([...promptIds, ...gpt2.encode('Paris'), 50256]);
    expect(row.promptLength).toBe(promptIds.length);
    expect(row.completionLength).toBe(2);
    expect(row.labels).toEqual([...promptIds.map(() => IGNORE_INDEX), ...gpt2.encode('Paris'), 50256]);
    expect([row.truncated, row.promptCut, row.completionCut]).toEqual([false, false, false]);
    const all = tokenizePromptCompletion(gpt2, promptText, completionText, { maxLength: 64, addSpecialTokens: true, trainOnPrompt: true });
    expect(all.labels).toEqual(all.inputIds);
  });

  it('adds BOS for the plain template on llama and appends EOS when the completion lacks one', () => {
    const row = tokenizePromptCompletion(llama, 'Q: 2+2?\nA:', ' 4', { maxLength: 64, addSpecialTokens: true });
    expect(row.inputIds[0]).toBe(1);
    expect(row.inputIds[row.inputIds.length - 1]).toBe(2);
    expect(row.inputIds).toEqual([...llama.encode('Q: 2+2?\nA: 4'), 2]);
    expect(row.labels.slice(0, row.promptLength).every((l) => l === IGNORE_INDEX)).toBe(true);
    expect(row.labels.slice(row.promptLength)).toEqual(row.inputIds.slice(row.promptLength));
  });

  it('does not add special tokens for a chat template (its rendering has them)', () => {
    const { promptText, completionText } = formatted(llamaWithTemplate, qa, resolveChatTemplate(llamaWithTemplate));
    const row = tokenizePromptCompletion(llamaWithTemplate, promptText, completionText, { maxLength: 64, addSpecialTokens: false });
    expect(row.inputIds[0]).not.toBe(1);
    expect(row.inputIds.filter((id) => id === 2)).toHaveLength(2); // EOS after the user turn (prompt) and after the reply
    expect(row.inputIds[row.inputIds.length - 1]).toBe(2);
    expect(row.inputIds).toEqual(llamaWithTemplate.encode(promptText + completionText, { add_special_tokens: false }));
  });

  it('flags rows whose completion or EOS is cut, and prompt-start truncation keeps them', () => {
    const prompt = 'word '.repeat(20);
    const base = tokenizePromptCompletion(gpt2, prompt, 'the end', { maxLength: 100, addSpecialTokens: true });
    expect(base.completionCut).toBe(false);
    const L = base.inputIds.length;
    const eosCut = tokenizePromptCompletion(gpt2, prompt, 'the end', { maxLength: L - 1, addSpecialTokens: true });
    expect([eosCut.truncated, eosCut.completionCut, eosCut.promptCut]).toEqual([true, true, false]);
    expect(eosCut.inputIds).toEqual(base.inputIds.slice(0, L - 1));
    expect(eosCut.fullLength).toBe(L);
    const allCut = tokenizePromptCompletion(gpt2, prompt, 'the end', { maxLength: 5, addSpecialTokens: true });
    expect([allCut.completionLength, allCut.completionCut, allCut.promptCut]).toEqual([0, true, true]);
    expect(allCut.labels.every((l) => l === IGNORE_INDEX)).toBe(true);
    const kept = tokenizePromptCompletion(llama, prompt, 'the end', { maxLength: 8, addSpecialTokens: true, truncation: 'prompt-start' });
    expect(kept.inputIds).toHaveLength(8);
    expect(kept.inputIds[0]).toBe(1); // BOS survives
    expect(kept.inputIds[7]).toBe(2); // EOS survives
    expect([kept.truncated, kept.promptCut, kept.completionCut]).toEqual([true, true, false]);
  });
});

describe('maskPromptLabels / collateLmRows / packTextBlocks', () => {
  it('masks, pads right with -100 labels', () => {
    expect(maskPromptLabels([5, 6, 7, 8], 2)).toEqual([IGNORE_INDEX, IGNORE_INDEX, 7, 8]);
    const b = collateLmRows(
      [
        { inputIds: [1, 2, 3], labels: [IGNORE_INDEX, 2, 3] },
        { inputIds: [4], labels: [4] },
      ],
      0,
    );
    expect([b.B, b.T]).toEqual([2, 3]);
    expect(Array.from(b.inputIds)).toEqual([1, 2, 3, 4, 0, 0]);
    expect(Array.from(b.attentionMask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(b.labels)).toEqual([IGNORE_INDEX, 2, 3, 4, IGNORE_INDEX, IGNORE_INDEX]);
  });

  it('packs documents with EOS separators into fixed blocks (gpt2 and llama BOS)', () => {
    const docs = ['The cat sat on the mat.', 'Dogs bark loudly at night.', 'Fish swim.'];
    const stream = docs.flatMap((d) => [...gpt2.encode(d), 50256]);
    const packed = packTextBlocks(gpt2, docs, 8);
    expect(packed.totalTokens).toBe(stream.length);
    expect(packed.blocks.flatMap((b) => b.inputIds)).toEqual(stream);
    expect(packed.blocks.slice(0, -1).every((b) => b.inputIds.length === 8)).toBe(true);
    expect(packed.blocks.every((b) => JSON.stringify(b.labels) === JSON.stringify(b.inputIds))).toBe(true);
    const dropped = packTextBlocks(gpt2, docs, 8, { dropRemainder: true });
    expect(dropped.blocks.every((b) => b.inputIds.length === 8)).toBe(true);
    expect(dropped.droppedTokens).toBe(stream.length % 8);
    const l = packTextBlocks(llama, ['a b', 'c'], 4);
    expect(l.blocks.flatMap((b) => b.inputIds)).toEqual([...llama.encode('a b'), 2, ...llama.encode('c'), 2]);
  });
});

describe('chatTemplateFile', () => {
  it('exports the template used, and re-applying the file reproduces the formatting', () => {
    const plainFile = chatTemplateFile(resolveChatTemplate(gpt2));
    expect(plainFile.fileName).toBe('chat_template.jinja');
    expect(plainFile.source).toBe('plain');
    expect(plainFile.content).toBe(PLAIN_CHAT_TEMPLATE);
    expect(plainFile.note).toMatch(/plain template/);
    const own = chatTemplateFile(resolveChatTemplate(llamaWithTemplate));
    expect(own.content).toBe(ZEPHYR);
    expect(own.note).toMatch(/own chat_template/);
    // The exported content used as an explicit template gives the same strings as the original choice.
    for (const [tok, file] of [
      [gpt2, plainFile],
      [llamaWithTemplate, own],
    ] as const) {
      const again = resolveChatTemplate(tok, { chatTemplate: file.content });
      expect(formatted(tok, chat, again)).toEqual(formatted(tok, chat, resolveChatTemplate(tok)));
    }
  });
});
