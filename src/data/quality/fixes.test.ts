// Tests for applyFixes and toSafeCsv, including the quality_problems.csv fixes and a Papa round trip.
// Reads quality_problems.csv through parseCsv (tests only).
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv';
import { applyFixes } from './fixes';
import { buildQualityReport } from './report';
import { neutralizeFormula, toSafeCsv } from './safeCsv';
import { loadDataset } from './testFixtures';

const COLS = { textColumn: 0, labelColumn: 1 };

describe('applyFixes', () => {
  const rows = [
    [' a ', 'x'],
    ['b', 'x'],
    ['b', 'y'],
    ['b', 'y'],
    ['c', 'x'],
    ['d', ''],
  ];
  it('trims, merges by majority, keeps first and drops, reporting what changed', () => {
    const out = applyFixes(
      rows,
      [
        { kind: 'drop', rows: [5] },
        { kind: 'merge', rows: [2, 3], groups: [[1, 2, 3]] },
        { kind: 'trim', rows: [0] },
      ],
      COLS,
    );
    expect(out.rows).toEqual([
      ['a', 'x'],
      ['b', 'y'],
      ['c', 'x'],
    ]);
    expect(out.keptRowIndices).toEqual([0, 1, 4]);
    expect(out.droppedRows).toEqual([2, 3, 5]);
    expect(out.trimmedRows).toEqual([0]);
    expect(out.relabeled).toEqual([{ row: 1, from: 'x', to: 'y' }]);
    expect(rows[0][0]).toBe(' a ');
  });

  it('rejects a row index outside the rows', () => {
    expect(() => applyFixes(rows, [{ kind: 'drop', rows: [9] }], COLS)).toThrow();
  });

  it('cleans quality_problems.csv: every offered fix applied leaves a clean report', () => {
    const { rows: raw } = loadDataset('quality_problems.csv');
    const opts = { ...COLS, maxSeqLength: 128 };
    const fixes = buildQualityReport(raw, opts).findings.flatMap((f) => (f.fix ? [f.fix] : []));
    const cleaned = applyFixes(raw, fixes, COLS);
    // 5 blank + 3 unlabelled + 4 duplicate extras (8/10/31 → 2, 21/25 → 1, near group → 3; 17 already blank) + 2 conflict + 1 phishing.
    expect(cleaned.droppedRows.map((r) => r + 1)).toEqual([4, 7, 10, 13, 15, 17, 18, 20, 22, 25, 27, 28, 29, 31, 32, 33, 35]);
    const after = buildQualityReport(cleaned.rows, opts);
    const left = after.findings.filter((f) => f.severity !== 'ok').map((f) => f.checkId);
    expect(left).toEqual(['too_long', 'html_entities']);
  });
});

describe('toSafeCsv', () => {
  it('neutralizes formula cells, keeps plain numbers, quotes per RFC 4180', () => {
    const csv = toSafeCsv(
      ['text', 'label'],
      [
        ['=SUM(A1)', '-1'],
        ['+cmd', 'a,b'],
        ['@x', 'say "hi"'],
        ['\tx', 'line\nbreak'],
        ['-2+3', 'ok'],
      ],
    );
    expect(csv).toBe('text,label\r\n\'=SUM(A1),-1\r\n\'+cmd,"a,b"\r\n\'@x,"say ""hi"""\r\n\'\tx,"line\nbreak"\r\n\'-2+3,ok\r\n');
  });

  it('reads back through parseCsv to the same cells (bar the guard quote)', () => {
    const { header, rows } = loadDataset('quality_problems.csv');
    const parsed = parseCsv(toSafeCsv(header, rows));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.rows).toEqual(rows.map((r) => r.map(neutralizeFormula)));
    expect(parsed.value.rows[21][0]).toBe("'\t ");
  });
});
