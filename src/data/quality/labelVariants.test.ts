// Tests for label variants: case, spaces, format controls, NFKC and numeric forms found as one finding,
// and the relabel fix merging them into the most common spelling.
import { describe, expect, it } from 'vitest';
import { applyFixes } from './fixes';
import { checkLabelVariants, labelKey } from './labelVariants';
import { buildQualityReport } from './report';

describe('labelKey', () => {
  it.each([
    ['positive', 'Positive'],
    ['positive', ' positive '],
    ['very good', 'very   good'],
    ['positive', '\u200fpositive'],
    ['positive', '\u202apositive\u202c'],
    ['ｐｏｓｉｔｉｖｅ', 'positive'],
    ['1', '1.0'],
    ['1', '01'],
    ['1', '+1'],
  ])('%j and %j are one label', (a, b) => expect(labelKey(a)).toBe(labelKey(b)));

  it.each([
    ['positive', 'negative'],
    ['1', '10'],
    ['1', '1.5'],
    ['a b', 'ab'],
  ])('%j and %j stay apart', (a, b) => {
    expect(labelKey(a)).not.toBe(labelKey(b));
  });
});

describe('checkLabelVariants', () => {
  const labels = ['positive', 'positive', 'positive ', 'Positive', '\u200fpositive', 'negative', 'negative', '1', '1.0', '01', '1'];

  it('finds each group, names the spellings and merges into the most common one', () => {
    const f = checkLabelVariants(labels);
    expect(f).toMatchObject({ checkId: 'label_variants', severity: 'warning', count: 7 });
    expect(f.reason).toMatch(/^7 labels differ only by case, spaces or format/);
    expect(f.reason).toContain('"\\u200fpositive"');
    expect(f.rows).toEqual([2, 3, 4, 8, 9]);
    const rows = labels.map((l, i) => [`text ${i}`, l]);
    const fixed = applyFixes(rows, [f.fix!], { textColumn: 0, labelColumn: 1 });
    expect(new Set(fixed.rows.map((r) => r[1]))).toEqual(new Set(['positive', 'negative', '1']));
    expect(fixed.relabeled).toHaveLength(5);
    expect(fixed.droppedRows).toEqual([]);
  });

  it('is ok when labels are distinct, and the report includes it', () => {
    expect(checkLabelVariants(['a', 'b', 'a']).severity).toBe('ok');
    const rows = Array.from({ length: 40 }, (_, i) => [`sentence number ${i} about things`, i % 3 === 0 ? 'Spam' : i % 3 === 1 ? 'spam' : 'ham']);
    const report = buildQualityReport(rows, { textColumn: 0, labelColumn: 1, maxSeqLength: 64 });
    expect(report.findings.find((x) => x.checkId === 'label_variants')?.severity).toBe('warning');
  });
});

describe('emoji and non-Latin texts count as text', () => {
  it('does not block emoji-only or CJK/Arabic texts as numbers or codes', () => {
    const texts = ['😀😀', '🎉', '👍👍👍', '❤️', '🔥🔥', '😢', '😡😡', '🙂', '猫が好き', 'مرحبا بكم'];
    const rows = Array.from({ length: 40 }, (_, i) => [`${texts[i % texts.length]}${'!'.repeat(i % 4)}`, i % 2 ? 'pos' : 'neg']);
    const report = buildQualityReport(rows, { textColumn: 0, labelColumn: 1, maxSeqLength: 64 });
    expect(report.findings.find((x) => x.checkId === 'no_text_column')).toBeUndefined();
    const numbers = buildQualityReport(
      rows.map((r, i) => [String(i * 17), r[1]]),
      { textColumn: 0, labelColumn: 1, maxSeqLength: 64 },
    );
    expect(numbers.findings[0].reason).toMatch(/numbers or codes/);
  });
});
