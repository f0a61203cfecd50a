// What the page is told about the session's table (columns, labels, left-out rows, the split) and the rows a run
// uses; shared by the dataset, fixes and library handlers.
import type { DatasetSummary, SplitArgs, SplitSummary } from '../protocol/messages';
import { checkTrainable, isEmptyText, isMissingLabel, summarizeLabels } from '../data/labels';
import { leftOutRows } from '../data/leftOut';
import { MAX_REPORT_ROWS } from './auditState';
import { computeQuality } from './qualityReport';
import type { StudioSession } from './session';
import { checkLeakage, describe } from './splitAudit';
import { StudioError } from './userError';

/** Token budget of the audit's length check before a model is chosen. */
export const DEFAULT_AUDIT_MAX_TOKENS = 128;
const PREVIEW_ROWS = 8;

/** Counts per label of the session's split (e.g. a reopened dataset), with its leakage check. */
export function describeSplit(session: StudioSession, args: SplitArgs): SplitSummary {
  requireTable(session);
  if (!session.split) throw new StudioError('no-split', 'Split the dataset first.');
  const audit = session.audit ?? computeQuality(session, { maxSeqLength: DEFAULT_AUDIT_MAX_TOKENS });
  audit.splitArgs ??= args;
  if (!audit.leakage && session.table!.table.rows.length <= MAX_REPORT_ROWS) audit.leakage = checkLeakage(session);
  return describe(session);
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
    leftOut: leftOutRows(table, session.textColumn, session.labelColumn),
    blocking: check.ok ? null : { code: check.error.code, message: check.error.message },
    warnings: [...(check.ok ? check.value.warnings.map((w) => w.message) : []), ...(storageWarning ? [storageWarning] : [])],
    datasetId,
    quality: session.audit?.view ?? null,
  };
}
