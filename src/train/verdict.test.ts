import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './metrics';
import { majorityClassMetrics, runVerdict } from './verdict';

const labels = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2];
const names = ['negative', 'neutral', 'positive'];

describe('verdict', () => {
  it('majority class: accuracy = its share, macro-F1 of one class over the classes present', () => {
    const m = majorityClassMetrics([0, 0, 1], labels, 3);
    expect(m.label).toBe(0);
    expect(m.accuracy).toBeCloseTo(0.6);
    expect(m.macroF1).toBeCloseTo(
      classificationMetrics(
        labels,
        labels.map(() => 0),
        3,
      ).macroF1,
      10,
    );
  });

  it('names the class a collapsed adapter predicts and warns before download', () => {
    const ft = classificationMetrics(
      labels,
      labels.map(() => 0),
      3,
    );
    const v = runVerdict({
      fineTuned: ft,
      classical: { macroF1: 0.7 },
      majority: majorityClassMetrics([0], labels, 3),
      labelNames: names,
      strategy: 'lora',
      pretrained: false,
    });
    expect(v.beatClassical).toBe(false);
    expect(v.noBetterThanMajority).toBe(true);
    expect(v.warnBeforeDownload).toBe(true);
    expect(v.sentence).toMatch(
      /^Fine-tuning did not beat the classical baseline \(\u2212\d\.\d\d\): this adapter predicts mostly 'negative' \(100% of validation rows\); try "LoRA \+ embeddings"/,
    );
  });

  it('says by how much fine-tuning won', () => {
    const ft = classificationMetrics(labels, labels, 3);
    const v = runVerdict({
      fineTuned: ft,
      classical: { macroF1: 0.94 },
      majority: majorityClassMetrics([0], labels, 3),
      labelNames: names,
      strategy: 'full',
      pretrained: false,
    });
    expect(v.sentence).toBe('Fine-tuning beat the classical baseline by +0.06 macro-F1 (1.00 vs 0.94).');
    expect(v.warnBeforeDownload).toBe(false);
  });
});
