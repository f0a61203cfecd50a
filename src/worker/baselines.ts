// The bars a classification run is held against, measured on the session's split before training: the classical
// TF-IDF + logistic regression (cached per split, it takes seconds) and the majority class; plus the run's verdict.
import type { BaselineView, ClassReport, FineTuneStrategy, VerdictView } from '../protocol/messages';
import { trainClassicalBaseline } from '../train/classical/classicalBaseline';
import type { ClassificationMetrics } from '../train/metrics';
import { majorityClassMetrics, runVerdict } from '../train/verdict';
import type { ClassifierData } from './classifierParts';
import type { StudioSession } from './session';

export const CLASSICAL_DESCRIPTION = 'TF-IDF (word 1-2 grams + character 2-5 grams, sublinear tf) + logistic regression';

export type Baselines = { classical: BaselineView | null; majority: BaselineView };

/** Keyed by the split object (replaced by every new split) and the columns. */
const cache = new WeakMap<object, { key: string; value: Baselines }>();

const perClass = (m: ClassificationMetrics, labels: readonly string[]): ClassReport[] => m.perClass.map((c, i) => ({ label: labels[i] ?? String(i), ...c }));

export function measureBaselines(session: StudioSession, data: ClassifierData): Baselines {
  const split = session.split;
  const table = session.table;
  if (!split || !table) throw new Error('assertion failed: no split');
  const key = `${session.textColumn}:${session.labelColumn}:${data.labelNames.join('\u0001')}`;
  const hit = cache.get(split);
  if (hit && hit.key === key) return hit.value;
  const rows = table.table.rows;
  const labelId = new Map(data.labelNames.map((l, i) => [l, i]));
  const pick = (idx: readonly number[]) => ({
    texts: idx.map((i) => rows[i][session.textColumn] ?? ''),
    labels: idx.map((i) => labelId.get(rows[i][session.labelColumn])!),
  });
  const train = pick(split.train);
  const validation = pick(split.validation);
  const K = data.labelNames.length;
  const t0 = performance.now();
  const maj = majorityClassMetrics(train.labels, validation.labels, K);
  const majPerClass = data.labelNames.map((label, i) => {
    const support = validation.labels.filter((l) => l === i).length;
    const f1 = i === maj.label && support > 0 ? (2 * maj.accuracy) / (maj.accuracy + 1) : 0;
    return { label, precision: i === maj.label ? maj.accuracy : 0, recall: i === maj.label ? 1 : 0, f1, support };
  });
  const majority: BaselineView = {
    kind: 'majority',
    description: `Always "${data.labelNames[maj.label]}" (the most frequent training label)`,
    accuracy: maj.accuracy,
    macroF1: maj.macroF1,
    perClass: majPerClass,
    trainMs: performance.now() - t0,
  };
  let classical: BaselineView | null = null;
  if (validation.texts.length > 0 && K >= 2) {
    const r = trainClassicalBaseline(train, validation, K);
    classical = {
      kind: 'classical',
      description: CLASSICAL_DESCRIPTION,
      accuracy: r.accuracy,
      macroF1: r.macroF1,
      perClass: perClass(r.metrics, data.labelNames),
      trainMs: r.trainMs,
      numFeatures: r.numFeatures,
    };
  }
  const value = { classical, majority };
  cache.set(split, { key, value });
  return value;
}

export function verdictFor(
  best: ClassificationMetrics | null,
  baselines: Baselines,
  labelNames: readonly string[],
  strategy: FineTuneStrategy,
  pretrained: boolean,
): VerdictView | null {
  if (!best) return null;
  return runVerdict({ fineTuned: best, classical: baselines.classical, majority: baselines.majority, labelNames, strategy, pretrained });
}
