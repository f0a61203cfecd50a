// Conflicting labels: the same text, or the same normalized text, labelled differently.
// Pure: TextIndex and labels in, a finding out; no DOM, no I/O.
import { flattenGroups, okFinding, plural, type Finding } from './findings';
import { isMissingLabel } from '../labels';
import { type TextIndex } from './textIndex';

export const CONFLICTING_LABELS = 'conflicting_labels';

/** Groups of labelled, non-blank rows with one normalized key and at least two distinct labels. */
export function findConflictGroups(index: TextIndex, labels: readonly string[]): number[][] {
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const k = index.normId[i];
    if (k < 0 || isMissingLabel(labels[i])) continue;
    const g = byKey.get(k);
    if (g) g.push(i);
    else byKey.set(k, [i]);
  }
  const groups: number[][] = [];
  for (const g of byKey.values()) {
    if (g.length > 1 && g.some((r) => labels[r] !== labels[g[0]])) groups.push(g);
  }
  return groups.sort((x, y) => x[0] - y[0]);
}

/** Finding: conflicting labels. The fix drops every row of each group, since which label is right is unknown. */
export function checkConflictingLabels(index: TextIndex, labels: readonly string[]): Finding {
  const groups = findConflictGroups(index, labels);
  if (groups.length === 0) return okFinding(CONFLICTING_LABELS, 'No text carries two different labels.');
  const rows = flattenGroups(groups);
  const example = groups[0].map((r) => `row ${r + 1} "${labels[r]}"`).join(', ');
  return {
    checkId: CONFLICTING_LABELS,
    severity: 'warning',
    count: groups.length,
    rows,
    groups,
    reason:
      `${plural(groups.length, 'text')} (${plural(rows.length, 'row')}) carry different labels for the ` +
      `same (or normalized-same) text, e.g. ${example}. The model is taught both answers; fix the labels ` +
      'or drop the rows.',
    fix: { kind: 'drop', rows },
  };
}
