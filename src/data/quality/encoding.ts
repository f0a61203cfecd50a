// Encoding junk and stray whitespace: control characters, mojibake, HTML entities, U+FFFD, and
// leading/trailing spaces. Pure: texts in, findings out; no DOM, no I/O.
import { okFinding, plural, type Finding } from './findings';
import { isBlankText } from './normalize';

export const CONTROL_CHARS = 'control_chars';
export const MOJIBAKE = 'mojibake';
export const HTML_ENTITIES = 'html_entities';
export const REPLACEMENT_CHARS = 'replacement_chars';
export const WHITESPACE_EDGES = 'whitespace_edges';

/** C0 controls other than tab, LF and CR; DEL. */
// eslint-disable-next-line no-control-regex
const C0 = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** C1 controls: in real files, cp1252 punctuation decoded as Latin-1 (U+0092 for ’). */
const C1 = /[\u0080-\u009f]/;
/**
 * UTF-8 read as cp1252/Latin-1: "Ã" or "Â" followed by a Latin-1 upper-half or cp1252 character
 * (é → Ã©, £ → Â£, NBSP → Â + NBSP), and "â€" (the lead of ’ “ ” – — …).
 */
const MOJIBAKE_PATTERN =
  /[ÃÂ][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€/;
/** Numeric entities and the named ones that occur in scraped text; "AT&T;" is not an entity. */
const HTML_ENTITY = new RegExp(
  '&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|' +
    '(?:amp|lt|gt|quot|apos|nbsp|copy|reg|trade|hellip|mdash|ndash|lsquo|rsquo|ldquo|rdquo|laquo|raquo|bull|' +
    'middot|deg|pound|euro|yen|cent|sect|para|times|divide|plusmn|frac12|frac14|frac34|iexcl|iquest|szlig|' +
    '[aeiouAEIOU](?:acute|grave|circ|uml)|[cC]cedil|[nN]tilde));',
);

type Rule = { checkId: string; test: (text: string) => boolean; ok: string; reason: (n: number) => string };

const RULES: Rule[] = [
  {
    checkId: CONTROL_CHARS,
    test: (t) => C0.test(t) || C1.test(t),
    ok: 'No control characters.',
    reason: (n) =>
      `${plural(n, 'text')} contain invisible control characters (U+0000–U+001F or U+0080–U+009F). ` +
      'C1 ones are usually Windows "smart" quotes and dashes decoded with the wrong encoding; the model sees ' +
      'them as unknown symbols. Re-export the file as UTF-8 or replace them.',
  },
  {
    checkId: MOJIBAKE,
    test: (t) => MOJIBAKE_PATTERN.test(t),
    ok: 'No mojibake (such as "Ã©" or "â€™").',
    reason: (n) =>
      `${plural(n, 'text')} contain mojibake such as "Ã©" or "â€™": UTF-8 text that was decoded as ` +
      'Windows-1252 somewhere upstream. Re-export the source as UTF-8.',
  },
  {
    checkId: HTML_ENTITIES,
    test: (t) => t.includes('&') && HTML_ENTITY.test(t),
    ok: 'No HTML entities.',
    reason: (n) =>
      `${plural(n, 'text')} contain HTML entities such as "&amp;" or "&lt;"; the model reads them ` +
      'literally. Unescape them if the texts at prediction time will not have them.',
  },
  {
    checkId: REPLACEMENT_CHARS,
    test: (t) => t.includes('\ufffd'),
    ok: 'No replacement characters (�).',
    reason: (n) => `${plural(n, 'text')} contain "�" (U+FFFD): bytes that were not valid UTF-8 were lost on ` + 'decoding. Re-export the file as UTF-8.',
  },
];

/** One finding per encoding rule; none has a one-click fix (the source file needs re-exporting). */
export function checkEncoding(texts: readonly string[]): Finding[] {
  return RULES.map((rule) => {
    const rows: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i];
      if (t !== undefined && rule.test(t)) rows.push(i);
    }
    if (rows.length === 0) return okFinding(rule.checkId, rule.ok);
    return { checkId: rule.checkId, severity: 'warning', count: rows.length, rows, reason: rule.reason(rows.length) };
  });
}

/** Non-blank texts that start or end with whitespace (String.prototype.trim's set). The fix trims them. */
export function checkWhitespaceEdges(texts: readonly string[]): Finding {
  const rows: number[] = [];
  let leading = 0;
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    if (t === undefined || isBlankText(t)) continue;
    const trimmedStart = t.trimStart();
    if (trimmedStart.length !== t.length) leading++;
    if (trimmedStart.length !== t.length || t.trimEnd().length !== t.length) rows.push(i);
  }
  if (rows.length === 0) return okFinding(WHITESPACE_EDGES, 'No text starts or ends with spaces.');
  return {
    checkId: WHITESPACE_EDGES,
    severity: 'warning',
    count: rows.length,
    rows,
    reason:
      `${plural(rows.length, 'text')} start or end with spaces (${leading} at the start). Usually harmless, ` +
      'but if only some classes have them the model can learn the spacing instead of the content.',
    fix: { kind: 'trim', rows },
  };
}
