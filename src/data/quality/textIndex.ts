// One pass over the texts that every duplicate, conflict and leakage check shares: blank flags,
// normalized keys and dense ids for exact and normalized texts. Pure; no DOM, no I/O.
import { isBlankText, normalizeText } from './normalize';

export type TextIndex = {
  /** normalized[i] is normalizeText(texts[i]); '' for blank texts (and for punctuation-only ones). */
  normalized: string[];
  /** 1 where the text is blank (empty or whitespace only). */
  blank: Uint8Array;
  /** Dense id of the exact text; equal ids mean identical strings. */
  exactId: Int32Array;
  /** Dense id of the normalized key; -1 for blank texts. */
  normId: Int32Array;
  /** normKeys[id] is the normalized key with that id ("\u0000" + text for punctuation-only texts). */
  normKeys: string[];
  /** normFirstRow[id] is the first row with that normalized key. */
  normFirstRow: Int32Array;
};

/** Builds the index in one pass; Maps keyed by string keep it linear in the total text length. */
export function indexTexts(texts: readonly string[]): TextIndex {
  const n = texts.length;
  const normalized = new Array<string>(n);
  const blank = new Uint8Array(n);
  const exactId = new Int32Array(n);
  const normId = new Int32Array(n);
  const exactIds = new Map<string, number>();
  const normIds = new Map<string, number>();
  const normKeys: string[] = [];
  const firstRows: number[] = [];
  for (let i = 0; i < n; i++) {
    const text = texts[i] ?? '';
    let e = exactIds.get(text);
    if (e === undefined) {
      e = exactIds.size;
      exactIds.set(text, e);
    }
    exactId[i] = e;
    if (isBlankText(text)) {
      blank[i] = 1;
      normalized[i] = '';
      normId[i] = -1;
      continue;
    }
    // Texts made only of punctuation (":)", "...") normalize to ''; they match identical texts only.
    const normal = normalizeText(text);
    const key = normal === '' ? `\u0000${text}` : normal;
    normalized[i] = normal;
    let k = normIds.get(key);
    if (k === undefined) {
      k = normKeys.length;
      normIds.set(key, k);
      normKeys.push(key);
      firstRows.push(i);
    }
    normId[i] = k;
  }
  return { normalized, blank, exactId, normId, normKeys, normFirstRow: Int32Array.from(firstRows) };
}

/** Rows grouped by an integer key (-1 = skip), groups of at least `minSize`, ordered by first row. */
export function groupRowsByKey(keys: Int32Array, minSize = 2): number[][] {
  const byKey = new Map<number, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k < 0) continue;
    const g = byKey.get(k);
    if (g) g.push(i);
    else byKey.set(k, [i]);
  }
  const groups: number[][] = [];
  for (const g of byKey.values()) if (g.length >= minSize) groups.push(g);
  return groups.sort((x, y) => x[0] - y[0]);
}
