// Every row a table leaves out of training, with its reason: records the parser could not read and rows
// with empty text or a missing label, in file order, so the page can list them and offer them as a CSV. Pure.
import type { CsvTable, RowError } from './csv';
import { isEmptyText, isMissingLabel } from './labels';

/** More than this many are counted but not listed (the page and the CSV stay small). */
export const MAX_LISTED_LEFT_OUT = 5000;

export type LeftOutRows = { rows: RowError[]; total: number };

export function leftOutRows(table: CsvTable, textColumn: number, labelColumn: number, cap = MAX_LISTED_LEFT_OUT): LeftOutRows {
  const all: RowError[] = table.errors.map((e) => ({ row: e.row, message: e.message }));
  table.rows.forEach((row, i) => {
    const emptyText = isEmptyText(row[textColumn]);
    const missingLabel = isMissingLabel(row[labelColumn]);
    if (!emptyText && !missingLabel) return;
    const why =
      emptyText && missingLabel ? 'the text is empty and the label is missing' : emptyText ? 'the text is empty or only spaces' : 'the label is missing';
    all.push({ row: table.rowNumbers[i] ?? i + 1, message: `${why}; the row was skipped.` });
  });
  all.sort((a, b) => a.row - b.row);
  return { rows: all.slice(0, cap), total: all.length };
}
