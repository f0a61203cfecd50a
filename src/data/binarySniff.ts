// Decides whether decoded "CSV" text is really a binary or wrongly-encoded file, from its first KB.
// Pure: no parser library, no DOM, no I/O.

/** How many leading characters are inspected. */
export const SNIFF_CHARS = 1024;
/** Share of suspicious characters above which the text is treated as binary. */
export const MAX_SUSPICIOUS_RATIO = 0.1;

export type BinarySniff = { binary: false } | { binary: true; reason: 'nul_byte' | 'control_chars' | 'replacement_chars'; ratio: number };

/**
 * Looks for signs that the text did not come from a UTF-8 text file: any NUL (binary data or UTF-16),
 * or a high share of C0 control characters (other than tab, LF, CR, FF, VT) or of U+FFFD, which a
 * UTF-8 decoder emits for invalid bytes. C1 controls (U+0080–U+009F) are NOT counted: real datasets
 * contain them as cp1252 mojibake (sms_spam row 19 has U+0092) and they must pass through.
 */
export function sniffBinary(text: string): BinarySniff {
  const head = text.slice(0, SNIFF_CHARS);
  if (head.length === 0) return { binary: false };
  let controls = 0;
  let replacements = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if (code === 0) return { binary: true, reason: 'nul_byte', ratio: 1 / head.length };
    if (code === 0xfffd) replacements++;
    else if (code < 0x20 && !isTextWhitespace(code)) controls++;
  }
  const controlRatio = controls / head.length;
  const replacementRatio = replacements / head.length;
  if (replacementRatio > MAX_SUSPICIOUS_RATIO) {
    return { binary: true, reason: 'replacement_chars', ratio: replacementRatio };
  }
  if (controlRatio > MAX_SUSPICIOUS_RATIO || controlRatio + replacementRatio > MAX_SUSPICIOUS_RATIO) {
    return { binary: true, reason: 'control_chars', ratio: controlRatio + replacementRatio };
  }
  return { binary: false };
}

/** Tab, LF, VT, FF, CR. */
function isTextWhitespace(code: number): boolean {
  return code >= 0x09 && code <= 0x0d;
}
