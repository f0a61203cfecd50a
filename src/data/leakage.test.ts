// Tests for detectTrainValLeakage / detectSplitLeakage, the label-leakage hints and semantic twins.
// Inline rows plus sentiment_sentences.csv through parseCsv (tests only).
import { describe, expect, it } from 'vitest';
import { checkIdColumns, checkLabelInText } from './labelLeakage';
import { detectSplitLeakage, detectTrainValLeakage } from './leakage';
import { findSemanticTwins } from './semanticLeakage';
import { buildQualityReport } from './quality/report';
import { loadDataset } from './quality/testFixtures';

describe('detectTrainValLeakage', () => {
  const train = [
    'the battery died after two days of light use',
    'Works great!',
    'absolutely loved the food and the staff were friendly today',
    '   ',
    'customer service never answered my emails',
  ];
  const validation = [
    'the battery died after two days of light use', // exact
    'works great', // normalized
    'absolutely loved the food and the staff were very friendly today', // fuzzy: 9 of 10 distinct words
    '   ', // blank: never a twin
    'a completely different sentence about shipping',
  ];
  const report = detectTrainValLeakage(train, validation);

  it('finds each kind once, with the Jaccard of the fuzzy pair', () => {
    expect(report.exact).toEqual([{ trainRow: 0, validationRow: 0, similarity: 1 }]);
    expect(report.normalized).toEqual([{ trainRow: 1, validationRow: 1, similarity: 1 }]);
    expect(report.fuzzy).toHaveLength(1);
    expect(report.fuzzy[0]).toMatchObject({ trainRow: 2, validationRow: 2 });
    expect(report.fuzzy[0].similarity).toBeCloseTo(9 / 10, 6);
  });

  it('reports the share of non-blank validation rows with a twin', () => {
    expect(report.validationRowsWithTwin).toEqual([0, 1, 2]);
    expect(report.shareWithTwin).toBeCloseTo(3 / 4);
    expect(report.findings.map((f) => [f.checkId, f.severity, f.rows])).toEqual([
      ['leak_exact', 'warning', [0]],
      ['leak_normalized', 'warning', [1]],
      ['leak_fuzzy', 'warning', [2]],
    ]);
  });

  it('is clean for disjoint sets', () => {
    const clean = detectTrainValLeakage(['one two three four five'], ['six seven eight nine ten']);
    expect(clean.shareWithTwin).toBe(0);
    expect(clean.findings.every((f) => f.severity === 'ok')).toBe(true);
  });
});

describe('detectSplitLeakage on sentiment_sentences.csv', () => {
  const texts = loadDataset('sentiment_sentences.csv').rows.map((r) => r[0]);
  it('finds the "Works great" group (PROVENANCE rows 19, 263, 408, 525) across sides, in dataset row indices', () => {
    const trainRows = texts.map((_, i) => i).filter((i) => i % 2 === 0); // rows 19, 263, 525 (indices 18, 262, 524)
    const valRows = texts.map((_, i) => i).filter((i) => i % 2 === 1); // row 408 (index 407)
    const report = detectSplitLeakage(texts, trainRows, valRows);
    const all = [...report.exact, ...report.normalized, ...report.fuzzy];
    const twin = all.find((p) => p.validationRow === 407);
    expect(twin && [18, 262, 524]).toContain(twin?.trainRow);
    expect(report.shareWithTwin).toBeGreaterThan(0);
    for (const p of all) {
      expect(trainRows).toContain(p.trainRow);
      expect(valRows).toContain(p.validationRow);
    }
  });

  it("gives the same answer when reusing the quality report's index and fuzzy pairs", () => {
    const rows = texts.map((t) => [t, 'x']);
    const { reuse } = buildQualityReport(rows, { textColumn: 0, labelColumn: 1, maxSeqLength: 128 });
    const trainRows = texts.map((_, i) => i).filter((i) => i % 3 !== 0);
    const valRows = texts.map((_, i) => i).filter((i) => i % 3 === 0);
    const fresh = detectSplitLeakage(texts, trainRows, valRows);
    const reused = detectSplitLeakage(texts, trainRows, valRows, { reuse });
    expect(reused.validationRowsWithTwin).toEqual(fresh.validationRowsWithTwin);
    expect(reused.exact).toEqual(fresh.exact);
    expect(reused.normalized.map((p) => p.validationRow)).toEqual(fresh.normalized.map((p) => p.validationRow));
    expect(reused.fuzzy.map((p) => [p.validationRow, p.similarity])).toEqual(fresh.fuzzy.map((p) => [p.validationRow, p.similarity]));
    expect(reused.fuzzy.length).toBeGreaterThan(0);
  });
});

describe('label-leakage hints', () => {
  const n = 40;
  const texts = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `SPAM alert number ${i} click now` : `see you at lunch ${i}`));
  const labels = texts.map((_, i) => (i % 2 === 0 ? 'spam' : 'ham'));

  it('flags a label written in its own texts, not a common word', () => {
    const f = checkLabelInText(texts, labels);
    expect(f.severity).toBe('warning');
    expect(f.reason).toMatch(/"spam" in 100 %/);
    expect(
      checkLabelInText(
        texts.map((t) => t.replace('SPAM', 'big')),
        labels,
      ).severity,
    ).toBe('ok');
  });

  it('flags an id column assigned class by class and a label-code column, not a random id', () => {
    const header = ['id', 'text', 'label', 'code', 'rand'];
    const rows = texts.map((t, i) => [String(labels[i] === 'spam' ? i : 1000 + i), t, labels[i], labels[i] === 'spam' ? 'S1' : 'H1', String((i * 7919) % 101)]);
    const f = checkIdColumns(header, rows, 1, 2);
    expect(f.count).toBe(2);
    expect(f.reason).toMatch(/"id" \(sorted by it, the labels come in 2 runs/);
    expect(f.reason).toMatch(/"code" \(each value/);
    expect(f.reason).not.toMatch(/"rand"/);
  });

  it('does not flag the semicolon fixture id and date columns', () => {
    const t = loadDataset('parse_semicolon_reordered.csv');
    expect(checkIdColumns(t.header, t.rows, 2, 1).severity).toBe('ok');
  });
});

describe('findSemanticTwins', () => {
  it('returns the best training match above the cosine threshold', () => {
    const train = Float32Array.from([1, 0, 0, 0, 1, 0, 0.7, 0.7, 0]);
    const validation = Float32Array.from([2, 0.1, 0, 0, 0, 1, 0, 0, 0]);
    expect(findSemanticTwins(train, validation, 3).map((p) => [p.trainRow, p.validationRow])).toEqual([[0, 0]]);
    expect(findSemanticTwins(train, validation, 3, { threshold: 0.99 })[0].similarity).toBeGreaterThan(0.99);
    expect(() => findSemanticTwins(train, Float32Array.from([1, 2]), 3)).toThrow();
  });
});
