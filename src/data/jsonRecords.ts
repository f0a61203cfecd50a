// Reads JSON records from text in the shapes people actually save: JSON Lines, one JSON array, an object
// wrapping one array of records ({"data": [...]}), or pretty-printed objects one after another. Bad records
// become errors with the line they start on. Pure; never throws.
import { err, ok } from '../lib/result';
import { MAX_COLUMNS, tooManyColumns, type CsvParseResult, type RowError } from './csv';

export type JsonlRecord = { line: number; value: Record<string, unknown> };
export type JsonRecords = { records: JsonlRecord[]; errors: RowError[] };

const NOT_WRAPPERS = new Set(['messages', 'conversations']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON Lines: one JSON object per non-blank line (a UTF-8 BOM is stripped, CRLF accepted). A file that is one
 * JSON value (an array of objects, or an object holding one such array) is read whole (records numbered 1..n);
 * pretty-printed objects back to back are split by bracket depth. Bad lines become errors with their line number.
 */
export function parseJsonl(text: string): JsonRecords {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const trimmed = body.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const whole = parseWhole(trimmed);
    if (whole) return whole;
  }
  const byLine = parseLines(body);
  // Many bad lines but the file opens with '{': pretty-printed objects, one after another.
  if (trimmed.startsWith('{') && byLine.errors.length > byLine.records.length) {
    const concatenated = parseConcatenated(body);
    if (concatenated.records.length > byLine.records.length) return concatenated;
  }
  return byLine;
}

function parseWhole(trimmed: string): JsonRecords | null {
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null; // not one JSON value: read line by line (the first bad line reports the problem)
  }
  let items: unknown[] | null = Array.isArray(value) ? value : null;
  if (isObject(value)) {
    // {"data": [...]} and similar wrappers: exactly one property holding an array of objects.
    // A lone chat record ({"messages": [...]}) is a record, not a wrapper.
    const arrays = Object.entries(value)
      .filter(([k, v]) => !NOT_WRAPPERS.has(k.toLowerCase()) && Array.isArray(v) && v.some(isObject))
      .map(([, v]) => v as unknown[]);
    items = arrays.length === 1 ? arrays[0] : [value];
  }
  if (!items) return null;
  const records: JsonlRecord[] = [];
  const errors: RowError[] = [];
  items.forEach((v, i) => {
    if (isObject(v)) records.push({ line: i + 1, value: v });
    else errors.push({ row: i + 1, message: `item ${i + 1}: expected a JSON object` });
  });
  return { records, errors };
}

function parseLines(body: string): JsonRecords {
  const records: JsonlRecord[] = [];
  const errors: RowError[] = [];
  body.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      errors.push({ row: line, message: `line ${line}: invalid JSON (${(e as Error).message})` });
      return;
    }
    if (!isObject(v)) errors.push({ row: line, message: `line ${line}: expected a JSON object` });
    else records.push({ line, value: v });
  });
  return { records, errors };
}

/** Splits top-level {...} values by bracket depth outside strings (JSON.parse takes one value only). */
function parseConcatenated(body: string): JsonRecords {
  const records: JsonlRecord[] = [];
  const errors: RowError[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let startLine = 1;
  let line = 1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) {
        start = i;
        startLine = line;
      }
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0 && --depth === 0) {
      const chunk = body.slice(start, i + 1);
      try {
        const v: unknown = JSON.parse(chunk);
        if (isObject(v)) records.push({ line: startLine, value: v });
        else errors.push({ row: startLine, message: `line ${startLine}: expected a JSON object` });
      } catch (e) {
        errors.push({ row: startLine, message: `line ${startLine}: invalid JSON (${(e as Error).message})` });
      }
    }
  }
  if (depth > 0) errors.push({ row: startLine, message: `line ${startLine}: a JSON object is never closed` });
  return { records, errors };
}

/** Keys that name a class label: JSON records with one of these and a text key are a classification table. */
const LABEL_KEYS = new Set(['label', 'labels', 'class', 'category', 'target', 'sentiment', 'intent', 'tag']);

export function looksLikeClassification(records: readonly JsonlRecord[]): boolean {
  const keys = new Set(records.slice(0, 20).flatMap((r) => Object.keys(r.value).map((k) => k.trim().toLowerCase())));
  return [...keys].some((k) => LABEL_KEYS.has(k)) && !keys.has('messages') && !keys.has('completion') && !keys.has('output');
}

/** JSON records as a table (header: keys in first-seen order), so classification reads them like a CSV.
 *  Row numbers are the records' line numbers; a key a record lacks is an empty cell. */
export function recordsTable({ records, errors }: JsonRecords): { header: string[]; rows: string[][]; rowNumbers: number[]; errors: RowError[] } {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r.value)) {
      if (seen.has(k)) continue;
      seen.add(k);
      header.push(k);
    }
  }
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v as number);
  return {
    header,
    rows: records.map((r) => header.map((k) => cell(r.value[k]))),
    rowNumbers: records.map((r) => r.line),
    errors,
  };
}

/** A JSON / JSONL file of classification records as a CsvTable, or a whole-file problem. */
export function jsonTable(text: string): CsvParseResult {
  const parsed = parseJsonl(text);
  if (parsed.records.length === 0) {
    return err({
      code: 'empty_file',
      message: `No JSON objects found: ${
        parsed.errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ') || 'the file is empty'
      }.`,
    });
  }
  const table = recordsTable(parsed);
  if (table.header.length < 2) {
    return err({ code: 'single_column', message: `The records have only the key "${table.header[0] ?? ''}"; a text key and a label key are needed.` });
  }
  if (table.header.length > MAX_COLUMNS) return err({ code: 'too_many_columns', message: tooManyColumns(table.header.length) });
  return ok({ ...table, delimiter: ',' });
}
