// Instruction and domain-text data for causal-LM fine-tuning: detects the format from a CSV header or JSONL
// records (prompt/completion, Alpaca instruction/input/output, question/answer, chat `messages`), parses JSONL
// (or a JSON array) with per-line errors, and splits plain text into documents. Returns typed examples and
// row-level errors as values. Pure and synchronous (worker-safe): no DOM, no tfjs, no tokenizer.
import { err, ok, type Result } from '../lib/result';
import type { CsvTable, RowError } from './csv';
import { parseJsonl, type JsonlRecord } from './jsonRecords';

export type ChatRole = 'system' | 'user' | 'assistant';
export type ChatMessage = { role: ChatRole; content: string };

/**
 * One training example. `row` is the 1-based data record (CSV record or JSONL line) it came from.
 * prompt-completion: the model learns `completion` given `prompt` (Alpaca: prompt = instruction, then a blank
 * line and the input when there is one). chat: the last message is the assistant turn to learn.
 * text: unlabeled domain text for continued pre-training.
 */
export type InstructionExample =
  | { kind: 'prompt-completion'; prompt: string; completion: string; row: number }
  | { kind: 'chat'; messages: ChatMessage[]; row: number }
  | { kind: 'text'; text: string; row: number };

export type InstructionFormat =
  | { kind: 'prompt-completion'; style: 'prompt-completion' | 'question-answer'; promptColumn: string; completionColumn: string }
  | { kind: 'prompt-completion'; style: 'alpaca'; instructionColumn: string; inputColumn: string | null; outputColumn: string }
  | { kind: 'chat'; messagesField: string }
  | { kind: 'text'; textColumn: string };

export type InstructionDataset = {
  format: InstructionFormat;
  examples: InstructionExample[];
  /** Records left out (missing or empty fields, bad JSON, bad messages), one entry per problem. */
  errors: RowError[];
};

/**
 * Column-name pairs recognized for prompt/completion data, in priority order (case-insensitive, trimmed, spaces
 * and dashes read as underscores). Alpaca is instruction + output (+ optional input), checked first.
 */
export const PROMPT_COMPLETION_NAMES: ReadonlyArray<{ style: 'prompt-completion' | 'question-answer'; prompt: string; completion: string }> = [
  { style: 'prompt-completion', prompt: 'prompt', completion: 'completion' },
  { style: 'prompt-completion', prompt: 'prompt', completion: 'response' },
  { style: 'prompt-completion', prompt: 'instruction', completion: 'response' },
  { style: 'prompt-completion', prompt: 'input', completion: 'output' },
  { style: 'prompt-completion', prompt: 'input', completion: 'target' },
  { style: 'prompt-completion', prompt: 'source', completion: 'target' },
  { style: 'question-answer', prompt: 'question', completion: 'answer' },
  { style: 'question-answer', prompt: 'query', completion: 'response' },
];
export const ALPACA_NAMES = { instruction: 'instruction', input: 'input', output: 'output' } as const;
export const CHAT_FIELDS = ['messages', 'conversations'] as const;
export const TEXT_COLUMN_NAMES = ['text', 'content', 'document', 'body'] as const;

const norm = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * The instruction format implied by column names (a CSV header, or the keys of JSONL records), or null.
 * Chat (`messages` / `conversations`) wins over columns; then Alpaca, then the prompt/completion pairs, then a
 * lone text column (domain text). `textColumn` forces domain text from that column.
 */
export function detectInstructionFormat(columns: readonly string[], options: { textColumn?: string } = {}): InstructionFormat | null {
  const byNorm = new Map<string, string>();
  for (const c of columns) if (!byNorm.has(norm(c))) byNorm.set(norm(c), c);
  const find = (name: string) => byNorm.get(name) ?? null;
  if (options.textColumn !== undefined) {
    const c = columns.find((x) => x === options.textColumn) ?? find(norm(options.textColumn));
    return c === null || c === undefined ? null : { kind: 'text', textColumn: c };
  }
  for (const f of CHAT_FIELDS) {
    const c = find(f);
    if (c) return { kind: 'chat', messagesField: c };
  }
  const instruction = find(ALPACA_NAMES.instruction);
  const output = find(ALPACA_NAMES.output);
  if (instruction && output)
    return { kind: 'prompt-completion', style: 'alpaca', instructionColumn: instruction, inputColumn: find(ALPACA_NAMES.input), outputColumn: output };
  for (const p of PROMPT_COMPLETION_NAMES) {
    const prompt = find(p.prompt);
    const completion = find(p.completion);
    if (prompt && completion) return { kind: 'prompt-completion', style: p.style, promptColumn: prompt, completionColumn: completion };
  }
  for (const t of TEXT_COLUMN_NAMES) {
    const c = find(t);
    if (c) return { kind: 'text', textColumn: c };
  }
  return null;
}

function noFormatMessage(columns: readonly string[]): string {
  const found = columns.length > 0 ? columns.map((c) => JSON.stringify(c)).join(', ') : 'none';
  return (
    `No instruction format recognized (columns/keys found: ${found}). Use prompt + completion, instruction + input + output ` +
    '(Alpaca), question + answer (or another pair: prompt/response, input/output, query/response), chat JSONL with ' +
    '"messages": [{"role", "content"}], or a "text" column for domain text.'
  );
}

/** Alpaca prompt: the instruction, then a blank line and the input when it is not empty. */
export const alpacaPrompt = (instruction: string, input: string) => (input.trim() === '' ? instruction : `${instruction}\n\n${input}`);

type Getter = (field: string) => unknown;

/** One record to an example under `format`, or the reason it is unusable. */
function toExample(format: InstructionFormat, get: Getter, row: number): Result<InstructionExample, string> {
  const str = (field: string): Result<string, string> => {
    const v = get(field);
    if (v === undefined || v === null) return err(`"${field}" is missing`);
    if (typeof v === 'number' || typeof v === 'boolean') return ok(String(v));
    if (typeof v !== 'string') return err(`"${field}" is not text`);
    return ok(v);
  };
  const nonEmpty = (field: string): Result<string, string> => {
    const v = str(field);
    if (!v.ok) return v;
    return v.value.trim() === '' ? err(`"${field}" is empty`) : v;
  };
  switch (format.kind) {
    case 'text': {
      const t = nonEmpty(format.textColumn);
      return t.ok ? ok({ kind: 'text', text: t.value, row }) : t;
    }
    case 'chat': {
      const m = parseMessages(get(format.messagesField));
      return m.ok ? ok({ kind: 'chat', messages: m.value, row }) : err(`"${format.messagesField}": ${m.error}`);
    }
    case 'prompt-completion': {
      if (format.style === 'alpaca') {
        const instruction = nonEmpty(format.instructionColumn);
        if (!instruction.ok) return instruction;
        const output = nonEmpty(format.outputColumn);
        if (!output.ok) return output;
        const input = format.inputColumn === null ? ok('') : str(format.inputColumn);
        const inputText = input.ok ? input.value : ''; // a missing optional input is an empty input
        return ok({ kind: 'prompt-completion', prompt: alpacaPrompt(instruction.value, inputText), completion: output.value, row });
      }
      const prompt = nonEmpty(format.promptColumn);
      if (!prompt.ok) return prompt;
      const completion = nonEmpty(format.completionColumn);
      if (!completion.ok) return completion;
      return ok({ kind: 'prompt-completion', prompt: prompt.value, completion: completion.value, row });
    }
  }
}

const ROLE_ALIASES: Record<string, ChatRole> = {
  system: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  model: 'assistant',
  bot: 'assistant',
};

/**
 * Chat messages: a non-empty array of {role, content} (ShareGPT {from, value} also read); roles system/user/
 * assistant (human/gpt/model/bot mapped), at most one leading system message, and the last message from the assistant.
 */
export function parseMessages(value: unknown): Result<ChatMessage[], string> {
  if (!Array.isArray(value)) return err('expected an array of {"role", "content"} messages');
  if (value.length === 0) return err('the conversation is empty');
  const out: ChatMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const m = value[i] as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return err(`message ${i + 1} is not an object`);
    const rawRole = m.role ?? m.from;
    const content = m.content ?? m.value;
    if (typeof rawRole !== 'string') return err(`message ${i + 1} has no "role"`);
    const role = ROLE_ALIASES[rawRole.trim().toLowerCase()];
    if (!role) return err(`message ${i + 1} has role ${JSON.stringify(rawRole)} (expected system, user or assistant)`);
    if (typeof content !== 'string') return err(`message ${i + 1} has no text "content"`);
    if (role === 'system' && i > 0) return err(`message ${i + 1}: a system message may only come first`);
    out.push({ role, content });
  }
  if (out[out.length - 1].role !== 'assistant') return err('the last message must be from the assistant (the reply to learn)');
  if (!out.some((m) => m.role === 'user')) return err('the conversation has no user message');
  if (out[out.length - 1].content.trim() === '') return err('the last assistant message is empty');
  return ok(out);
}

/** Examples from a parsed CSV table (csv.ts). Format auto-detected from the header unless given. */
export function instructionDataFromCsv(table: CsvTable, options: { format?: InstructionFormat; textColumn?: string } = {}): Result<InstructionDataset, string> {
  const format = options.format ?? detectInstructionFormat(table.header, { textColumn: options.textColumn });
  if (!format) return err(noFormatMessage(table.header));
  if (format.kind === 'chat') return err('Chat data (a "messages" column) must be JSONL: one JSON object per line with "messages": [{"role", "content"}].');
  const index = new Map(table.header.map((h, i) => [h, i]));
  const examples: InstructionExample[] = [];
  const errors: RowError[] = [...table.errors];
  table.rows.forEach((cells, i) => {
    const row = table.rowNumbers[i] ?? i + 1;
    const r = toExample(format, (f) => (index.has(f) ? cells[index.get(f)!] : undefined), row);
    if (r.ok) examples.push(r.value);
    else errors.push({ row, message: `row ${row}: ${r.error}` });
  });
  if (examples.length === 0)
    return err(
      `No usable examples: ${
        errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ') || 'the file has no data rows'
      }.`,
    );
  return ok({ format, examples, errors });
}

export { parseJsonl, type JsonlRecord } from './jsonRecords';

/** Examples from JSONL text; the format is detected from the keys of the first valid records unless given. */
export function instructionDataFromJsonl(text: string, options: { format?: InstructionFormat; textColumn?: string } = {}): Result<InstructionDataset, string> {
  if (text.trim() === '') return err('The file is empty. Choose a JSONL file with one JSON object per line.');
  const { records, errors } = parseJsonl(text);
  if (records.length === 0)
    return err(
      `No JSON objects found: ${errors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ')}.`,
    );
  const majority = options.format ? null : majorityFormat(records, options.textColumn);
  const format = options.format ?? majority?.format ?? null;
  if (!format) {
    const keys = [...new Set(records.slice(0, 20).flatMap((r) => Object.keys(r.value)))];
    return err(noFormatMessage(keys));
  }
  const examples: InstructionExample[] = [];
  const allErrors = [...errors];
  for (const r of records) {
    const own = majority?.formats.get(r);
    if (own !== undefined && own !== null && own.kind !== format.kind) {
      allErrors.push({ row: r.line, message: `line ${r.line}: this line is ${describeKind(own)} but most lines are ${describeKind(format)}; it was left out` });
      continue;
    }
    const ex = toExample(format, (f) => r.value[f], r.line);
    if (ex.ok) examples.push(ex.value);
    else allErrors.push({ row: r.line, message: `line ${r.line}: ${ex.error}` });
  }
  allErrors.sort((a, b) => a.row - b.row);
  if (examples.length === 0)
    return err(
      `No usable examples: ${allErrors
        .slice(0, 3)
        .map((e) => e.message)
        .join('; ')}.`,
    );
  return ok({ format, examples, errors: allErrors });
}

const describeKind = (f: InstructionFormat) => (f.kind === 'chat' ? 'chat ("messages")' : f.kind === 'text' ? 'domain text' : 'prompt/completion');

/**
 * The format most records have, by each record's own keys (so a few chat lines in a prompt/completion file
 * do not flip the whole file to chat); ties go to the first record's format.
 */
function majorityFormat(records: readonly JsonlRecord[], textColumn?: string) {
  const formats = new Map<JsonlRecord, InstructionFormat | null>();
  const tally = new Map<string, { format: InstructionFormat; count: number }>();
  for (const r of records) {
    const f = detectInstructionFormat(Object.keys(r.value), { textColumn });
    formats.set(r, f);
    if (!f) continue;
    const key = JSON.stringify(f);
    const t = tally.get(key) ?? { format: f, count: 0 };
    t.count++;
    tally.set(key, t);
  }
  let best: { format: InstructionFormat; count: number } | null = null;
  for (const t of tally.values()) if (!best || t.count > best.count) best = t;
  return { format: best?.format ?? null, formats };
}

export type TextSplit = 'paragraphs' | 'lines' | 'whole';

/**
 * Domain text from a .txt file: 'paragraphs' (default) splits on blank lines, 'lines' on every line break,
 * 'whole' keeps one document. Documents are trimmed of surrounding blank lines; empty ones are dropped.
 * `row` is the 1-based line where each document starts.
 */
export function textDocuments(text: string, split: TextSplit = 'paragraphs'): Result<InstructionDataset, string> {
  const body = (text.startsWith('\ufeff') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  if (body.trim() === '') return err('The text file is empty.');
  const examples: InstructionExample[] = [];
  const lines = body.split('\n');
  if (split === 'whole') {
    const first = lines.findIndex((l) => l.trim() !== '');
    examples.push({ kind: 'text', text: body.trim(), row: first + 1 });
  } else if (split === 'lines') {
    lines.forEach((l, i) => {
      if (l.trim() !== '') examples.push({ kind: 'text', text: l.trim(), row: i + 1 });
    });
  } else {
    let start = -1;
    const flush = (end: number) => {
      if (start >= 0) examples.push({ kind: 'text', text: lines.slice(start, end).join('\n').trim(), row: start + 1 });
      start = -1;
    };
    lines.forEach((l, i) => {
      if (l.trim() === '') flush(i);
      else if (start < 0) start = i;
    });
    flush(lines.length);
  }
  return ok({ format: { kind: 'text', textColumn: '(text file)' }, examples, errors: [] });
}

/** Chat messages for any example: prompt-completion becomes one user turn and one assistant turn. */
export function exampleMessages(example: InstructionExample): ChatMessage[] {
  switch (example.kind) {
    case 'chat':
      return example.messages;
    case 'prompt-completion':
      return [
        { role: 'user', content: example.prompt },
        { role: 'assistant', content: example.completion },
      ];
    case 'text':
      throw new Error('assertion failed: domain text has no messages');
  }
}

/**
 * The prompt side of an example as one string (every message but the last, role-tagged for chat), for the data
 * audit: duplicate prompts and prompts shared between train and validation. Domain text: the text itself.
 */
export function promptKey(example: InstructionExample): string {
  if (example.kind === 'text') return example.text;
  if (example.kind === 'prompt-completion') return example.prompt;
  return example.messages
    .slice(0, -1)
    .map((m) => `${m.role}: ${m.content}`)
    .join('\n');
}
