// The labelled dataset the trainer consumes (texts, label strings, label ids), built from parsed rows.
// Pure: rows in, dataset plus a drop report out; no parser library, DOM, I/O or tfjs.
import { isEmptyText, isMissingLabel } from './labels';

export type LabeledDataset = {
  /** Texts exactly as parsed (not trimmed). */
  texts: string[];
  /** Label strings exactly as parsed, parallel to `texts`. */
  labels: string[];
  /** Distinct labels in id order; see sortLabelNames for the order. */
  labelNames: string[];
  /** labelIds[i] is the index of labels[i] in labelNames. */
  labelIds: number[];
};

export type DroppedRows = {
  /** Rows left out, each counted once even when it has both problems. */
  count: number;
  /** 0-based indices into the input rows with empty or whitespace-only text. */
  emptyTextRowIndices: number[];
  /** 0-based indices into the input rows with an empty or whitespace-only label. */
  missingLabelRowIndices: number[];
};

export type BuiltDataset = {
  dataset: LabeledDataset;
  /** keptRowIndices[i] is the input row that became example i (for tracing back to the file). */
  keptRowIndices: number[];
  dropped: DroppedRows;
};

/** Builds the dataset from the chosen columns, dropping rows with empty text or a missing label. */
export function buildLabeledDataset(rows: readonly (readonly string[])[], textColumn: number, labelColumn: number): BuiltDataset {
  const texts: string[] = [];
  const labels: string[] = [];
  const keptRowIndices: number[] = [];
  const dropped: DroppedRows = { count: 0, emptyTextRowIndices: [], missingLabelRowIndices: [] };
  rows.forEach((row, i) => {
    const text = row[textColumn];
    const label = row[labelColumn];
    const emptyText = isEmptyText(text);
    const missingLabel = isMissingLabel(label);
    if (emptyText) dropped.emptyTextRowIndices.push(i);
    if (missingLabel) dropped.missingLabelRowIndices.push(i);
    if (emptyText || missingLabel) {
      dropped.count++;
      return;
    }
    texts.push(text);
    labels.push(label);
    keptRowIndices.push(i);
  });
  const labelNames = sortLabelNames(new Set(labels));
  const idOf = new Map(labelNames.map((name, id) => [name, id]));
  const labelIds = labels.map((label) => idOf.get(label) ?? -1);
  return { dataset: { texts, labels, labelNames, labelIds }, keptRowIndices, dropped };
}

const NUMBER_LABEL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * Label id order: numerically when every label is a plain number ("0", "1", "10"), otherwise by
 * UTF-16 code units (locale-independent). Sorting, rather than first appearance, keeps ids the same
 * when the rows are reordered, filtered or split, so a saved adapter's head stays aligned. Repeats are dropped.
 */
export function sortLabelNames(names: Iterable<string>): string[] {
  const list = [...new Set(names)];
  const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (list.length > 0 && list.every((n) => NUMBER_LABEL.test(n))) {
    return list.sort((a, b) => Number(a) - Number(b) || byCodeUnits(a, b));
  }
  return list.sort(byCodeUnits);
}
