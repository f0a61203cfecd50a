// parseFile / setColumns / split: read the dropped file, choose columns, summarise labels, split.
import type { DatasetSummary, SplitSummary } from '../../protocol/messages';
import { parseCsv } from '../../data/csv';
import { inferColumns } from '../../data/columns';
import { checkTrainable, isEmptyText, isMissingLabel, summarizeLabels } from '../../data/labels';
import { countPerLabel, stratifiedSplit } from '../../data/split';
import type { HandlerContext } from '../studio.worker';
import type { StudioSession } from '../session';
import { StudioError } from '../userError';
import { persistNewTable, persistColumns, persistSplit } from './datasetStore';

/** Larger files need the streaming parser of the data-audit work; say so instead of freezing. */
const MAX_FILE_BYTES = 100 * 1024 * 1024;
const PREVIEW_ROWS = 8;

export async function handleParseFile(args: { file: File }, ctx: HandlerContext): Promise<DatasetSummary> {
  const { file } = args;
  if (file.size === 0) throw new StudioError('empty', `"${file.name}" is empty (0 bytes). Choose a CSV with a header row and labeled rows.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new StudioError('too-large', `"${file.name}" is ${(file.size / 1e6).toFixed(0)} MB; this version reads files up to 100 MB. Split it or sample it first.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder('utf-8').decode(bytes);
  const parsed = parseCsv(text, { fileName: file.name });
  if (!parsed.ok) throw new StudioError(parsed.error.code, `"${file.name}": ${parsed.error.message}`);
  const choice = inferColumns(parsed.value.header, parsed.value.rows);
  // Only replace the session's table once the new one is known to be good.
  ctx.session.table = { fileName: file.name, sizeBytes: file.size, table: parsed.value, datasetId: null };
  ctx.session.textColumn = choice.textColumn;
  ctx.session.labelColumn = choice.labelColumn;
  ctx.session.split = null;
  ctx.session.trained = null;
  const saved = await persistNewTable(ctx.session, bytes);
  return summarize(ctx.session, saved.warning);
}

export async function handleSetColumns(args: { textColumn: number; labelColumn: number }, ctx: HandlerContext): Promise<DatasetSummary> {
  const table = requireTable(ctx.session);
  const n = table.table.header.length;
  if (args.textColumn === args.labelColumn) throw new StudioError('same-column', 'The text and the label must be different columns.');
  if ([args.textColumn, args.labelColumn].some((c) => c < 0 || c >= n)) throw new StudioError('bad-column', 'That column does not exist in this file.');
  ctx.session.textColumn = args.textColumn;
  ctx.session.labelColumn = args.labelColumn;
  ctx.session.split = null;
  await persistColumns(ctx.session);
  return summarize(ctx.session);
}

export async function handleSplit(args: { validationFraction: number; seed: number }, ctx: HandlerContext): Promise<SplitSummary> {
  const { table } = requireTable(ctx.session);
  if (!(args.validationFraction > 0 && args.validationFraction < 0.9)) {
    throw new StudioError('bad-split', 'The validation share must be between 0 and 90%.');
  }
  const usable = usableRowIndices(ctx.session);
  const labels = usable.map((i) => table.rows[i][ctx.session.labelColumn]);
  const split = stratifiedSplit(labels, { validationFraction: args.validationFraction, seed: args.seed });
  // The split holds indices into table.rows, not into the usable subset.
  ctx.session.split = { train: split.train.map((i) => usable[i]), validation: split.validation.map((i) => usable[i]) };
  await persistSplit(ctx.session, args);
  return describeSplit(ctx.session, args);
}

/** Counts per label of the session's split (indices into table.rows). */
export function describeSplit(session: StudioSession, args: { validationFraction: number; seed: number }): SplitSummary {
  const { table } = requireTable(session);
  if (!session.split) throw new StudioError('no-split', 'Split the dataset first.');
  const labelOf = (i: number) => table.rows[i][session.labelColumn];
  const trainCounts = countPerLabel(table.rows.map((r) => r[session.labelColumn]), session.split.train);
  const valCounts = countPerLabel(table.rows.map((r) => r[session.labelColumn]), session.split.validation);
  const names = [...new Set([...session.split.train, ...session.split.validation].map(labelOf))];
  return {
    seed: args.seed,
    validationFraction: args.validationFraction,
    train: session.split.train.length,
    validation: session.split.validation.length,
    perLabel: names.map((label) => ({ label, train: trainCounts.get(label) ?? 0, validation: valCounts.get(label) ?? 0 })),
  };
}

export function requireTable(session: StudioSession) {
  if (!session.table) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  return session.table;
}

/** Rows with non-blank text and a label: the ones a run trains and validates on. */
export function usableRowIndices(session: StudioSession): number[] {
  const { table } = requireTable(session);
  const out: number[] = [];
  table.rows.forEach((row, i) => {
    if (!isEmptyText(row[session.textColumn]) && !isMissingLabel(row[session.labelColumn])) out.push(i);
  });
  return out;
}

export function summarize(session: StudioSession, storageWarning: string | null = null): DatasetSummary {
  const { fileName, sizeBytes, table, datasetId } = requireTable(session);
  const summary = summarizeLabels(table.rows, session.labelColumn, session.textColumn);
  const check = checkTrainable(summary, table.rows.length);
  return {
    fileName,
    sizeBytes,
    header: table.header,
    delimiter: table.delimiter,
    rowCount: table.rows.length,
    previewRows: table.rows.slice(0, PREVIEW_ROWS),
    textColumn: session.textColumn,
    labelColumn: session.labelColumn,
    labels: summary.counts,
    droppedRows: table.rows.length - summary.usableRows,
    parseErrors: table.errors,
    blocking: check.ok ? null : { code: check.error.code, message: check.error.message },
    warnings: [...(check.ok ? check.value.warnings.map((w) => w.message) : []), ...(storageWarning ? [storageWarning] : [])],
    datasetId,
  };
}
