// Label distribution: single label, too many labels, rare labels (< k examples), imbalance ratio.
// Pure: labels in, findings and counts out; no DOM, no I/O.
import { isMissingLabel, MAX_DISTINCT_LABEL_RATIO, MAX_LABELS, type LabelCount } from '../labels';
import { okFinding, plural, type Finding } from './findings';

export const SINGLE_LABEL = 'single_label';
export const TOO_MANY_LABELS = 'too_many_labels';
export const RARE_LABELS = 'rare_labels';
export const LABEL_IMBALANCE = 'label_imbalance';

/**
 * Labels with fewer examples than this are "rare". Below 5 a class is learned poorly, and a 10–20 %
 * validation split holds at most one of its rows (round(4 × 0.2) = 1), so its validation score is noise.
 */
export const DEFAULT_MIN_EXAMPLES_PER_LABEL = 5;
/** Largest ÷ smallest class (rare labels left out; they have their own finding) above which we warn. */
export const DEFAULT_MAX_IMBALANCE_RATIO = 10;

export type LabelStats = {
  /** Rows per label over rows that have a label, most frequent first; ties by first appearance. */
  counts: LabelCount[];
  /** Largest ÷ smallest count among labels with at least minExamplesPerLabel rows; 1 when fewer than 2 such labels. */
  imbalanceRatio: number;
  labelledRows: number;
};

export type LabelOptions = { minExamplesPerLabel?: number; maxImbalanceRatio?: number };

/** Counts labels (missing ones left out) and returns the label findings. Linear in rows, safe for 100k labels. */
export function checkLabelDistribution(labels: readonly string[], options: LabelOptions = {}): { findings: Finding[]; stats: LabelStats } {
  const k = options.minExamplesPerLabel ?? DEFAULT_MIN_EXAMPLES_PER_LABEL;
  const maxRatio = options.maxImbalanceRatio ?? DEFAULT_MAX_IMBALANCE_RATIO;
  const rowsOf = new Map<string, number[]>();
  labels.forEach((label, i) => {
    if (isMissingLabel(label)) return;
    const g = rowsOf.get(label);
    if (g) g.push(i);
    else rowsOf.set(label, [i]);
  });
  const counts = [...rowsOf].map(([label, rows]) => ({ label, count: rows.length })).sort((a, b) => b.count - a.count);
  const labelledRows = counts.reduce((s, c) => s + c.count, 0);
  const common = counts.filter((c) => c.count >= k);
  const imbalanceRatio = common.length < 2 ? 1 : common[0].count / common[common.length - 1].count;
  const stats = { counts, imbalanceRatio, labelledRows };

  const findings: Finding[] = [];
  const tooMany = counts.length > MAX_LABELS || (counts.length > 2 && counts.length > MAX_DISTINCT_LABEL_RATIO * labelledRows);
  findings.push(
    counts.length === 1
      ? {
          checkId: SINGLE_LABEL,
          severity: 'blocking',
          count: 1,
          rows: [],
          reason:
            `Every labelled row has the same label, "${counts[0].label}". A classifier needs at least two ` +
            'classes; pick another label column or add rows of other classes.',
        }
      : counts.length === 0
        ? { checkId: SINGLE_LABEL, severity: 'blocking', count: 0, rows: [], reason: 'No row has a label. Pick the column that holds the class names.' }
        : okFinding(SINGLE_LABEL, `${plural(counts.length, 'label')}.`),
  );
  findings.push(
    tooMany
      ? {
          checkId: TOO_MANY_LABELS,
          severity: 'blocking',
          count: counts.length,
          rows: [],
          reason:
            `The label column has ${counts.length.toLocaleString('en-US')} distinct values in ` +
            `${labelledRows.toLocaleString('en-US')} labelled rows (at most ${MAX_LABELS} labels, and fewer than half ` +
            'as many labels as rows, are trainable). This looks like a text or ID column; pick the column with the class names.',
        }
      : okFinding(TOO_MANY_LABELS, 'The number of labels suits the number of rows.'),
  );
  if (tooMany) {
    findings.push(okFinding(RARE_LABELS, 'Not checked: the label column is not usable.'));
    findings.push(okFinding(LABEL_IMBALANCE, 'Not checked: the label column is not usable.'));
    return { findings, stats };
  }
  findings.push(rareLabelFinding(counts, rowsOf, k));
  findings.push(imbalanceFinding(common, rowsOf, imbalanceRatio, maxRatio));
  return { findings, stats };
}

function rareLabelFinding(counts: LabelCount[], rowsOf: Map<string, number[]>, k: number): Finding {
  const rare = counts.filter((c) => c.count < k);
  if (rare.length === 0) return okFinding(RARE_LABELS, `Every label has at least ${k} examples.`);
  const rows = rare.flatMap((c) => rowsOf.get(c.label) ?? []).sort((a, b) => a - b);
  const named =
    rare
      .slice(0, 5)
      .map((c) => `"${c.label}" (${c.count})`)
      .join(', ') + (rare.length > 5 ? ` and ${rare.length - 5} more` : '');
  return {
    checkId: RARE_LABELS,
    severity: 'warning',
    count: rare.length,
    rows,
    reason:
      `${plural(rare.length, 'label')} have fewer than ${k} examples: ${named}. They will be learned poorly ` +
      'and barely appear in validation. Add examples, merge them into another label, or drop them.',
    fix: { kind: 'drop', rows },
  };
}

function imbalanceFinding(common: LabelCount[], rowsOf: Map<string, number[]>, ratio: number, maxRatio: number): Finding {
  if (ratio <= maxRatio) {
    return okFinding(LABEL_IMBALANCE, `The largest class is ${ratio.toFixed(1)}× the smallest (warning above ${maxRatio}×).`);
  }
  const largest = common[0];
  const small = common.filter((c) => c.count * maxRatio < largest.count);
  const rows = small.flatMap((c) => rowsOf.get(c.label) ?? []).sort((a, b) => a - b);
  return {
    checkId: LABEL_IMBALANCE,
    severity: 'warning',
    count: small.length,
    rows,
    reason:
      `The classes are imbalanced: "${largest.label}" has ${largest.count} rows, ${ratio.toFixed(1)}× the ` +
      `smallest. ${plural(small.length, 'label')} have under 1/${maxRatio} of the largest; the model may ignore them. ` +
      'Add examples of those, or judge the run by per-class scores rather than accuracy.',
  };
}
