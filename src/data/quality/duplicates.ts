// Exact duplicates (same text and label) and normalized duplicates (different texts, same key).
// Pure: texts, labels and the shared TextIndex in, findings out; no DOM, no I/O.
import { extraRows, flattenGroups, okFinding, plural, type Finding } from './findings';
import { groupRowsByKey, type TextIndex } from './textIndex';

export const EXACT_DUPLICATES = 'exact_duplicates';
export const NORMALIZED_DUPLICATES = 'normalized_duplicates';

/** Groups of rows whose text and label are both identical strings (blank texts included). */
export function findExactDuplicateGroups(index: TextIndex, labels: readonly string[]): number[][] {
  const ids = new Map<string, number>();
  const keys = new Int32Array(index.exactId.length);
  for (let i = 0; i < keys.length; i++) {
    const key = `${index.exactId[i]}\u0000${labels[i] ?? ''}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    keys[i] = id;
  }
  return groupRowsByKey(keys);
}

/** Finding: exact duplicates; the fix keeps the first copy of each group. */
export function checkExactDuplicates(index: TextIndex, labels: readonly string[]): Finding {
  const groups = findExactDuplicateGroups(index, labels);
  if (groups.length === 0) return okFinding(EXACT_DUPLICATES, "No row repeats another row's text and label.");
  const extra = extraRows(groups);
  return {
    checkId: EXACT_DUPLICATES,
    severity: 'warning',
    count: extra.length,
    rows: flattenGroups(groups),
    groups,
    reason:
      `${plural(groups.length, 'text')} appear more than once with the same label, giving ` +
      `${plural(extra.length, 'extra row')}. Copies weigh those examples more in training and can land on ` +
      'both sides of a split.',
    fix: { kind: 'keep-first', rows: extra, groups },
  };
}

/**
 * Groups of non-blank rows sharing a normalized key while holding at least two different exact
 * texts (PROVENANCE's "near duplicates"). Each group lists all rows with that key, exact copies included.
 */
export function findNormalizedDuplicateGroups(index: TextIndex): number[][] {
  const groups = groupRowsByKey(index.normId);
  return groups.filter((g) => g.some((r) => index.exactId[r] !== index.exactId[g[0]]));
}

/** Finding: texts that differ only in case, punctuation, spacing or Unicode form. */
export function checkNormalizedDuplicates(index: TextIndex): Finding {
  const groups = findNormalizedDuplicateGroups(index);
  if (groups.length === 0) {
    return okFinding(NORMALIZED_DUPLICATES, 'No texts differ only in case, punctuation or spacing.');
  }
  const rows = flattenGroups(groups);
  return {
    checkId: NORMALIZED_DUPLICATES,
    severity: 'warning',
    count: rows.length,
    rows,
    groups,
    reason:
      `${plural(groups.length, 'group')} of texts (${plural(rows.length, 'row')}) differ only in case, ` +
      'punctuation, spacing or Unicode form. The model sees them as the same example.',
    fix: { kind: 'keep-first', rows: extraRows(groups), groups },
  };
}
