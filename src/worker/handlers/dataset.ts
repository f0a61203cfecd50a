// parseFile / setColumns / split: stream the dropped file, choose columns, run the quality report,
// summarise labels, split (group-aware by default; see splitAudit.ts).
import type { DatasetSummary, SplitArgs, SplitSummary } from '../../protocol/messages';
import { inferColumns } from '../../data/columns';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { persistNewTable, persistColumns, persistReport, persistSplit } from '../datasetStore';
import { computeQuality } from '../qualityReport';
import { makeSplit } from '../splitAudit';
import { DEFAULT_AUDIT_MAX_TOKENS, requireTable, summarize, usableRowIndices } from '../tableSummary';
import { readCsvFile, readTextFile } from '../streamCsv';
import { jsonTable } from '../../data/jsonRecords';

/** Files above this are parsed (streamed) and audited but not saved to IndexedDB (it would double memory). */
const MAX_STORED_BYTES = 100 * 1024 * 1024;
/** Files above this are refused: a tab cannot hold their rows. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** The report's length check uses this until the page sends the chosen max tokens. */

export async function handleParseFile(args: { file: File; maxSeqLength?: number }, ctx: HandlerContext): Promise<DatasetSummary> {
  const { file } = args;
  if (file.size === 0) throw new StudioError('empty', `"${file.name}" is empty (0 bytes). Choose a CSV with a header row and labeled rows.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new StudioError(
      'too-large',
      `"${file.name}" is ${(file.size / 1e6).toFixed(0)} MB; a browser tab cannot hold more than about 1 GB of rows. Sample it first.`,
    );
  }
  let lastTick = 0;
  // JSON / JSONL classification records ({"text", "label"}) are read as a table (issue 13).
  const parsed = /\.(jsonl|json)$/i.test(file.name)
    ? jsonTable(await readTextFile(file))
    : await readCsvFile(file, (loadedBytes, rows) => {
        const now = performance.now();
        if (now - lastTick < 100 && loadedBytes < file.size) return;
        lastTick = now;
        ctx.emit({ type: 'parseProgress', loadedBytes, totalBytes: file.size, rows });
      });
  if (!parsed.ok) throw new StudioError(parsed.error.code, `"${file.name}": ${parsed.error.message}`);
  const choice = inferColumns(parsed.value.header, parsed.value.rows);
  // Only replace the session's table once the new one is known to be good.
  ctx.session.replaceTable({ fileName: file.name, sizeBytes: file.size, table: parsed.value, datasetId: null }, choice);
  let warning: string | null;
  if (file.size > MAX_STORED_BYTES) {
    warning = `"${file.name}" is ${(file.size / 1e6).toFixed(0)} MB: it is loaded for this tab but not saved in the browser (over 100 MB), so a reload loses it.`;
  } else {
    ctx.emit({ type: 'status', message: 'Saving the dataset in this browser…' });
    warning = (await persistNewTable(ctx.session, new Uint8Array(await file.arrayBuffer()))).warning;
  }
  ctx.emit({ type: 'status', message: 'Checking data quality…' });
  computeQuality(ctx.session, { maxSeqLength: args.maxSeqLength ?? DEFAULT_AUDIT_MAX_TOKENS }, ctx.emit);
  await persistReport(ctx.session);
  return summarize(ctx.session, warning);
}

export async function handleSetColumns(args: { textColumn: number; labelColumn: number }, ctx: HandlerContext): Promise<DatasetSummary> {
  const table = requireTable(ctx.session);
  const n = table.table.header.length;
  if (args.textColumn === args.labelColumn) throw new StudioError('same-column', 'The text and the label must be different columns.');
  if ([args.textColumn, args.labelColumn].some((c) => c < 0 || c >= n)) throw new StudioError('bad-column', 'That column does not exist in this file.');
  ctx.session.chooseColumns({ textColumn: args.textColumn, labelColumn: args.labelColumn });
  await persistColumns(ctx.session);
  computeQuality(ctx.session, { maxSeqLength: ctx.session.audit?.view.lengths?.maxSeqLength ?? DEFAULT_AUDIT_MAX_TOKENS }, ctx.emit);
  await persistReport(ctx.session);
  return summarize(ctx.session);
}

export async function handleSplit(args: SplitArgs, ctx: HandlerContext): Promise<SplitSummary> {
  requireTable(ctx.session);
  const summary = makeSplit(ctx.session, args, usableRowIndices);
  await persistSplit(ctx.session, args);
  return summary;
}
