// Empty texts, whitespace-only texts (NBSP and other Unicode spaces) and missing labels.
// Pure: texts and labels in, findings out; no DOM, no I/O.
import { isMissingLabel } from '../labels';
import { okFinding, plural, type Finding } from './findings';
import { isBlankText } from './normalize';

export const EMPTY_TEXT = 'empty_text';
export const WHITESPACE_ONLY_TEXT = 'whitespace_only_text';
export const MISSING_LABEL = 'missing_label';

/** Two findings: texts that are '' and texts made only of whitespace. Both are dropped by the fix. */
export function checkBlankTexts(texts: readonly string[]): Finding[] {
  const empty: number[] = [];
  const spaces: number[] = [];
  texts.forEach((t, i) => {
    if (t === undefined || t === '') empty.push(i);
    else if (isBlankText(t)) spaces.push(i);
  });
  const emptyFinding: Finding =
    empty.length === 0
      ? okFinding(EMPTY_TEXT, 'Every row has text.')
      : {
          checkId: EMPTY_TEXT,
          severity: 'warning',
          count: empty.length,
          rows: empty,
          reason: `${plural(empty.length, 'row')} have an empty text; they cannot be trained on and will be skipped.`,
          fix: { kind: 'drop', rows: empty },
        };
  const spaceFinding: Finding =
    spaces.length === 0
      ? okFinding(WHITESPACE_ONLY_TEXT, 'No text is made only of spaces.')
      : {
          checkId: WHITESPACE_ONLY_TEXT,
          severity: 'warning',
          count: spaces.length,
          rows: spaces,
          reason:
            `${plural(spaces.length, 'row')} hold only spaces, tabs or invisible spaces (such as a no-break ` +
            'space); they look filled but carry no text and will be skipped.',
          fix: { kind: 'drop', rows: spaces },
        };
  return [emptyFinding, spaceFinding];
}

/** Rows whose label cell is empty or whitespace. */
export function checkMissingLabels(labels: readonly string[]): Finding {
  const rows: number[] = [];
  labels.forEach((l, i) => {
    if (isMissingLabel(l)) rows.push(i);
  });
  if (rows.length === 0) return okFinding(MISSING_LABEL, 'Every row has a label.');
  return {
    checkId: MISSING_LABEL,
    severity: 'warning',
    count: rows.length,
    rows,
    reason: `${plural(rows.length, 'row')} have no label; they will be skipped. Label them or drop them.`,
    fix: { kind: 'drop', rows },
  };
}
