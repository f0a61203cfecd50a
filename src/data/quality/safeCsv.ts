// toSafeCsv: RFC 4180 CSV text for the cleaned-data download, guarded against spreadsheet formula injection.
// Pure string building; no parser library, no DOM, no I/O.

/** Leading characters a spreadsheet may treat as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Plain numbers ("-1", "+3.5") are left alone so numeric labels survive a round trip. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Prefixes a formula-like cell with a single quote, which spreadsheets show as text. */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Quotes a field when it holds the delimiter, a quote, CR or LF; inner quotes are doubled. */
export function quoteCsvField(cell: string, delimiter = ','): string {
  return cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Header plus rows as CSV text: every cell neutralized, quoted only where needed, records ending in
 * CRLF (RFC 4180). Papa Parse and spreadsheets read it back to the same cells, bar the added quotes.
 */
export function toSafeCsv(header: readonly string[], rows: readonly (readonly string[])[], options: { delimiter?: string; newline?: string } = {}): string {
  const { delimiter = ',', newline = '\r\n' } = options;
  const line = (cells: readonly string[]) => cells.map((c) => quoteCsvField(neutralizeFormula(c ?? ''), delimiter)).join(delimiter);
  const parts = [line(header)];
  for (const r of rows) parts.push(line(r));
  return parts.join(newline) + newline;
}
