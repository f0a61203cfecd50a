// Label counts for a chosen text/label column pair, and the go/no-go check before training.
// Pure: rows in, summary or Result out; no parser library, DOM or I/O.
import { assert, err, ok, type Result } from '../lib/result';

/** Fewest usable rows (text and label present) worth training on. */
export const MIN_USABLE_ROWS = 10;
/** More distinct labels than this is never a class column. */
export const MAX_LABELS = 1000;
/** More distinct labels than this share of usable rows looks like a text or ID column. */
export const MAX_DISTINCT_LABEL_RATIO = 0.5;

export const TRAINABILITY_CODES = {
  too_few_rows: 'too_few_rows',
  single_label: 'single_label',
  too_many_labels: 'too_many_labels',
  singleton_labels: 'singleton_labels',
  rows_skipped: 'rows_skipped',
} as const;
export type TrainabilityCode = keyof typeof TRAINABILITY_CODES;

export type LabelCount = { label: string; count: number };

export type LabelSummary = {
  /** Usable rows per label, most frequent first; ties in order of first appearance. */
  counts: LabelCount[];
  /** Rows that have both a label and non-blank text. */
  usableRows: number;
  /** 0-based indices into `rows` whose label is empty or whitespace. */
  missingLabelRowIndices: number[];
  /** 0-based indices into `rows` whose text is empty or whitespace only (NBSP and tabs included). */
  emptyTextRowIndices: number[];
};

export type TrainabilityIssue = { code: TrainabilityCode; message: string };
export type TrainableReport = { labelCount: number; usableRows: number; warnings: TrainabilityIssue[] };

/** A label is missing when its cell is absent, empty or whitespace. Labels are otherwise kept exactly. */
export function isMissingLabel(label: string | undefined): boolean {
  return label === undefined || label.trim() === '';
}

/** Whitespace-only text (String.prototype.trim covers tab, NBSP and other Unicode spaces) is empty. */
export function isEmptyText(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** Counts usable rows per label and lists the rows that cannot be used. */
export function summarizeLabels(rows: readonly (readonly string[])[], labelColumn: number, textColumn: number): LabelSummary {
  const counts = new Map<string, number>();
  const missingLabelRowIndices: number[] = [];
  const emptyTextRowIndices: number[] = [];
  rows.forEach((row, i) => {
    const label = row[labelColumn];
    const missing = isMissingLabel(label);
    const empty = isEmptyText(row[textColumn]);
    if (missing) missingLabelRowIndices.push(i);
    if (empty) emptyTextRowIndices.push(i);
    if (!missing && !empty) counts.set(label, (counts.get(label) ?? 0) + 1);
  });
  // Array.prototype.sort is stable, so equal counts keep first-appearance order.
  const sorted = [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
  const usableRows = sorted.reduce((sum, c) => sum + c.count, 0);
  return { counts: sorted, usableRows, missingLabelRowIndices, emptyTextRowIndices };
}

/**
 * Says whether the summary can train a classifier. Errors stop training; warnings are shown but allowed.
 * `rowCount` is the number of rows the summary was built from, used in messages.
 */
export function checkTrainable(summary: LabelSummary, rowCount: number): Result<TrainableReport, TrainabilityIssue> {
  assert(rowCount >= summary.usableRows, 'rowCount must include every usable row');
  const { counts, usableRows } = summary;
  const skipped = rowCount - usableRows;
  if (usableRows < MIN_USABLE_ROWS) {
    return err({
      code: 'too_few_rows',
      message:
        `Only ${usableRows} of ${rowCount} rows have both text and a label; training needs at least ` +
        `${MIN_USABLE_ROWS}. Add more labelled rows, or check that the right text and label columns are chosen.`,
    });
  }
  if (counts.length === 1) {
    return err({
      code: 'single_label',
      message:
        `Every usable row has the same label, "${counts[0].label}". A classifier needs at least two classes; ` +
        'pick another label column or add rows of other classes.',
    });
  }
  if (counts.length > MAX_LABELS || counts.length > MAX_DISTINCT_LABEL_RATIO * usableRows) {
    return err({
      code: 'too_many_labels',
      message:
        `The label column has ${counts.length} distinct values in ${usableRows} rows; this looks like a text ` +
        'or ID column, not a label. Pick the column that holds the class names.',
    });
  }
  const warnings: TrainabilityIssue[] = [];
  const singletons = counts.filter((c) => c.count === 1).map((c) => c.label);
  if (singletons.length > 0) {
    warnings.push({
      code: 'singleton_labels',
      message:
        `${singletons.length} label(s) have a single example (${quoteList(singletons)}); they cannot appear in ` +
        'both training and validation and will be hard to learn. Add examples or remove those rows.',
    });
  }
  if (skipped > 0) {
    warnings.push({
      code: 'rows_skipped',
      message:
        `${skipped} of ${rowCount} rows will be skipped: ${summary.missingLabelRowIndices.length} have no label ` +
        `and ${summary.emptyTextRowIndices.length} have empty text.`,
    });
  }
  return ok({ labelCount: counts.length, usableRows, warnings });
}

/** Quotes up to five labels and says how many more there are. */
function quoteList(labels: string[]): string {
  const shown = labels
    .slice(0, 5)
    .map((l) => `"${l}"`)
    .join(', ');
  return labels.length > 5 ? `${shown} and ${labels.length - 5} more` : shown;
}
