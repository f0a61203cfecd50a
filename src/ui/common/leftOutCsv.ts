// The rows a file left out, as CSV text for download (row or line, reason). Pure.
import type { RowError } from '../../protocol/messages';

/** Cells a spreadsheet would run as formulas get a leading ', then CSV quoting. */
export function leftOutCsv(rows: readonly RowError[], rowHeader = 'row'): string {
  const cell = (s: string) => {
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [`${rowHeader},reason`, ...rows.map((r) => `${r.row},${cell(r.message)}`)].join('\r\n') + '\r\n';
}
