// applyFixes: applies the one-click fixes of quality findings to rows and says what changed.
// Pure: returns new rows; the input is never mutated. No DOM, no I/O.
import { assert } from '../../lib/result';
import { isMissingLabel } from '../labels';
import { type Fix } from './findings';

export type AppliedFixes = {
  /** The cleaned rows (new arrays; untouched rows are copied). */
  rows: string[][];
  /** keptRowIndices[i] is the input row that became rows[i]. */
  keptRowIndices: number[];
  /** Input rows removed, ascending. */
  droppedRows: number[];
  /** Input rows whose text was trimmed, ascending. */
  trimmedRows: number[];
  /** Input rows whose label was changed by a merge. */
  relabeled: { row: number; from: string; to: string }[];
};

/**
 * Applies fixes in a fixed order, whatever order they come in: trims, relabels, then merges (relabel the kept
 * row), then removals (drop, keep-first, merge). A row dropped by any fix is dropped.
 */
export function applyFixes(rows: readonly (readonly string[])[], fixes: readonly Fix[], columns: { textColumn: number; labelColumn: number }): AppliedFixes {
  const { textColumn, labelColumn } = columns;
  const out = rows.map((r) => r.slice());
  const drop = new Uint8Array(rows.length);
  const trimmed = new Set<number>();
  const relabeled: AppliedFixes['relabeled'] = [];
  const inRange = (r: number) => assert(Number.isInteger(r) && r >= 0 && r < rows.length, `fix row ${r} is out of range`);
  for (const fix of fixes) {
    if (fix.kind !== 'trim') continue;
    for (const r of fix.rows) {
      inRange(r);
      const t = out[r][textColumn] ?? '';
      if (t.trim() !== t) {
        out[r][textColumn] = t.trim();
        trimmed.add(r);
      }
    }
  }
  for (const fix of fixes) {
    if (fix.kind !== 'relabel' || !fix.labels) continue;
    for (const r of fix.rows) {
      inRange(r);
      const from = out[r][labelColumn] ?? '';
      const to = Object.prototype.hasOwnProperty.call(fix.labels, from) ? fix.labels[from] : undefined;
      if (to !== undefined && to !== from) {
        relabeled.push({ row: r, from, to });
        out[r][labelColumn] = to;
      }
    }
  }
  for (const fix of fixes) {
    if (fix.kind === 'drop')
      fix.rows.forEach((r) => {
        inRange(r);
        drop[r] = 1;
      });
    if (fix.kind === 'keep-first' || fix.kind === 'merge') {
      const groups = fix.groups ?? [fix.rows];
      for (const group of groups) {
        group.forEach(inRange);
        if (group.length === 0) continue;
        const [first, ...rest] = [...group].sort((a, b) => a - b);
        rest.forEach((r) => {
          drop[r] = 1;
        });
        if (fix.kind === 'merge') {
          const label = majorityLabel(group.map((r) => out[r][labelColumn] ?? ''));
          if (label !== null && label !== out[first][labelColumn]) {
            relabeled.push({ row: first, from: out[first][labelColumn] ?? '', to: label });
            out[first][labelColumn] = label;
          }
        }
      }
    }
  }
  const kept: string[][] = [];
  const keptRowIndices: number[] = [];
  const droppedRows: number[] = [];
  out.forEach((row, i) => {
    if (drop[i]) droppedRows.push(i);
    else {
      kept.push(row);
      keptRowIndices.push(i);
    }
  });
  return { rows: kept, keptRowIndices, droppedRows, trimmedRows: [...trimmed].sort((a, b) => a - b), relabeled };
}

/** The most frequent non-missing label; ties go to the one seen first. Null when all are missing. */
function majorityLabel(labels: string[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const l of labels) {
    if (isMissingLabel(l)) continue;
    const c = (counts.get(l) ?? 0) + 1;
    counts.set(l, c);
    if (best === null || c > (counts.get(best) ?? 0)) best = l;
  }
  return best;
}
