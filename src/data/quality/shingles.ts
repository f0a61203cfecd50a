// Shingle sets of normalized texts as sorted 32-bit hashes in one flat typed array, and their Jaccard.
// Pure; no DOM, no I/O. Hot loops use typed arrays and charCodeAt, no per-shingle strings.
import { countWords } from './normalize';

/** Texts with at least this many words are compared as word sets; shorter ones as character 3-grams. */
export const WORD_SHINGLE_MIN_WORDS = 5;
/** Character shingle length for short texts. */
export const CHAR_SHINGLE_LENGTH = 3;

/**
 * Set i is values[offsets[i] .. offsets[i + 1]), sorted ascending (as signed int32), no repeats.
 * Int32Array, not Uint32Array: V8 keeps int32 loads in registers, uint32 ones above 2^31 become doubles.
 */
export type ShingleSets = { offsets: Int32Array; values: Int32Array };

const WORD_SALT = 0x2545f491;
const CHAR_SALT = 0x68e31da4;

/** murmur3's 32-bit finalizer: spreads every input bit over the output (returned as signed int32). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * Word unigrams for texts of WORD_SHINGLE_MIN_WORDS or more words, else character 3-grams (the whole
 * text when shorter than 3). The two kinds are salted apart, so a short and a long text never share a
 * shingle; their similarity is 0 unless their normalized keys are equal (caught by the normalized check).
 * At the default 0.8 threshold this costs nothing: a 4-word and a 5-word text have word Jaccard ≤ 0.8.
 */
export function buildShingleSets(keys: readonly string[]): ShingleSets {
  let capacity = 0;
  for (const k of keys) capacity += k.length + 1;
  const values = new Int32Array(capacity);
  const offsets = new Int32Array(keys.length + 1);
  let tmp = new Int32Array(256);
  let end = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (tmp.length < key.length + 1) tmp = new Int32Array(key.length * 2 + 1);
    const m = countWords(key) >= WORD_SHINGLE_MIN_WORDS ? wordShingles(key, tmp) : charShingles(key, tmp);
    end = appendSortedUnique(tmp, m, values, end);
    offsets[i + 1] = end;
  }
  return { offsets, values: values.subarray(0, end) };
}

/** FNV-1a per space-separated word, finalized; writes hashes into out and returns how many. */
function wordShingles(key: string, out: Int32Array): number {
  let m = 0;
  let h = 0x811c9dc5 ^ WORD_SALT;
  let inWord = false;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : 32;
    if (c === 32) {
      if (inWord) out[m++] = fmix32(h);
      h = 0x811c9dc5 ^ WORD_SALT;
      inWord = false;
    } else {
      h = Math.imul(h ^ c, 0x01000193);
      inWord = true;
    }
  }
  return m;
}

function charShingles(key: string, out: Int32Array): number {
  const n = key.length;
  if (n === 0) return 0;
  if (n < CHAR_SHINGLE_LENGTH) {
    let h = 0x811c9dc5 ^ CHAR_SALT;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    out[0] = fmix32(h);
    return 1;
  }
  let m = 0;
  for (let i = 0; i + CHAR_SHINGLE_LENGTH <= n; i++) {
    const h = Math.imul(Math.imul(key.charCodeAt(i) ^ CHAR_SALT, 0x01000193) ^ key.charCodeAt(i + 1), 0x01000193) ^ key.charCodeAt(i + 2);
    out[m++] = fmix32(Math.imul(h, 0x01000193));
  }
  return m;
}

/** Sorts tmp[0..m) and copies its distinct values to values[end..]; returns the new end. */
function appendSortedUnique(tmp: Int32Array, m: number, values: Int32Array, end: number): number {
  if (m <= 32) {
    for (let i = 1; i < m; i++) {
      const v = tmp[i];
      let j = i - 1;
      while (j >= 0 && tmp[j] > v) {
        tmp[j + 1] = tmp[j];
        j--;
      }
      tmp[j + 1] = v;
    }
  } else {
    tmp.subarray(0, m).sort();
  }
  for (let i = 0; i < m; i++) if (i === 0 || tmp[i] !== tmp[i - 1]) values[end++] = tmp[i];
  return end;
}

/** Exact Jaccard |A ∩ B| / |A ∪ B| of sets i and j (two empty sets count as 1). */
export function jaccardOf(sets: ShingleSets, i: number, j: number): number {
  const { offsets, values } = sets;
  let a = offsets[i];
  const aEnd = offsets[i + 1];
  let b = offsets[j];
  const bEnd = offsets[j + 1];
  const total = aEnd - a + (bEnd - b);
  if (total === 0) return 1;
  let common = 0;
  while (a < aEnd && b < bEnd) {
    const x = values[a];
    const y = values[b];
    if (x === y) {
      common++;
      a++;
      b++;
    } else if (x < y) a++;
    else b++;
  }
  return common / (total - common);
}

/** Size of set i. */
export function setSize(sets: ShingleSets, i: number): number {
  return sets.offsets[i + 1] - sets.offsets[i];
}
