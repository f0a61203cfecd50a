// buildQualityReport against the shared fixtures: quality_problems.csv row by row, and PROVENANCE's
// counts for sms_spam.csv and sentiment_sentences.csv. Reads files (tests only) through parseCsv.
import { describe, expect, it } from 'vitest';
import { type Finding } from './findings';
import { buildQualityReport, type QualityReport } from './report';
import { loadDataset, loadExpected } from './testFixtures';

const OPTIONS = { textColumn: 0, labelColumn: 1, maxSeqLength: 128 };
const byId = (report: QualityReport, id: string): Finding => {
  const f = report.findings.find((x) => x.checkId === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f;
};
/** 1-based rows, as PROVENANCE.md counts them. */
const rows1 = (f: Finding) => f.rows.map((r) => r + 1);
const groups1 = (f: Finding) => (f.groups ?? []).map((g) => g.map((r) => r + 1));

describe('quality_problems.csv: exactly the anomalies of PROVENANCE.md §4c', () => {
  const spec = loadExpected()['quality_problems.csv'] as Record<string, unknown>;
  const table = loadDataset('quality_problems.csv');
  const report = buildQualityReport(table.rows, OPTIONS);

  it('parses to the expected records', () => {
    const want = spec.rows as { text: string; label: string }[];
    expect(table.rows).toHaveLength(37);
    table.rows.forEach(([text, label], i) => {
      expect(label).toBe(want[i].label);
      if (!want[i].text.includes('<25082 chars>')) expect(text).toBe(want[i].text);
    });
  });

  it.each<[string, string]>([
    ['empty_text', 'empty_text_rows'],
    ['whitespace_only_text', 'whitespace_only_text_rows'],
    ['missing_label', 'missing_label_rows'],
    ['too_long', 'long_text_rows'],
  ])('%s flags rows %s', (checkId, key) => {
    expect(rows1(byId(report, checkId))).toEqual(spec[key]);
  });

  it('finds the exact duplicate groups (same text and label)', () => {
    const want = [...(spec.exact_duplicate_groups_text_and_label as number[][])].sort((a, b) => a[0] - b[0]);
    expect(groups1(byId(report, 'exact_duplicates'))).toEqual(want);
    expect(byId(report, 'exact_duplicates').count).toBe(4);
  });

  it('finds the one normalized near-duplicate group, leaving the blank rows out', () => {
    expect(groups1(byId(report, 'normalized_duplicates'))).toEqual(spec.near_duplicate_groups);
  });

  it('finds the conflicting pair 15 (ham) / 20 (spam)', () => {
    const f = byId(report, 'conflicting_labels');
    const want = (spec.conflicting_label_groups as [number, string][][]).map((g) => g.map(([row]) => row));
    expect(groups1(f)).toEqual(want);
    for (const g of spec.conflicting_label_groups as [number, string][][]) {
      for (const [row, label] of g) expect(table.rows[row - 1][1]).toBe(label);
    }
  });

  it('flags phishing as the only rare label and counts labels as PROVENANCE does', () => {
    const f = byId(report, 'rare_labels');
    expect(rows1(f)).toEqual(Object.values(spec.singleton_labels as Record<string, number[]>).flat());
    const counts = Object.fromEntries(report.labels!.counts.map((c) => [c.label, c.count]));
    expect(counts).toEqual(spec.label_counts_excluding_missing);
  });

  it('flags no clean row, and nothing outside the listed anomalies', () => {
    const anomalyRows = new Set((spec.rows as { row: number; anomaly: string }[]).filter((r) => r.anomaly !== 'base').map((r) => r.row));
    const clean = (spec.rows as { row: number; anomaly: string }[]).filter((r) => r.anomaly === 'base').map((r) => r.row);
    expect(clean).toEqual([1, 2, 3, 5, 6, 9, 12, 14, 16, 19, 23, 26, 30, 34, 36, 37]);
    const flagged = new Set(report.findings.flatMap(rows1));
    for (const r of flagged) expect(anomalyRows.has(r), `row ${r}`).toBe(true);
    for (const r of clean) expect(flagged.has(r), `row ${r}`).toBe(false);
  });

  it('raises no fuzzy, encoding-junk or structural findings beyond them', () => {
    for (const id of [
      'fuzzy_duplicates',
      'control_chars',
      'mojibake',
      'replacement_chars',
      'too_short',
      'label_imbalance',
      'too_few_rows',
      'single_label',
      'too_many_labels',
    ]) {
      expect(byId(report, id).severity, id).toBe('ok');
    }
    // The long text (row 24) holds "&amp;" and the doubled-space variant (row 27) a trailing space.
    expect(rows1(byId(report, 'html_entities'))).toEqual([24]);
    expect(rows1(byId(report, 'whitespace_edges'))).toEqual([27]);
    expect(report.severity).toBe('warning');
  });

  it('is deterministic for a seed', () => {
    expect(buildQualityReport(table.rows, { ...OPTIONS, seed: 7 })).toEqual(buildQualityReport(table.rows, { ...OPTIONS, seed: 7 }));
  });
});

describe('PROVENANCE counts for the converted datasets', () => {
  it.each<[string, { distinct: number; extra: number; nearGroups: number; nearRows: number; c1: number; edges: number; entities: number }]>([
    ['sms_spam.csv', { distinct: 281, extra: 403, nearGroups: 34, nearRows: 101, c1: 35, edges: 187, entities: 309 }],
    ['sentiment_sentences.csv', { distinct: 17, extra: 17, nearGroups: 11, nearRows: 30, c1: 8, edges: 1000, entities: 1 }],
    ['clinc150.csv', { distinct: 0, extra: 0, nearGroups: 5, nearRows: 10, c1: 0, edges: 0, entities: 0 }],
  ])('%s', (file, want) => {
    const table = loadDataset(file);
    const report = buildQualityReport(table.rows, OPTIONS);
    const exact = byId(report, 'exact_duplicates');
    expect([exact.groups?.length ?? 0, exact.count]).toEqual([want.distinct, want.extra]);
    const near = byId(report, 'normalized_duplicates');
    expect([near.groups?.length ?? 0, near.count]).toEqual([want.nearGroups, want.nearRows]);
    expect(byId(report, 'conflicting_labels').count).toBe(0);
    expect(byId(report, 'control_chars').count).toBe(want.c1);
    expect(byId(report, 'whitespace_edges').count).toBe(want.edges);
    expect(byId(report, 'html_entities').count).toBe(want.entities);
  });

  it('sms_spam: 9 of the 187 edge-whitespace texts are leading; "Sorry, I\'ll call later" has 30 copies', () => {
    const table = loadDataset('sms_spam.csv');
    const report = buildQualityReport(table.rows, OPTIONS);
    expect(byId(report, 'whitespace_edges').reason).toContain('(9 at the start)');
    const sorry = byId(report, 'exact_duplicates').groups!.find((g) => table.rows[g[0]][0] === "Sorry, I'll call later");
    expect(sorry).toHaveLength(30);
    expect(sorry!.slice(0, 3).map((r) => r + 1)).toEqual([81, 224, 340]);
    expect(groups1(byId(report, 'normalized_duplicates')).slice(0, 3)).toEqual([
      [57, 493, 2301],
      [58, 2281, 4185, 4621],
      [77, 1397],
    ]);
  });

  it('sentiment: the C1 characters are U+0096 ×5, NEL ×2, U+0097 ×1', () => {
    const table = loadDataset('sentiment_sentences.csv');
    const f = byId(buildQualityReport(table.rows, OPTIONS), 'control_chars');
    const chars = f.rows.map((r) => [...table.rows[r][0]].find((c) => c >= '\u0080' && c <= '\u009f'));
    expect(chars.sort()).toEqual(['\u0085', '\u0085', '\u0096', '\u0096', '\u0096', '\u0096', '\u0096', '\u0097']);
  });
});

describe('bad input gets blocking explanations, never a throw', () => {
  const texts = Array.from({ length: 40 }, (_, i) => `message number ${i} about topic ${i % 7}`);
  it.each<[string, string[][], { textColumn: number; labelColumn: number }, string, RegExp]>([
    [
      'no text column (numbers only)',
      texts.map((_, i) => [String(i), i % 2 ? 'a' : 'b']),
      { textColumn: 0, labelColumn: 1 },
      'no_text_column',
      /numbers or codes/,
    ],
    ['no text column (index out of range)', texts.map((t) => [t, 'a']), { textColumn: 5, labelColumn: 1 }, 'no_text_column', /No text column/],
    ['text column empty everywhere', texts.map(() => ['', 'a']), { textColumn: 0, labelColumn: 1 }, 'no_text_column', /empty in every row/],
    ['only one label', texts.map((t) => [t, 'spam']), { textColumn: 0, labelColumn: 1 }, 'single_label', /same label, "spam"/],
    ['all rows duplicates', texts.map(() => ['the same text', 'a']), { textColumn: 0, labelColumn: 1 }, 'too_few_rows', /copies of only 1 text/],
    ['no rows', [], { textColumn: 0, labelColumn: 1 }, 'too_few_rows', /no data rows/],
  ])('%s', (_name, rows, cols, checkId, reason) => {
    const report = buildQualityReport(rows, { ...cols, maxSeqLength: 128 });
    const f = report.findings.find((x) => x.checkId === checkId);
    expect(f?.severity).toBe('blocking');
    expect(f?.reason).toMatch(reason);
    expect(report.severity).toBe('blocking');
  });

  it('100k distinct labels: too_many_labels, rare labels not listed one by one', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [`text number ${i} with some words`, `label-${i}`]);
    const report = buildQualityReport(rows, { textColumn: 0, labelColumn: 1, maxSeqLength: 128 });
    const f = report.findings.find((x) => x.checkId === 'too_many_labels')!;
    expect(f.severity).toBe('blocking');
    expect(f.reason).toMatch(/100,000 distinct values/);
    expect(report.findings.find((x) => x.checkId === 'rare_labels')?.reason).toMatch(/Not checked/);
  });
});
