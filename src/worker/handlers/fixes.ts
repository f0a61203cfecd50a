// applyFixes / cleanedCsv: applies the chosen findings' one-click fixes to the session's table (a new,
// cleaned table saved as its own dataset record; the original record stays), and the safe CSV download.
import type { AppliedFixSummary, DatasetSummary, SplitSummary } from '../../protocol/messages';
import { applyFixes } from '../../data/quality/fixes';
import { toSafeCsv } from '../../data/quality/safeCsv';
import type { HandlerContext } from '../handlerContext';
import { StudioError } from '../userError';
import { DEFAULT_AUDIT_MAX_TOKENS, summarize, usableRowIndices } from '../tableSummary';
import { persistCleanedTable, persistReport, persistSplit } from '../datasetStore';
import { computeQuality } from '../qualityReport';
import { makeSplit } from '../splitAudit';

export async function handleApplyFixes(
  args: { checkIds: string[] },
  ctx: HandlerContext,
): Promise<{ dataset: DatasetSummary; split: SplitSummary | null; applied: AppliedFixSummary }> {
  const { session } = ctx;
  const loaded = session.table;
  const audit = session.audit;
  if (!loaded || !audit) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  if (session.training) throw new StudioError('busy', 'Stop the running training before changing the data.');
  const wanted = new Set(args.checkIds);
  const leakFindings = [...(audit.leakReport?.findings ?? []), ...(audit.leakage?.findings.filter((f) => f.checkId === 'leak_semantic') ?? [])];
  const fixes = [...audit.report.findings, ...leakFindings].filter((f) => wanted.has(f.checkId) && f.severity !== 'ok' && f.fix).map((f) => f.fix!);
  if (fixes.length === 0) throw new StudioError('no-fix', 'None of those findings has a fix to apply.');
  const { table } = loaded;
  const result = applyFixes(table.rows, fixes, { textColumn: session.textColumn, labelColumn: session.labelColumn });
  const applied: AppliedFixSummary = {
    before: table.rows.length,
    after: result.rows.length,
    dropped: result.droppedRows.length,
    trimmed: result.trimmedRows.length,
    relabeled: result.relabeled.length,
  };
  session.replaceTable(
    {
      fileName: cleanedName(loaded.fileName),
      sizeBytes: loaded.sizeBytes,
      datasetId: null,
      table: { ...table, rows: result.rows, rowNumbers: result.keptRowIndices.map((i) => table.rowNumbers[i]) },
    },
    { textColumn: session.textColumn, labelColumn: session.labelColumn },
  );
  const maxSeqLength = audit.view.lengths?.maxSeqLength ?? DEFAULT_AUDIT_MAX_TOKENS;
  const splitArgs = audit.splitArgs;
  const warning = (await persistCleanedTable(session, cleanedCsvText(session))).warning;
  computeQuality(session, { maxSeqLength, jaccardThreshold: audit.view.jaccardThreshold }, ctx.emit);
  await persistReport(session);
  const dataset = summarize(session, warning);
  let split: SplitSummary | null = null;
  if (!dataset.blocking && splitArgs) {
    split = makeSplit(session, splitArgs, usableRowIndices);
    await persistSplit(session, splitArgs);
  }
  return { dataset, split, applied };
}

export async function handleCleanedCsv(_args: Record<string, never>, ctx: HandlerContext): Promise<{ fileName: string; bytes: Uint8Array }> {
  if (!ctx.session.table) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const name = ctx.session.table.fileName;
  return { fileName: /-cleaned\.csv$/.test(name) ? name : cleanedName(name), bytes: new TextEncoder().encode(cleanedCsvText(ctx.session)) };
}

/** The table as CSV, every cell neutralised against spreadsheet formula injection. */
function cleanedCsvText(session: HandlerContext['session']): string {
  const { header, rows } = session.table!.table;
  return toSafeCsv(header, rows);
}

function cleanedName(name: string): string {
  return `${name.replace(/(-cleaned)?\.(csv|tsv|txt)$/i, '')}-cleaned.csv`;
}
