// The one place that parses delimited text (Papa Parse): rows out, row-level errors as values.
// Pure and synchronous (runs inside the studio worker): no DOM, no I/O, no tfjs; only papaparse and lib/.
import Papa from 'papaparse';
import { err, ok, type Result } from '../lib/result';
import { sniffBinary } from './binarySniff';

/** Candidate delimiters, in tie-break order. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export const CSV_FILE_ERROR_CODES = {
  empty_file: 'empty_file',
  binary_file: 'binary_file',
  header_only: 'header_only',
  single_column: 'single_column',
  too_many_columns: 'too_many_columns',
  not_text: 'not_text',
} as const;
export type CsvFileErrorCode = keyof typeof CSV_FILE_ERROR_CODES;

/** A problem with one record. `row` is the 1-based data record (header not counted); 0 means the header. */
export type RowError = { row: number; message: string };

export type CsvTable = {
  header: string[];
  /** Well-formed records only: each has exactly `header.length` fields. */
  rows: string[][];
  /** rowNumbers[i] is the 1-based data record number of rows[i] (differs once a record is skipped). */
  rowNumbers: number[];
  delimiter: CsvDelimiter;
  /** Records left out of `rows` (wrong field count, broken quoting), one entry per problem. */
  errors: RowError[];
};

export type CsvFileError = { code: CsvFileErrorCode; message: string };
export type CsvParseResult = Result<CsvTable, CsvFileError>;

/** More columns than this are refused before the full parse: the page could not offer them, and a
 *  text-and-label table needs two (a wrong delimiter or a matrix export is the usual cause). */
export const MAX_COLUMNS = 256;

export const tooManyColumns = (n: number) =>
  `The header has ${n.toLocaleString('en-US')} columns; the studio reads at most ${MAX_COLUMNS}. ` +
  'A classification table needs a text column and a label column: keep those (and any you need) and save again.';

/** How many records after the header are parsed per candidate when guessing the delimiter. */
const DETECT_PREVIEW_RECORDS = 50;
const BOM = '\ufeff';

/**
 * Parses CSV/TSV text that has a header row. Strips a UTF-8 BOM, detects the delimiter, keeps quoted
 * delimiters, quotes and line breaks (LF or CRLF) inside fields exactly, and never trims fields.
 * Blank lines are skipped and not counted as records. Whole-file problems return `ok: false`.
 */
export function parseCsv(text: string, opts: { fileName?: string } = {}): CsvParseResult {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  if (body.trim() === '') {
    return fileError('empty_file', 'The file is empty. Choose a CSV file with a header row and at least one data row.');
  }
  const sniff = sniffBinary(body);
  if (sniff.binary) {
    const why = sniff.reason === 'nul_byte' ? 'it contains NUL bytes' : 'its first kilobyte is mostly control or undecodable characters';
    return fileError(
      'binary_file',
      `This does not look like a UTF-8 text file (${why}); it may be a spreadsheet, an archive or UTF-16 text. ` +
        'Export or save it as "CSV UTF-8" and try again.',
    );
  }
  const delimiter = detectDelimiter(body, opts.fileName);
  if (delimiter === null) {
    return fileError(
      'single_column',
      'Only one column was found: the header has no comma, semicolon, tab or pipe between column names. ' +
        'The file needs at least a text column and a label column; save it with one of those delimiters.',
    );
  }
  const width = headerWidth(body, delimiter);
  if (width > MAX_COLUMNS) return fileError('too_many_columns', tooManyColumns(width));
  const parsed = Papa.parse<string[]>(body, { delimiter, header: false, quoteChar: '"', escapeChar: '"' });
  const [header, ...records] = parsed.data;
  if (header === undefined) {
    return fileError('empty_file', 'The file has no rows. Choose a CSV file with a header row and at least one data row.');
  }
  return collectRows(header, records, parsed.errors, delimiter);
}

/** Field count of the first non-blank record, read alone (cheap even for a huge file). */
export function headerWidth(text: string, delimiter: CsvDelimiter): number {
  const first = Papa.parse<string[]>(text, { delimiter, header: false, preview: 2 }).data.find((f) => !isBlankLine(f));
  return first?.length ?? 0;
}

function fileError(code: CsvFileErrorCode, message: string): CsvParseResult {
  return err({ code, message });
}

/** Splits Papa's records into well-formed rows and per-record errors, renumbering past blank lines. */
function collectRows(header: string[], records: string[][], parseErrors: Papa.ParseError[], delimiter: CsvDelimiter): CsvParseResult {
  // Papa's error.row indexes its data array, where the header is 0 and data record k (0-based) is k + 1.
  const quoteErrors = new Map<number, string[]>();
  for (const e of parseErrors) {
    if (e.type !== 'Quotes' || e.row === undefined) continue;
    const list = quoteErrors.get(e.row) ?? [];
    list.push(describeQuoteError(e.code));
    quoteErrors.set(e.row, list);
  }
  const errors: RowError[] = (quoteErrors.get(0) ?? []).map((message) => ({ row: 0, message: `Header: ${message}` }));
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  let recordNumber = 0;
  records.forEach((fields, k) => {
    if (isBlankLine(fields)) return;
    recordNumber++;
    const problems = quoteErrors.get(k + 1);
    if (problems) {
      for (const message of problems) errors.push({ row: recordNumber, message });
    } else if (fields.length !== header.length) {
      errors.push({ row: recordNumber, message: describeFieldCount(fields.length, header.length, delimiter) });
    } else {
      rows.push(fields);
      rowNumbers.push(recordNumber);
    }
  });
  if (recordNumber === 0) {
    return fileError('header_only', `The file has a header (${header.map((h) => `"${h}"`).join(', ')}) but no data rows. Add labelled rows below the header.`);
  }
  return ok({ header, rows, rowNumbers, delimiter, errors });
}

function isBlankLine(fields: string[]): boolean {
  return fields.length === 1 && fields[0].trim() === '';
}

function describeQuoteError(code: Papa.ParseError['code']): string {
  if (code === 'MissingQuotes') {
    return (
      'a quoted field is never closed, so everything after it was read into this row. ' +
      'Check this row for a stray " and double any quote inside a quoted field ("").'
    );
  }
  return 'a quoted field has text after its closing quote. Quotes inside a quoted field must be doubled ("").';
}

function describeFieldCount(found: number, expected: number, delimiter: CsvDelimiter): string {
  const name = DELIMITER_NAMES[delimiter];
  const hint =
    found > expected
      ? `a field probably contains an unquoted ${name}; wrap that field in double quotes`
      : 'a field is missing; check for a lost delimiter or an unclosed quote on the row above';
  return `expected ${expected} fields but found ${found}: ${hint}. The row was skipped.`;
}

const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/**
 * Picks the delimiter whose header has at least two fields and whose first records most often have
 * the header's field count. Ties go to the file-name hint (.tsv/.tab → tab), then CSV_DELIMITERS order.
 * Returns null when no candidate splits the header (a single-column file).
 */
export function detectDelimiter(text: string, fileName?: string): CsvDelimiter | null {
  const hinted: CsvDelimiter | null = /\.(tsv|tab)$/i.test(fileName ?? '') ? '\t' : null;
  const order = hinted ? [hinted, ...CSV_DELIMITERS.filter((d) => d !== hinted)] : [...CSV_DELIMITERS];
  let best: { delimiter: CsvDelimiter; score: number } | null = null;
  for (const delimiter of order) {
    const preview = Papa.parse<string[]>(text, { delimiter, header: false, preview: DETECT_PREVIEW_RECORDS + 1 });
    const [header, ...records] = preview.data.filter((fields) => !isBlankLine(fields));
    if (header === undefined || header.length < 2) continue;
    const matching = records.filter((fields) => fields.length === header.length).length;
    const score = records.length === 0 ? 1 : matching / records.length;
    if (best === null || score > best.score) best = { delimiter, score };
  }
  return best?.delimiter ?? null;
}
