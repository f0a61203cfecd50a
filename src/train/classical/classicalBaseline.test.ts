// The classical baseline on toy data (separable: F1 1) and on a real dataset with the studio's seeded group split.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../data/csv';
import { buildSplitGroups, groupStratifiedSplit } from '../../data/groupSplit';
import { sortLabelNames } from '../../data/dataset';
import { trainClassicalBaseline } from './classicalBaseline';
import { fitTfidf } from './tfidf';
import { minimizeLbfgs } from './lbfgs';

describe('tfidf', () => {
  it('builds l2-normalised sparse rows from word and char_wb grams learned on train only', () => {
    const vec = fitTfidf(['good movie', 'bad movie']);
    const X = vec.transform(['good good movie', 'unseen']);
    expect(X.rows).toBe(2);
    const row0 = X.values.slice(X.rowPtr[0], X.rowPtr[1]);
    // two blocks, each of unit norm
    expect(row0.reduce((s, v) => s + v * v, 0)).toBeCloseTo(2, 5);
    // 'unseen' still shares char grams like ' u'? no: none of its grams are in the vocabulary except 'n', 'e' grams
    const cols = X.colIdx.slice(X.rowPtr[0], X.rowPtr[1]);
    expect(new Set(cols).size).toBe(cols.length);
  });
});

describe('lbfgs', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const r = minimizeLbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i] - (i + 1);
        f += (i + 1) * d * d;
        g[i] = 2 * (i + 1) * d;
      }
      return f;
    }, new Float64Array(5));
    r.x.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 3));
  });
});

describe('classical baseline', () => {
  it('separates separable toy classes perfectly', () => {
    const words = ['apple banana fruit', 'car truck engine', 'rain snow cloud'];
    const make = (n: number, off: number) => Array.from({ length: n }, (_, i) => ({ text: `${words[(i + off) % 3]} item ${i}`, label: (i + off) % 3 }));
    const train = make(30, 0);
    const val = make(12, 1);
    const r = trainClassicalBaseline(
      { texts: train.map((e) => e.text), labels: train.map((e) => e.label) },
      { texts: val.map((e) => e.text), labels: val.map((e) => e.label) },
      3,
    );
    expect(r.macroF1).toBe(1);
    expect(r.metrics.perClass.map((c) => c.f1)).toEqual([1, 1, 1]);
  });

  it('reaches TF-IDF + LR quality (macro-F1 >= 0.78) on sentiment_sentences.csv with the studio split', () => {
    const parsed = parseCsv(readFileSync(new URL('../../../../shared/datasets/sentiment_sentences.csv', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const rows = parsed.value.rows;
    const texts = rows.map((r) => r[0]);
    const labelsText = rows.map((r) => r[1]);
    const split = groupStratifiedSplit(labelsText, buildSplitGroups(texts), { validationFraction: 0.1, seed: 42 });
    const names = sortLabelNames(labelsText);
    const id = (i: number) => names.indexOf(labelsText[i]);
    const pick = (idx: number[]) => ({ texts: idx.map((i) => texts[i]), labels: idx.map(id) });
    const r = trainClassicalBaseline(pick(split.train), pick(split.validation), names.length);
    console.log(
      `sentiment classical: macro-F1 ${r.macroF1.toFixed(3)} acc ${r.accuracy.toFixed(3)} features ${r.numFeatures} iterations ${r.iterations} ${r.trainMs.toFixed(0)} ms`,
    );
    expect(r.macroF1).toBeGreaterThanOrEqual(0.78);
    expect(r.macroF1).toBeLessThan(0.97); // a real dataset, not a leak
  }, 60_000);
});
