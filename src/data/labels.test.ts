// Tests for summarizeLabels and checkTrainable, including the quality_problems.csv fixture.
// Reads fixtures from disk (tests only); the module under test does no I/O.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { checkTrainable, summarizeLabels, type LabelSummary } from './labels';

const DATASETS = path.resolve(__dirname, '../../../shared/datasets');

/** A two-column [text, label] table with one row per label value. */
const tableOf = (labels: string[]) => labels.map((label, i) => [`text number ${i}`, label]);
const repeat = (label: string, n: number) => Array.from({ length: n }, () => label);

function issueCode(summary: LabelSummary, rowCount: number): string {
  const result = checkTrainable(summary, rowCount);
  return result.ok ? 'ok' : result.error.code;
}

describe('summarizeLabels', () => {
  it('counts usable rows per label, most frequent first, ties by first appearance', () => {
    const rows = tableOf(['b', 'a', 'a', 'c', 'b', 'a', 'd']);
    const s = summarizeLabels(rows, 1, 0);
    expect(s.counts).toEqual([
      { label: 'a', count: 3 },
      { label: 'b', count: 2 },
      { label: 'c', count: 1 },
      { label: 'd', count: 1 },
    ]);
    expect(s.usableRows).toBe(7);
  });

  it('lists missing labels and empty or whitespace-only texts by row index', () => {
    const rows = [
      ['ok', 'x'],
      ['', 'x'],
      ['  ', 'y'],
      ['fine', ''],
      ['fine', ' '],
      ['\u00a0', 'x'],
      ['', ''],
    ];
    const s = summarizeLabels(rows, 1, 0);
    expect(s.missingLabelRowIndices).toEqual([3, 4, 6]);
    expect(s.emptyTextRowIndices).toEqual([1, 2, 5, 6]);
    expect(s.counts).toEqual([{ label: 'x', count: 1 }]);
    expect(s.usableRows).toBe(1);
  });

  it('keeps label strings exactly (no trimming or case folding)', () => {
    const s = summarizeLabels(tableOf(['ham', 'ham ', 'Ham']), 1, 0);
    expect(s.counts.map((c) => c.label)).toEqual(['ham', 'ham ', 'Ham']);
  });

  it('matches quality_problems.csv as handmade_expected.json describes it', () => {
    const text = readFileSync(path.join(DATASETS, 'quality_problems.csv'), 'utf8');
    const spec = JSON.parse(readFileSync(path.join(DATASETS, 'handmade_expected.json'), 'utf8'))['quality_problems.csv'];
    const parsed = parseCsv(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const s = summarizeLabels(parsed.value.rows, 1, 0);

    type Row = { row: number; text: string; label: string; anomaly: string };
    const rowsWith = (anomalies: string[]) => spec.rows.filter((r: Row) => anomalies.includes(r.anomaly)).map((r: Row) => r.row - 1);
    expect(s.missingLabelRowIndices).toEqual(rowsWith(['missing_label']));
    expect(s.emptyTextRowIndices).toEqual(rowsWith(['empty_text', 'whitespace_only']));

    const usable = new Map<string, number>();
    for (const r of spec.rows as Row[]) {
      if (r.label !== '' && r.text.trim() !== '') usable.set(r.label, (usable.get(r.label) ?? 0) + 1);
    }
    expect(new Map(s.counts.map((c) => [c.label, c.count]))).toEqual(usable);
    expect(s.counts.map((c) => c.label)).toEqual(['ham', 'spam', 'phishing']);

    const check = checkTrainable(s, parsed.value.rows.length);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.value.warnings.map((w) => w.code)).toEqual(['singleton_labels', 'rows_skipped']);
      expect(check.value.warnings[0].message).toContain('"phishing"');
    }
  });
});

describe('checkTrainable', () => {
  it.each<[string, string[], string]>([
    ['two balanced classes', [...repeat('a', 10), ...repeat('b', 10)], 'ok'],
    ['exactly ten rows', [...repeat('a', 5), ...repeat('b', 5)], 'ok'],
    ['nine rows', [...repeat('a', 5), ...repeat('b', 4)], 'too_few_rows'],
    ['no rows', [], 'too_few_rows'],
    ['all the same label', repeat('spam', 500), 'single_label'],
    ['10,000 distinct labels', Array.from({ length: 10_000 }, (_, i) => `label-${i}`), 'too_many_labels'],
    ['more distinct labels than half the rows', [...Array.from({ length: 11 }, (_, i) => `l${i}`), ...repeat('a', 9)], 'too_many_labels'],
    ['exactly half the rows distinct', [...Array.from({ length: 9 }, (_, i) => `l${i}`), ...repeat('a', 11)], 'ok'],
    ['1,001 labels with 3 rows each', Array.from({ length: 3003 }, (_, i) => `l${i % 1001}`), 'too_many_labels'],
    ['1,000 labels with 3 rows each', Array.from({ length: 3000 }, (_, i) => `l${i % 1000}`), 'ok'],
  ])('%s → %s', (_name, labels, code) => {
    expect(issueCode(summarizeLabels(tableOf(labels), 1, 0), labels.length)).toBe(code);
  });

  it('names the single label and says what to do', () => {
    const result = checkTrainable(summarizeLabels(tableOf(repeat('x', 20)), 1, 0), 20);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toMatch(/"x"/);
      expect(result.error.message).toMatch(/at least two classes; pick another label column/);
    }
  });

  it('calls a 10,000-label column a text/ID column', () => {
    const labels = Array.from({ length: 10_000 }, (_, i) => `row ${i}`);
    const result = checkTrainable(summarizeLabels(tableOf(labels), 1, 0), labels.length);
    expect(!result.ok && result.error.message).toMatch(/10000 distinct values .* text or ID column, not a label/);
  });

  it('counts only usable rows toward the minimum', () => {
    const rows = [...tableOf([...repeat('a', 5), ...repeat('b', 4)]), ['', 'a'], ['text', '']];
    const result = checkTrainable(summarizeLabels(rows, 1, 0), rows.length);
    expect(!result.ok && result.error.message).toMatch(/Only 9 of 11 rows/);
  });

  it('warns, without failing, about single-example labels', () => {
    const labels = [...repeat('a', 10), ...repeat('b', 10), 'rare'];
    const result = checkTrainable(summarizeLabels(tableOf(labels), 1, 0), labels.length);
    expect(result.ok && result.value.warnings.map((w) => w.code)).toEqual(['singleton_labels']);
  });
});
