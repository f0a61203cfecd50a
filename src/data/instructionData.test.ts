// Table-driven tests for data/instructionData.ts: format detection from headers/keys, CSV and JSONL examples with
// per-row errors, chat message validation, domain text splitting, and the audit key.
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import {
  detectInstructionFormat,
  exampleMessages,
  instructionDataFromCsv,
  instructionDataFromJsonl,
  parseJsonl,
  parseMessages,
  promptKey,
  textDocuments,
  type InstructionFormat,
} from './instructionData';

describe('detectInstructionFormat', () => {
  const cases: Array<[string, string[], InstructionFormat | null]> = [
    [
      'prompt/completion',
      ['prompt', 'completion'],
      { kind: 'prompt-completion', style: 'prompt-completion', promptColumn: 'prompt', completionColumn: 'completion' },
    ],
    [
      'case and spaces',
      [' Prompt ', 'COMPLETION'],
      { kind: 'prompt-completion', style: 'prompt-completion', promptColumn: ' Prompt ', completionColumn: 'COMPLETION' },
    ],
    [
      'prompt/response',
      ['id', 'prompt', 'response'],
      { kind: 'prompt-completion', style: 'prompt-completion', promptColumn: 'prompt', completionColumn: 'response' },
    ],
    [
      'alpaca',
      ['instruction', 'input', 'output'],
      { kind: 'prompt-completion', style: 'alpaca', instructionColumn: 'instruction', inputColumn: 'input', outputColumn: 'output' },
    ],
    [
      'alpaca without input',
      ['Instruction', 'Output'],
      { kind: 'prompt-completion', style: 'alpaca', instructionColumn: 'Instruction', inputColumn: null, outputColumn: 'Output' },
    ],
    ['input/output only', ['input', 'output'], { kind: 'prompt-completion', style: 'prompt-completion', promptColumn: 'input', completionColumn: 'output' }],
    [
      'question/answer',
      ['Question', 'Answer', 'source'],
      { kind: 'prompt-completion', style: 'question-answer', promptColumn: 'Question', completionColumn: 'Answer' },
    ],
    ['chat messages', ['messages', 'id'], { kind: 'chat', messagesField: 'messages' }],
    ['sharegpt', ['conversations'], { kind: 'chat', messagesField: 'conversations' }],
    ['domain text', ['text'], { kind: 'text', textColumn: 'text' }],
    ['text + label is not instruction data but has text', ['text', 'label'], { kind: 'text', textColumn: 'text' }],
    ['nothing', ['foo', 'bar'], null],
    ['empty', [], null],
  ];
  it.each(cases)('%s', (_, columns, want) => {
    expect(detectInstructionFormat(columns)).toEqual(want);
  });
  it('forces a text column', () => {
    expect(detectInstructionFormat(['prompt', 'completion', 'notes'], { textColumn: 'notes' })).toEqual({ kind: 'text', textColumn: 'notes' });
    expect(detectInstructionFormat(['a'], { textColumn: 'zzz' })).toBeNull();
  });
});

describe('instructionDataFromCsv', () => {
  const csv = (text: string) => {
    const t = parseCsv(text);
    if (!t.ok) throw new Error(t.error.message);
    return t.value;
  };
  it('reads prompt/completion rows and reports empty cells per row', () => {
    const r = instructionDataFromCsv(csv('prompt,completion\n"what is 2+2?",4\n,"no prompt"\n"hi, there",hello\n"x",""\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.examples).toEqual([
      { kind: 'prompt-completion', prompt: 'what is 2+2?', completion: '4', row: 1 },
      { kind: 'prompt-completion', prompt: 'hi, there', completion: 'hello', row: 3 },
    ]);
    expect(r.value.errors).toEqual([
      { row: 2, message: 'row 2: "prompt" is empty' },
      { row: 4, message: 'row 4: "completion" is empty' },
    ]);
  });
  it('joins the Alpaca instruction and input with a blank line', () => {
    const r = instructionDataFromCsv(csv('instruction,input,output\nTranslate to French,cat,chat\nSay hi,,hi\n'));
    expect(r.ok && r.value.examples.map((e) => (e.kind === 'prompt-completion' ? [e.prompt, e.completion] : null))).toEqual([
      ['Translate to French\n\ncat', 'chat'],
      ['Say hi', 'hi'],
    ]);
  });
  it('reads a text column as domain text', () => {
    const r = instructionDataFromCsv(csv('text,source\nFirst document.,a\nSecond one.,b\n'));
    expect(r.ok && r.value.examples).toEqual([
      { kind: 'text', text: 'First document.', row: 1 },
      { kind: 'text', text: 'Second one.', row: 2 },
    ]);
  });
  it.each([
    ['unknown columns', 'foo,bar\n1,2\n', /No instruction format recognized \(columns\/keys found: "foo", "bar"\)/],
    ['all rows empty', 'question,answer\n,\n,\n', /No usable examples: row 1: "question" is empty/],
    ['chat in CSV', 'messages,id\n[],1\n', /must be JSONL/],
  ])('errors clearly: %s', (_, text, re) => {
    const r = instructionDataFromCsv(csv(text));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(re);
  });
});

describe('parseJsonl', () => {
  it('reads objects, skips blank lines, reports bad lines by line number', () => {
    const { records, errors } = parseJsonl('\ufeff{"a":1}\r\n\n{bad json}\n[1,2]\n{"b":"x"}\n');
    expect(records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 5, value: { b: 'x' } },
    ]);
    expect(errors.map((e) => e.row)).toEqual([3, 4]);
    expect(errors[0].message).toMatch(/^line 3: invalid JSON/);
    expect(errors[1].message).toBe('line 4: expected a JSON object');
  });
  it('reads a JSON array file', () => {
    const { records, errors } = parseJsonl('[{"prompt":"a","completion":"b"}, 3]');
    expect(records).toEqual([{ line: 1, value: { prompt: 'a', completion: 'b' } }]);
    expect(errors).toEqual([{ row: 2, message: 'item 2: expected a JSON object' }]);
  });
});

describe('instructionDataFromJsonl', () => {
  it('reads chat messages and rejects bad conversations per line', () => {
    const lines = [
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
      },
      { messages: [{ role: 'user', content: 'Only a question' }] },
      {
        messages: [
          { role: 'robot', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      },
      { messages: 'not a list' },
      {
        messages: [
          { from: 'human', value: 'Q' },
          { from: 'gpt', value: 'A' },
        ],
      },
    ];
    const r = instructionDataFromJsonl(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.format).toEqual({ kind: 'chat', messagesField: 'messages' });
    expect(r.value.examples).toEqual([
      { kind: 'chat', row: 1, messages: lines[0].messages },
      {
        kind: 'chat',
        row: 5,
        messages: [
          { role: 'user', content: 'Q' },
          { role: 'assistant', content: 'A' },
        ],
      },
    ]);
    expect(r.value.errors.map((e) => e.message)).toEqual([
      'line 2: "messages": the last message must be from the assistant (the reply to learn)',
      'line 3: "messages": message 1 has role "robot" (expected system, user or assistant)',
      'line 4: "messages": expected an array of {"role", "content"} messages',
    ]);
  });
  it('reads Alpaca JSONL with a missing optional input and numbers as text', () => {
    const r = instructionDataFromJsonl('{"instruction":"Add","input":"2 and 3","output":5}\n{"instruction":"Greet","output":"hi"}\n');
    expect(r.ok && r.value.examples).toEqual([
      { kind: 'prompt-completion', prompt: 'Add\n\n2 and 3', completion: '5', row: 1 },
      { kind: 'prompt-completion', prompt: 'Greet', completion: 'hi', row: 2 },
    ]);
  });
  it.each([
    ['empty file', '  \n', /file is empty/],
    ['no objects', 'hello\nworld\n', /No JSON objects found: line 1: invalid JSON/],
    ['unknown keys', '{"x":1,"y":2}\n', /No instruction format recognized \(columns\/keys found: "x", "y"\)/],
    ['wrong field type', '{"prompt":{"a":1},"completion":"b"}\n', /No usable examples: line 1: "prompt" is not text/],
  ])('errors clearly: %s', (_, text, re) => {
    const r = instructionDataFromJsonl(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(re);
  });
});

describe('parseMessages', () => {
  it.each([
    [
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ],
      null,
    ],
    [[], 'the conversation is empty'],
    [[{ role: 'assistant', content: 'b' }], 'the conversation has no user message'],
    [
      [
        { role: 'user', content: 'a' },
        { role: 'system', content: 's' },
        { role: 'assistant', content: 'b' },
      ],
      'message 2: a system message may only come first',
    ],
    [
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '  ' },
      ],
      'the last assistant message is empty',
    ],
    [[{ role: 'user' }, { role: 'assistant', content: 'b' }], 'message 1 has no text "content"'],
    [[null], 'message 1 is not an object'],
  ])('%j -> %s', (value, error) => {
    const r = parseMessages(value);
    if (error === null) expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, error });
  });
});

describe('textDocuments', () => {
  const text = '\ufeffFirst para line 1\r\nline 2\r\n\r\n\r\nSecond para\n   \nThird\n';
  it.each([
    [
      'paragraphs',
      [
        ['First para line 1\nline 2', 1],
        ['Second para', 5],
        ['Third', 7],
      ],
    ],
    [
      'lines',
      [
        ['First para line 1', 1],
        ['line 2', 2],
        ['Second para', 5],
        ['Third', 7],
      ],
    ],
    ['whole', [['First para line 1\nline 2\n\n\nSecond para\n   \nThird', 1]]],
  ] as const)('%s', (split, want) => {
    const r = textDocuments(text, split);
    expect(r.ok && r.value.examples.map((e) => (e.kind === 'text' ? [e.text, e.row] : null))).toEqual(want);
  });
  it('rejects an empty file', () => {
    expect(textDocuments(' \n\n')).toEqual({ ok: false, error: 'The text file is empty.' });
  });
});

describe('exampleMessages / promptKey', () => {
  it('turns prompt-completion into a user and an assistant turn; the audit key is the prompt side', () => {
    const pc = { kind: 'prompt-completion' as const, prompt: 'P', completion: 'C', row: 1 };
    expect(exampleMessages(pc)).toEqual([
      { role: 'user', content: 'P' },
      { role: 'assistant', content: 'C' },
    ]);
    expect(promptKey(pc)).toBe('P');
    const chat = {
      kind: 'chat' as const,
      row: 1,
      messages: [
        { role: 'system' as const, content: 'S' },
        { role: 'user' as const, content: 'U' },
        { role: 'assistant' as const, content: 'A' },
      ],
    };
    expect(promptKey(chat)).toBe('system: S\nuser: U');
  });
});
