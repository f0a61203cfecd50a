// Table tests for the classification metrics (expected values worked by hand, as sklearn computes them).
import { describe, expect, it } from 'vitest';
import { classificationMetrics, confusionMatrix } from './metrics';

describe('confusionMatrix', () => {
  it('counts rows = true, columns = predicted', () => {
    expect(confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });
});

describe('classificationMetrics', () => {
  it.each<[string, number[], number[], number, { accuracy: number; macroF1: number; f1: number[] }]>([
    ['perfect', [0, 1, 2, 1], [0, 1, 2, 1], 3, { accuracy: 1, macroF1: 1, f1: [1, 1, 1] }],
    ['all wrong, 2 classes', [0, 1], [1, 0], 2, { accuracy: 0, macroF1: 0, f1: [0, 0] }],
    // class 0: p 1/2 r 1/2 f1 1/2; class 1: p 1/2 r 1 f1 2/3; class 2: p 1 r 1/2 f1 2/3.
    ['mixed', [0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3, { accuracy: 3 / 5, macroF1: (1 / 2 + 2 / 3 + 2 / 3) / 3, f1: [1 / 2, 2 / 3, 2 / 3] }],
    // class 2 never occurs nor is predicted: left out of the macro average (sklearn without labels=).
    ['absent class', [0, 1, 1], [0, 1, 0], 3, { accuracy: 2 / 3, macroF1: (2 / 3 + 2 / 3) / 2, f1: [2 / 3, 2 / 3, 0] }],
    // always predicting 0: class 1 has precision 0 (zero_division=0), f1 0.
    ['majority guess', [0, 0, 0, 1], [0, 0, 0, 0], 2, { accuracy: 3 / 4, macroF1: (6 / 7 + 0) / 2, f1: [6 / 7, 0] }],
    ['empty', [], [], 2, { accuracy: 0, macroF1: 0, f1: [0, 0] }],
  ])('%s', (_name, labels, predictions, C, want) => {
    const m = classificationMetrics(labels, predictions, C);
    expect(m.accuracy).toBeCloseTo(want.accuracy, 12);
    expect(m.macroF1).toBeCloseTo(want.macroF1, 12);
    m.perClass.forEach((c, i) => expect(c.f1).toBeCloseTo(want.f1[i], 12));
    expect(m.perClass.map((c) => c.support)).toEqual(Array.from({ length: C }, (_, c) => labels.filter((y) => y === c).length));
  });

  it('gives per-class precision and recall', () => {
    const m = classificationMetrics([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3);
    expect(m.perClass.map((c) => [c.precision, c.recall])).toEqual([
      [0.5, 0.5],
      [0.5, 1],
      [1, 0.5],
    ]);
  });
});
