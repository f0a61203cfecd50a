// The data audit of the session's table: the data room's quality report in the worker, with token lengths from the
// loaded model's tokenizer when there is one, and the light view the page gets.
import type { AuditFinding, QualityView } from '../protocol/messages';
import { buildQualityReport, NO_LABEL_COLUMN, NO_TEXT_COLUMN } from '../data/quality/report';
import { DEFAULT_JACCARD_THRESHOLD } from '../data/quality/minhash';
import type { Finding } from '../data/quality/findings';
import { checkIdColumns, checkLabelInText } from '../data/labelLeakage';
import type { HandlerContext } from './handlerContext';
import type { StudioSession } from './session';
import { StudioError } from './userError';
import { MAX_REPORT_ROWS, MAX_TOKENIZED_ROWS, TOKENIZE_CHAR_CAP, VIEW_LIST_CAP, VIEW_TEXT_CAP, type AuditState } from './auditState';

export type QualityArgs = { maxSeqLength: number; jaccardThreshold?: number };

/** Builds (or rebuilds) the session's audit report; keeps the test split and leakage only if asked. */
export function computeQuality(session: StudioSession, args: QualityArgs, emit?: HandlerContext['emit']): AuditState {
  const loaded = session.table;
  if (!loaded) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const started = performance.now();
  const { rows, header } = loaded.table;
  const checked = rows.length > MAX_REPORT_ROWS ? rows.slice(0, MAX_REPORT_ROWS) : rows;
  const { textColumn, labelColumn } = session;
  const maxSeqLength = Math.max(1, Math.floor(args.maxSeqLength || 128));
  const token = tokenLengths(session, checked, emit);
  const report = buildQualityReport(checked, {
    textColumn,
    labelColumn,
    maxSeqLength,
    tokenLengths: token?.lengths,
    jaccardThreshold: args.jaccardThreshold,
    seed: 42,
  });
  const columnsBad = report.findings.some((f) => f.severity === 'blocking' && (f.checkId === NO_TEXT_COLUMN || f.checkId === NO_LABEL_COLUMN));
  const labelHints = columnsBad
    ? []
    : [
        checkLabelInText(
          checked.map((r) => r[textColumn] ?? ''),
          checked.map((r) => r[labelColumn] ?? ''),
        ),
        checkIdColumns(header, checked, textColumn, labelColumn),
      ];
  const view: QualityView = {
    rowCount: rows.length,
    checkedRows: checked.length,
    findings: report.findings.map(toView),
    severity: report.severity,
    summary: report.summary,
    labels: report.labels,
    lengths: report.lengths,
    labelHints: labelHints.map(toView),
    tokenizer: token ? token.modelId : null,
    jaccardThreshold: args.jaccardThreshold ?? DEFAULT_JACCARD_THRESHOLD,
    elapsedMs: Math.round(performance.now() - started),
    note:
      checked.length < rows.length
        ? `The report covers the first ${checked.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows (memory limit of the near-duplicate search).`
        : token === null && session.baseModel && checked.length > MAX_TOKENIZED_ROWS
          ? `Token lengths are estimated (over ${MAX_TOKENIZED_ROWS.toLocaleString('en-US')} rows is too many to tokenize here).`
          : null,
  };
  const prev = session.audit;
  session.audit = {
    report,
    view,
    tokenCache: token ?? prev?.tokenCache ?? null,
    test: prev?.test ?? [],
    splitArgs: prev?.splitArgs ?? null,
    leakReport: null,
    leakage: null,
  };
  return session.audit;
}

/** Token lengths with the loaded model's tokenizer, cached per model and table; null → estimate. */
function tokenLengths(session: StudioSession, rows: readonly string[][], emit?: HandlerContext['emit']) {
  const base = session.baseModel;
  if (!base || rows.length > MAX_TOKENIZED_ROWS) return null;
  const cache = session.audit?.tokenCache;
  if (cache && cache.modelId === base.modelId && cache.rows === rows && cache.textColumn === session.textColumn) return cache;
  emit?.({ type: 'status', message: `Measuring token lengths with ${base.modelId}'s tokenizer…` });
  const lengths = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const text = rows[i][session.textColumn] ?? '';
    lengths[i] = text.trim() === '' ? 0 : base.tokenizer.encode(text.slice(0, TOKENIZE_CHAR_CAP)).length;
  }
  return { modelId: base.modelId, rows, textColumn: session.textColumn, lengths };
}

/** A finding for the page: lists capped at VIEW_LIST_CAP (counts stay exact). */
export function toView(f: Finding): AuditFinding {
  const cap = <T>(xs: T[] | undefined) => (xs && xs.length > VIEW_LIST_CAP ? xs.slice(0, VIEW_LIST_CAP) : xs);
  return {
    checkId: f.checkId,
    severity: f.severity,
    count: f.count,
    rows: cap(f.rows) ?? [],
    reason: f.reason,
    ...(f.fix ? { fix: { kind: f.fix.kind, rows: cap(f.fix.rows) ?? [], ...(f.fix.groups ? { groups: cap(f.fix.groups) } : {}) } } : {}),
    ...(f.groups ? { groups: cap(f.groups) } : {}),
    ...(f.pairs ? { pairs: cap(f.pairs) } : {}),
  };
}

export function clip(text: string, n = VIEW_TEXT_CAP): string {
  return text.length > n ? `${text.slice(0, n)}… (${text.length.toLocaleString('en-US')} characters)` : text;
}
