// Reads a dropped CSV/TSV without holding the file as one string: file.stream() → UTF-8 decoder (stream mode,
// so multi-byte characters split across chunks survive) → cut at the last line break outside quotes →
// Papa Parse on each piece → the same rows, row numbers and row errors parseCsv gives. Small files go
// through parseCsv itself. Reports progress in bytes.
import Papa from 'papaparse';
import {
  detectDelimiter,
  headerWidth,
  MAX_COLUMNS,
  parseCsv,
  tooManyColumns,
  type CsvDelimiter,
  type CsvParseResult,
  type CsvTable,
  type RowError,
} from '../data/csv';
import { sniffBinary } from '../data/binarySniff';
import { decodeText, sniffEncoding, StreamTextDecoder } from '../data/textDecoding';
import { err, ok } from '../lib/result';
import { StudioError } from './userError';

/** Files up to this size are read whole and parsed by parseCsv (identical results, one progress tick). */
export const STREAM_ABOVE_BYTES = 16 * 1024 * 1024;
/** Text parsed per Papa call when streaming. */
const PIECE_CHARS = 4 * 1024 * 1024;
const HEAD_BYTES = 256 * 1024;

export type ParseProgress = (loadedBytes: number, rows: number) => void;

/** A whole text file (JSONL, .txt, JSON) decoded by its BOM / sniffed encoding; binary files are refused by name. */
export async function readTextFile(file: File): Promise<string> {
  const text = decodeText(new Uint8Array(await file.arrayBuffer()));
  if (!text.ok) throw new StudioError(text.error.code, `"${file.name}": ${text.error.message}`);
  return text.value;
}

export async function readCsvFile(file: File, onProgress: ParseProgress): Promise<CsvParseResult> {
  if (file.size <= STREAM_ABOVE_BYTES) {
    const text = decodeText(new Uint8Array(await file.arrayBuffer()));
    if (!text.ok) return err(text.error);
    const parsed = parseCsv(text.value, { fileName: file.name });
    onProgress(file.size, parsed.ok ? parsed.value.rows.length : 0);
    return parsed;
  }
  // The encoding is decided once from the first bytes and holds for every chunk after (UTF-16 too).
  const headBytes = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const encoding = sniffEncoding(headBytes);
  if (!encoding.ok) return err(encoding.error);
  const head = new StreamTextDecoder(encoding.value).push(headBytes).replace(/^\ufeff/, '');
  if (head.trim() === '') return parseCsv(head, { fileName: file.name });
  if (sniffBinary(head).binary) return parseCsv(head, { fileName: file.name }); // same message as small files
  const delimiter = detectDelimiter(head, file.name);
  if (delimiter === null) return parseCsv(head.split(/\r?\n/, 1)[0], { fileName: file.name });
  const width = headerWidth(head, delimiter);
  if (width > MAX_COLUMNS) return err({ code: 'too_many_columns', message: tooManyColumns(width) });
  const collector = new RowCollector(delimiter);
  const decoder = new StreamTextDecoder(encoding.value);
  const reader = file.stream().getReader();
  let carry = '';
  let inQuotes = false;
  let loaded = 0;
  let first = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (value) loaded += value.byteLength;
    let text = carry + (done ? decoder.end() : decoder.push(value));
    if (first && text.length > 0) {
      text = text.replace(/^\ufeff/, '');
      first = false;
    }
    if (done) {
      if (text.length > 0) collector.add(text);
      break;
    }
    if (text.length < PIECE_CHARS) {
      carry = text;
      continue;
    }
    // Scan only the new part for quote parity; `inQuotes` is the state at the start of `carry`.
    const cut = lastRecordBreak(text, inQuotes);
    if (cut.at < 0) {
      carry = text; // one record longer than a piece (or broken quoting): keep reading
      continue;
    }
    collector.add(text.slice(0, cut.at + 1));
    carry = text.slice(cut.at + 1);
    inQuotes = cut.inQuotesAfter;
    onProgress(loaded, collector.rows.length);
    await new Promise((r) => setTimeout(r, 0)); // let other messages (stop, status) through
  }
  onProgress(file.size, collector.rows.length);
  return collector.finish();
}

/** The last '\n' reached outside a quoted field, and the quote state just after it. */
function lastRecordBreak(text: string, inQuotesAtStart: boolean): { at: number; inQuotesAfter: boolean } {
  let q = inQuotesAtStart;
  let at = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) q = !q;
    else if (c === 10 && !q) at = i;
  }
  return { at, inQuotesAfter: false };
}

/** Accumulates pieces into a CsvTable with parseCsv's rules: header first, blank lines skipped, bad records reported. */
class RowCollector {
  header: string[] | null = null;
  rows: string[][] = [];
  rowNumbers: number[] = [];
  errors: RowError[] = [];
  private recordNumber = 0;

  constructor(private readonly delimiter: CsvDelimiter) {}

  add(piece: string): void {
    const parsed = Papa.parse<string[]>(piece, { delimiter: this.delimiter, header: false, quoteChar: '"', escapeChar: '"' });
    const quoteErrors = new Set<number>();
    for (const e of parsed.errors) if (e.type === 'Quotes' && e.row !== undefined) quoteErrors.add(e.row);
    parsed.data.forEach((fields, k) => {
      if (fields.length === 1 && fields[0].trim() === '') return;
      if (this.header === null) {
        this.header = fields;
        return;
      }
      this.recordNumber++;
      if (quoteErrors.has(k)) {
        this.errors.push({ row: this.recordNumber, message: 'a quoted field is never closed or has text after its closing quote; the row was skipped.' });
      } else if (fields.length !== this.header.length) {
        this.errors.push({ row: this.recordNumber, message: `expected ${this.header.length} fields but found ${fields.length}; the row was skipped.` });
      } else {
        this.rows.push(fields);
        this.rowNumbers.push(this.recordNumber);
      }
    });
  }

  finish(): CsvParseResult {
    if (this.header === null)
      return err({ code: 'empty_file', message: 'The file has no rows. Choose a CSV file with a header row and at least one data row.' });
    if (this.recordNumber === 0) return err({ code: 'header_only', message: 'The file has a header but no data rows. Add labelled rows below the header.' });
    const table: CsvTable = { header: this.header, rows: this.rows, rowNumbers: this.rowNumbers, delimiter: this.delimiter, errors: this.errors };
    return ok(table);
  }
}
