// Text keys for duplicate detection: the blank test and the normalized form PROVENANCE.md defines.
// Pure string functions; no DOM, no I/O.

/**
 * Whitespace-only, including NBSP and the other Unicode spaces JS `\s` knows, plus characters that
 * render as nothing: NEL (U+0085), Mongolian vowel separator, zero-width space/joiners, word joiner.
 */
const BLANK = /^[\s\u0085\u180e\u200b-\u200d\u2060]*$/;

/** True when the text is missing, empty, or made only of (Unicode) whitespace. */
export function isBlankText(text: string | undefined): boolean {
  return text === undefined || BLANK.test(text);
}

const SPACES = /[\s\u0085]+/g;
/**
 * Unicode punctuation (P*) and control characters (Cc). The controls that survive the whitespace
 * step are C0 junk and the C1 range, which in real files is cp1252 "smart" punctuation decoded as
 * Latin-1 (U+0093 for “). Treating them as punctuation is what makes sms_spam rows 1319 (“) and
 * 3861 (U+0093) near duplicates, giving PROVENANCE's 34 groups / 101 rows.
 */
const PUNCT_OR_CONTROL = /[\p{P}\p{Cc}]/gu;

/**
 * The normalized duplicate key: NFKC, lower-case (JS has no full case fold; toLowerCase is the
 * practical equivalent), whitespace collapsed, punctuation and controls removed, trimmed.
 * Blank texts map to ''. ASCII texts take a char-code loop that gives the same result, faster.
 */
export function normalizeText(text: string): string {
  const ascii = normalizeAscii(text);
  if (ascii !== null) return ascii;
  return text.normalize('NFKC').toLowerCase().replace(SPACES, ' ').replace(PUNCT_OR_CONTROL, '').replace(/ {2,}/g, ' ').trim();
}

/** ASCII punctuation in Unicode category P (the ASCII symbols $ + < = > ^ ` | ~ are category S and stay). */
const ASCII_PUNCT = new Uint8Array(128);
for (const c of '!"#%&\'()*,-./:;?@[\\]_{}') ASCII_PUNCT[c.charCodeAt(0)] = 1;
/** Scratch space for normalizeAscii, reused between calls; holds no state that outlives a call. */
let buffer = new Uint16Array(1024);

/** normalizeText for pure-ASCII input, or null when the text has any non-ASCII character. */
function normalizeAscii(text: string): string | null {
  if (buffer.length < text.length) buffer = new Uint16Array(text.length * 2);
  let m = 0;
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 127) return null;
    if (c === 32 || (c >= 9 && c <= 13)) {
      pendingSpace = m > 0;
      continue;
    }
    if (ASCII_PUNCT[c] === 1 || c < 32 || c === 127) continue;
    if (c >= 65 && c <= 90) c += 32;
    if (pendingSpace) {
      buffer[m++] = 32;
      pendingSpace = false;
    }
    buffer[m++] = c;
  }
  let out = '';
  for (let i = 0; i < m; i += 4096) out += String.fromCharCode.apply(null, buffer.subarray(i, Math.min(m, i + 4096)) as unknown as number[]);
  return out;
}

/** Words of an already-normalized text (split on single spaces; '' has no words). */
export function wordsOf(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ');
}

/** Number of words of an already-normalized text, without allocating. */
export function countWords(normalized: string): number {
  if (normalized.length === 0) return 0;
  let words = 1;
  for (let i = 0; i < normalized.length; i++) if (normalized.charCodeAt(i) === 32) words++;
  return words;
}
