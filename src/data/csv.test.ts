// Tests for parseCsv against the hand-made fixtures in shared/datasets and small inline tables.
// Reads fixtures from disk (tests only); the module under test does no I/O.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv, type CsvParseResult, type CsvTable } from './csv';

const DATASETS = path.resolve(__dirname, '../../../shared/datasets');
const readFixture = (name: string) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(path.join(DATASETS, name)));
const expected = JSON.parse(readFileSync(path.join(DATASETS, 'handmade_expected.json'), 'utf8'));

function table(result: CsvParseResult): CsvTable {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('parseCsv on parse_bom_crlf.csv', () => {
  const raw = readFixture('parse_bom_crlf.csv');
  const spec = expected['parse_bom_crlf.csv'];

  it('still has the BOM after decoding, so the parser is the one stripping it', () => {
    expect(raw.charCodeAt(0)).toBe(0xfeff);
  });

  it('matches header, delimiter and record count', () => {
    const t = table(parseCsv(raw, { fileName: 'parse_bom_crlf.csv' }));
    expect(t.header).toEqual(spec.header);
    expect(t.delimiter).toBe(spec.delimiter);
    expect(t.rows).toHaveLength(spec.records);
    expect(t.errors).toEqual([]);
    expect(t.rowNumbers).toEqual(t.rows.map((_, i) => i + 1));
  });

  it('matches every record exactly', () => {
    const t = table(parseCsv(raw));
    const got = t.rows.map(([text, label], i) => ({ row: i + 1, text, label }));
    expect(got).toEqual(spec.rows.map((r: { row: number; text: string; label: string }) => ({ row: r.row, text: r.text, label: r.label })));
  });
});

describe('parseCsv on parse_semicolon_reordered.csv', () => {
  const spec = expected['parse_semicolon_reordered.csv'];
  const t = table(parseCsv(readFixture('parse_semicolon_reordered.csv')));

  it('detects the semicolon and the four-column header', () => {
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(spec.header);
    expect(t.rows).toHaveLength(spec.records);
    expect(t.errors).toEqual([]);
  });

  it('matches every record exactly, all four fields', () => {
    const columns: string[] = spec.header;
    const want = spec.rows.map((r: Record<string, string>) => columns.map((c) => r[c]));
    expect(t.rows).toEqual(want);
  });
});

describe('parseCsv on the converted datasets', () => {
  it.each([
    ['sms_spam.csv', 5574],
    ['sentiment_sentences.csv', 3000],
    ['clinc150.csv', 4903],
    ['quality_problems.csv', 37],
  ])('%s parses to %i records with no row errors', (name, records) => {
    const t = table(parseCsv(readFixture(name), { fileName: name }));
    expect(t.header).toEqual(['text', 'label']);
    expect(t.delimiter).toBe(',');
    expect(t.rows).toHaveLength(records);
    expect(t.errors).toEqual([]);
  });
});

describe('parseCsv whole-file errors', () => {
  it.each<[string, string]>([
    ['', 'empty_file'],
    ['\ufeff', 'empty_file'],
    ['  \r\n\n', 'empty_file'],
    ['text,label\n', 'header_only'],
    ['text,label\r\n\r\n', 'header_only'],
    ['text\nhello world\nsecond line, with a comma\n', 'single_column'],
    ['PK\u0003\u0004\u0014\u0000\u0006\u0000text,label\n', 'binary_file'],
    ['t\u0000e\u0000x\u0000t\u0000,\u0000l\u0000', 'binary_file'],
    ['\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008a,b\n1,2\n', 'binary_file'],
    ['\ufffd\ufffd\ufffda,b\n\ufffd\ufffd,\ufffd\n', 'binary_file'],
  ])('%j → %s', (input, code) => {
    const result = parseCsv(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(40);
    }
  });

  it('lets C1 control characters and the odd replacement char through', () => {
    const t = table(parseCsv('text,label\nthat\u0092s fine \ufffd,ham\nok,spam\n'));
    expect(t.rows[0][0]).toBe('that\u0092s fine \ufffd');
  });
});

describe('parseCsv row-level errors', () => {
  it('reports rows with too many or too few fields and skips them', () => {
    const t = table(parseCsv('text,label\na,x\nb, c,y\nd\ne,z\n'));
    expect(t.rows).toEqual([
      ['a', 'x'],
      ['e', 'z'],
    ]);
    expect(t.rowNumbers).toEqual([1, 4]);
    expect(t.errors.map((e) => e.row)).toEqual([2, 3]);
    expect(t.errors[0].message).toMatch(/expected 2 fields but found 3.*unquoted comma/);
    expect(t.errors[1].message).toMatch(/expected 2 fields but found 1/);
  });

  it('reports an unterminated quote at its record', () => {
    const t = table(parseCsv('text,label\nok,x\n"never closed,y\nz,w\n'));
    expect(t.rows).toEqual([['ok', 'x']]);
    expect(t.errors).toHaveLength(1);
    expect(t.errors[0].row).toBe(2);
    expect(t.errors[0].message).toMatch(/never closed/);
  });

  it('reports text after a closing quote', () => {
    const t = table(parseCsv('text,label\n"a"b,x\nc,y\nd,z\n'));
    expect(t.errors.some((e) => e.row === 1 && /after its closing quote/.test(e.message))).toBe(true);
  });

  it('skips blank lines without counting them as records', () => {
    const t = table(parseCsv('text,label\n\na,x\n\n\nb,y\n'));
    expect(t.rows).toEqual([
      ['a', 'x'],
      ['b', 'y'],
    ]);
    expect(t.rowNumbers).toEqual([1, 2]);
  });

  it('keeps leading and trailing spaces in fields', () => {
    expect(table(parseCsv('text,label\n  a  , x \n')).rows).toEqual([['  a  ', ' x ']]);
  });
});

describe('detectDelimiter', () => {
  it.each<[string, string | undefined, string | null]>([
    ['text,label\na,b\n', undefined, ','],
    ['text;label\n"a, b";c\n', undefined, ';'],
    ['text\tlabel\na, b; c\tx\n', undefined, '\t'],
    ['text|label\na, b\tc|x\n', undefined, '|'],
    // The header splits on both; the records only agree with the semicolon.
    ['a;b,c\n1;2,3,4\n5;6,7,8\n', undefined, ';'],
    // Equal evidence: the .tsv name decides.
    ['a,b\tc\n1,2\t3\n', 'data.tsv', '\t'],
    ['a,b\tc\n1,2\t3\n', 'data.csv', ','],
    ['just one column\nrow\n', undefined, null],
  ])('%j (file %s) → %j', (text, fileName, want) => {
    expect(detectDelimiter(text, fileName)).toBe(want);
  });
});
