// Table tests for the small checks: encoding junk, whitespace edges, lengths, label distribution.
// Inline rows only.
import { describe, expect, it } from 'vitest';
import { checkEncoding, checkWhitespaceEdges } from './encoding';
import { checkLabelDistribution } from './labelDistribution';
import { checkLengths } from './lengths';

describe('checkEncoding', () => {
  const ids = (texts: string[]) =>
    checkEncoding(texts)
      .filter((f) => f.count > 0)
      .map((f) => f.checkId);
  it.each<[string, string[]]>([
    ['plain text, café, £5', []],
    ['that\u0092s fine', ['control_chars']],
    ['bell\u0007', ['control_chars']],
    ['tab\tand\nnewline', []],
    ['cafÃ© ok', ['mojibake']],
    ['it\u00e2\u20ac\u2122s', ['mojibake']],
    ['only Â£5', ['mojibake']],
    ['&lt;#&gt; and &amp;', ['html_entities']],
    ['&#39; and &#x27;', ['html_entities']],
    ['AT&T; is not an entity', []],
    ['lost \ufffd byte', ['replacement_chars']],
  ])('%j → %j', (text, want) => expect(ids([text])).toEqual(want));
});

describe('checkWhitespaceEdges', () => {
  it('counts leading and trailing, skips blank texts, and offers trim', () => {
    const f = checkWhitespaceEdges([' a', 'b ', 'c', '   ', 'd\u00a0']);
    expect(f.rows).toEqual([0, 1, 4]);
    expect(f.reason).toContain('(1 at the start)');
    expect(f.fix).toEqual({ kind: 'trim', rows: [0, 1, 4] });
  });
});

describe('checkLengths', () => {
  it('uses given token lengths, the share truncated and a histogram with an overflow bin', () => {
    const texts = ['a b c', 'one two', 'x', '', 'long text here'];
    const { findings, stats } = checkLengths(texts, undefined, { maxSeqLength: 100, tokenLengths: [5, 10, 1, 0, 250] });
    expect(findings[0]).toMatchObject({ checkId: 'too_long', rows: [4] });
    expect(findings[1]).toMatchObject({ checkId: 'too_short', rows: [2] });
    expect(stats.truncatedShare).toBeCloseTo(1 / 4);
    expect(stats.estimated).toBe(false);
    expect(stats.histogram).toHaveLength(11);
    expect(stats.histogram[0]).toEqual({ from: 0, to: 10, count: 3 });
    expect(stats.histogram[10]).toEqual({ from: 101, to: 250, count: 1 });
    expect(stats.histogram.reduce((s, b) => s + b.count, 0)).toBe(4);
  });

  it('estimates 4 characters per token without token lengths', () => {
    const { stats, findings } = checkLengths(['x'.repeat(41) + ' y'], undefined, { maxSeqLength: 10 });
    expect(stats.estimated).toBe(true);
    expect(stats.maxTokens).toBe(11);
    expect(findings[0].reason).toMatch(/estimated/);
  });
});

describe('checkLabelDistribution', () => {
  it('reports rare labels with k = 5 and the imbalance among the others', () => {
    const labels = [...Array(120).fill('a'), ...Array(10).fill('b'), ...Array(3).fill('c'), ''];
    const { findings, stats } = checkLabelDistribution(labels);
    const by = Object.fromEntries(findings.map((f) => [f.checkId, f]));
    expect(by.rare_labels.count).toBe(1);
    expect(by.rare_labels.rows).toEqual([130, 131, 132]);
    expect(stats.imbalanceRatio).toBe(12);
    expect(by.label_imbalance.severity).toBe('warning');
    expect(by.label_imbalance.rows).toHaveLength(10);
    expect(checkLabelDistribution(labels, { maxImbalanceRatio: 20 }).findings.find((f) => f.checkId === 'label_imbalance')?.severity).toBe('ok');
  });

  it('blocks a label column with as many values as rows', () => {
    const { findings } = checkLabelDistribution(Array.from({ length: 50 }, (_, i) => `l${i}`));
    expect(findings.find((f) => f.checkId === 'too_many_labels')?.severity).toBe('blocking');
  });
});
