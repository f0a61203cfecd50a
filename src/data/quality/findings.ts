// The finding type every data check returns, its closed vocabularies, and small helpers.
// Pure types and functions; no DOM, no I/O.

export const SEVERITIES = { ok: 'ok', warning: 'warning', blocking: 'blocking' } as const;
export type Severity = keyof typeof SEVERITIES;

export const FIX_KINDS = { drop: 'drop', 'keep-first': 'keep-first', merge: 'merge', trim: 'trim', relabel: 'relabel' } as const;
export type FixKind = keyof typeof FIX_KINDS;

/**
 * A one-click fix. `rows` are 0-based row indices it touches.
 * - drop: remove `rows`.
 * - keep-first: for each group in `groups`, keep its first row and remove the rest (`rows` = the removed).
 * - merge: for each group, keep its first row with the group's majority label; remove the rest.
 * - trim: strip leading and trailing whitespace from the text of `rows`.
 * - relabel: give each of `rows` the label `labels` maps its label to (label variants merged).
 */
export type Fix = { kind: FixKind; rows: number[]; groups?: number[][]; labels?: Record<string, string> };

/** A pair of rows and their similarity (Jaccard for MinHash, cosine for embeddings, 1 for exact). */
export type RowPair = { a: number; b: number; similarity: number };

export type Finding = {
  checkId: string;
  severity: Severity;
  /** What the check counts (rows, extra rows, labels); `reason` says which. */
  count: number;
  /** 0-based indices into the input rows, ascending. */
  rows: number[];
  /** Plain words for the UI. */
  reason: string;
  fix?: Fix;
  /** Rows that belong together (duplicate groups, conflicts), each ascending, ordered by first row. */
  groups?: number[][];
  /** Similar row pairs (fuzzy duplicates), with their similarity. */
  pairs?: RowPair[];
};

/** A finding with nothing to report. */
export function okFinding(checkId: string, reason: string): Finding {
  return { checkId, severity: 'ok', count: 0, rows: [], reason };
}

/** Rows of all groups, ascending. */
export function flattenGroups(groups: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (const g of groups) for (const r of g) out.push(r);
  return out.sort((x, y) => x - y);
}

/** Every row after the first of each group, ascending (what keep-first removes). */
export function extraRows(groups: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (const g of groups) for (let i = 1; i < g.length; i++) out.push(g[i]);
  return out.sort((x, y) => x - y);
}

/** "1 row" / "3 rows". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
