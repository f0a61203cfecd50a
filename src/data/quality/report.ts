// buildQualityReport: runs every data-quality check over parsed rows and returns findings for the UI.
// Pure and seeded: rows and options in, a report out; no DOM, no I/O, no clock, no tfjs.
import { isMissingLabel, MIN_USABLE_ROWS } from '../labels';
import { checkBlankTexts, checkMissingLabels } from './blanks';
import { checkConflictingLabels } from './conflicts';
import { checkExactDuplicates, checkNormalizedDuplicates } from './duplicates';
import { checkEncoding, checkWhitespaceEdges } from './encoding';
import { plural, type Finding, type Severity } from './findings';
import { checkFuzzyDuplicates, findFuzzyDuplicates, type FuzzyDuplicates } from './fuzzyDuplicates';
import { checkLabelDistribution, type LabelStats } from './labelDistribution';
import { checkLengths, type LengthStats } from './lengths';
import { checkLabelVariants } from './labelVariants';
import { indexTexts, type TextIndex } from './textIndex';

export const NO_TEXT_COLUMN = 'no_text_column';
export const NO_LABEL_COLUMN = 'no_label_column';
export const TOO_FEW_ROWS = 'too_few_rows';

export type QualityOptions = {
  textColumn: number;
  labelColumn: number;
  /** Maximum sequence length of the model, in tokens. */
  maxSeqLength: number;
  /** Token count per row from the chosen tokenizer; estimated from characters when absent. */
  tokenLengths?: ArrayLike<number>;
  /** Jaccard threshold for fuzzy duplicates (default DEFAULT_JACCARD_THRESHOLD = 0.8). */
  jaccardThreshold?: number;
  /** Seed for MinHash; the same seed gives the same report. */
  seed?: number;
  minExamplesPerLabel?: number;
  maxImbalanceRatio?: number;
  minWords?: number;
};

export type QualityReport = {
  rowCount: number;
  /** Every check that ran, in a fixed order, including the ones that found nothing (severity ok). */
  findings: Finding[];
  /** The worst severity among the findings. */
  severity: Severity;
  summary: Record<Severity, number>;
  labels?: LabelStats;
  lengths?: LengthStats;
  /**
   * The text index and fuzzy pairs the report computed, for buildSplitGroups and detectSplitLeakage to
   * reuse on the same rows (saves recomputing MinHash). Large typed arrays: drop before posting to the UI.
   */
  reuse?: { index: TextIndex; fuzzy: FuzzyDuplicates };
};

/** Runs all checks. Bad input (no text column, one label, 100k labels) becomes blocking findings, never a throw. */
export function buildQualityReport(rows: readonly (readonly string[])[], options: QualityOptions): QualityReport {
  const columnProblem = checkColumns(rows, options);
  if (columnProblem) return finish(rows.length, [columnProblem]);
  const texts = rows.map((r) => r[options.textColumn] ?? '');
  const labels = rows.map((r) => r[options.labelColumn] ?? '');
  const index = indexTexts(texts);
  const labelPart = checkLabelDistribution(labels, options);
  const lengthPart = checkLengths(texts, index.normalized, options);
  const fuzzy = findFuzzyDuplicates(index, { threshold: options.jaccardThreshold, seed: options.seed });
  const findings: Finding[] = [
    checkDistinctRows(index.normId, labels),
    ...labelPart.findings,
    checkLabelVariants(labels),
    ...checkBlankTexts(texts),
    checkMissingLabels(labels),
    checkExactDuplicates(index, labels),
    checkNormalizedDuplicates(index),
    checkFuzzyDuplicates(fuzzy),
    checkConflictingLabels(index, labels),
    ...lengthPart.findings,
    checkWhitespaceEdges(texts),
    ...checkEncoding(texts),
  ];
  return { ...finish(rows.length, findings), labels: labelPart.stats, lengths: lengthPart.stats, reuse: { index, fuzzy } };
}

function finish(rowCount: number, findings: Finding[]): QualityReport {
  const summary: Record<Severity, number> = { ok: 0, warning: 0, blocking: 0 };
  for (const f of findings) summary[f.severity]++;
  const severity: Severity = summary.blocking > 0 ? 'blocking' : summary.warning > 0 ? 'warning' : 'ok';
  return { rowCount, findings, severity, summary };
}

/** A blocking finding when the chosen columns cannot hold texts and labels, else null. */
function checkColumns(rows: readonly (readonly string[])[], options: QualityOptions): Finding | null {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const { textColumn, labelColumn } = options;
  const valid = (c: number) => Number.isInteger(c) && c >= 0 && (rows.length === 0 || c < width);
  const block = (checkId: string, reason: string): Finding => ({ checkId, severity: 'blocking', count: 0, rows: [], reason });
  if (!valid(textColumn)) return block(NO_TEXT_COLUMN, 'No text column is chosen. Pick the column that holds the texts to classify.');
  if (!valid(labelColumn)) return block(NO_LABEL_COLUMN, 'No label column is chosen. Pick the column that holds the class names.');
  if (textColumn === labelColumn) {
    return block(NO_TEXT_COLUMN, 'The text and label columns are the same column. Pick two different columns.');
  }
  if (rows.length === 0) return block(TOO_FEW_ROWS, 'The file has no data rows.');
  let filled = 0;
  let numeric = 0;
  let letters = 0;
  for (const r of rows) {
    const t = r[textColumn] ?? '';
    if (t.trim() === '') continue;
    filled++;
    if (/^[\d\s.,:/+-]+$/.test(t)) numeric++;
    // Words in any script, and emoji: an emoji-only text is text, not a code.
    if (/[\p{L}\p{Extended_Pictographic}\p{So}]/u.test(t)) letters++;
  }
  if (filled === 0) {
    return block(NO_TEXT_COLUMN, 'The chosen text column is empty in every row, so there is no text column. Pick the column that holds the texts.');
  }
  if (numeric / filled > 0.9 || letters === 0) {
    return block(
      NO_TEXT_COLUMN,
      `The chosen text column holds numbers or codes, not words (${plural(numeric, 'value')} ` +
        `of ${filled} are numeric). There is no text column to train on; pick the column with the texts.`,
    );
  }
  return null;
}

/** Blocking when fewer than MIN_USABLE_ROWS distinct (normalized) labelled texts remain, e.g. all rows are copies. */
function checkDistinctRows(normId: Int32Array, labels: readonly string[]): Finding {
  const seen = new Set<number>();
  let usable = 0;
  for (let i = 0; i < normId.length; i++) {
    if (normId[i] < 0 || isMissingLabel(labels[i])) continue;
    usable++;
    seen.add(normId[i]);
  }
  if (seen.size >= MIN_USABLE_ROWS) {
    return { checkId: TOO_FEW_ROWS, severity: 'ok', count: 0, rows: [], reason: `${plural(seen.size, 'distinct labelled text')}.` };
  }
  const copies = usable > seen.size ? ` The ${plural(usable, 'labelled row')} are copies of only ${plural(seen.size, 'text')}.` : '';
  return {
    checkId: TOO_FEW_ROWS,
    severity: 'blocking',
    count: seen.size,
    rows: [],
    reason:
      `Only ${plural(seen.size, 'distinct text')} with a label remain; training needs at least ${MIN_USABLE_ROWS}.` +
      `${copies} Add more distinct labelled rows.`,
  };
}
