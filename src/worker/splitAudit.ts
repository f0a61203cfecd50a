// split: group-aware stratified train/validation(/test) split by default, a plain per-row split, or the
// user's split column; then the leakage check across the result (exact, normalized, fuzzy twins).
import type { LeakageView, LeakPairView, SplitArgs, SplitSummary } from '../protocol/messages';
import { buildSplitGroups, countSplitPerLabel, groupStratifiedSplit, type GroupSplit } from '../data/groupSplit';
import { readSplitColumn } from '../data/splitColumn';
import { detectSplitLeakage, type LeakageReport } from '../data/leakage';
import { DEFAULT_JACCARD_THRESHOLD } from '../data/quality/minhash';
import type { StudioSession } from './session';
import { StudioError } from './userError';
import { MAX_REPORT_ROWS, VIEW_PAIR_CAP } from './auditState';
import { clip, computeQuality, toView } from './qualityReport';

/** Rows with text and label (indices into table.rows), as dataset.ts counts them. */
type Usable = (session: StudioSession) => number[];

export function makeSplit(session: StudioSession, args: SplitArgs, usableRows: Usable): SplitSummary {
  const loaded = session.table;
  if (!loaded) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const { validationFraction, seed } = args;
  const mode = args.mode ?? 'group';
  const testFraction = mode === 'column' ? 0 : (args.testFraction ?? 0);
  if (!(validationFraction > 0 && validationFraction < 0.9)) throw new StudioError('bad-split', 'The validation share must be between 0 and 90%.');
  if (!(testFraction >= 0 && validationFraction + testFraction < 0.9))
    throw new StudioError('bad-split', 'Validation plus test must stay below 90% of the rows.');
  const { rows, header } = loaded.table;
  const audit = session.audit ?? computeQuality(session, { maxSeqLength: 128 });
  const usable = usableRows(session);
  const labels = usable.map((i) => rows[i][session.labelColumn]);
  let local: GroupSplit;
  let keptTogether = 0;
  let note: string | null = null;
  if (mode === 'column') {
    const col = args.splitColumn;
    if (col == null || col < 0 || col >= header.length || col === session.textColumn || col === session.labelColumn) {
      throw new StudioError('bad-split-column', 'Pick the column that says train / validation / test for each row.');
    }
    const read = readSplitColumn(usable.map((i) => rows[i][col] ?? ''));
    if (read.problem) throw new StudioError('bad-split-column', `"${header[col]}": ${read.problem}`);
    local = read.split;
    if (read.unrecognizedRows.length > 0) {
      note = `${read.unrecognizedRows.length} rows have another value (${read.unrecognizedValues.map((v) => `"${v}"`).join(', ')}) and are left out.`;
    }
  } else {
    const texts = rows.map((r) => r[session.textColumn] ?? '');
    const whole = audit.view.checkedRows === rows.length && audit.report.reuse;
    const userGroups =
      args.groupColumn != null && args.groupColumn >= 0 && args.groupColumn < header.length ? rows.map((r) => r[args.groupColumn!] ?? '') : undefined;
    let ids: ArrayLike<number>;
    if (mode === 'group') {
      const fuzzy = audit.report.reuse?.fuzzy.groups ?? [];
      ids = buildSplitGroups(texts, { index: whole ? audit.report.reuse!.index : undefined, extraGroups: fuzzy, userGroups });
    } else {
      ids = userGroups
        ? buildSplitGroups(
            texts.map((_, i) => `row ${i}`),
            { userGroups },
          )
        : Int32Array.from(rows, (_, i) => i);
    }
    const usableIds = Int32Array.from(usable, (i) => ids[i]);
    keptTogether = countMultiGroups(usableIds);
    local = groupStratifiedSplit(labels, usableIds, { validationFraction, testFraction, seed });
  }
  const split = { train: local.train.map((i) => usable[i]), validation: local.validation.map((i) => usable[i]), test: local.test.map((i) => usable[i]) };
  if (split.train.length === 0 || split.validation.length === 0) {
    throw new StudioError('bad-split', 'This split leaves no training or no validation rows; add rows or change the shares.');
  }
  session.split = { train: split.train, validation: split.validation };
  audit.test = split.test;
  audit.splitArgs = { ...args, mode, testFraction };
  audit.leakReport = null;
  audit.leakage = rows.length <= MAX_REPORT_ROWS ? checkLeakage(session) : null;
  if (!audit.leakage)
    note = [note, 'The leakage check is skipped above 100,000 rows; the group-aware split still keeps exact and normalized duplicates together.']
      .filter(Boolean)
      .join(' ');
  return describe(session, keptTogether, note);
}

function countMultiGroups(ids: Int32Array): number {
  const size = new Map<number, number>();
  for (const g of ids) size.set(g, (size.get(g) ?? 0) + 1);
  let n = 0;
  for (const s of size.values()) if (s > 1) n++;
  return n;
}

/** Lexical leakage of the session's split: training vs validation + test. */
export function checkLeakage(session: StudioSession): LeakageView {
  const audit = session.audit!;
  const { rows } = session.table!.table;
  const texts = rows.map((r) => r[session.textColumn] ?? '');
  const held = [...session.split!.validation, ...audit.test];
  const reuse = audit.view.checkedRows === rows.length ? audit.report.reuse : undefined;
  const threshold = audit.view.jaccardThreshold ?? DEFAULT_JACCARD_THRESHOLD;
  const report = detectSplitLeakage(texts, session.split!.train, held, { threshold, seed: 42, reuse });
  audit.leakReport = report;
  return leakageView(
    report,
    'validation',
    session.split!.train.length,
    held.length,
    threshold,
    (r) => texts[r],
    (r) => texts[r],
  );
}

export function leakageView(
  report: LeakageReport,
  against: LeakageView['against'],
  trainRows: number,
  otherRows: number,
  threshold: number,
  trainText: (row: number) => string,
  otherText: (row: number) => string,
): LeakageView {
  const kinds = [
    ['exact', report.exact],
    ['normalized', report.normalized],
    ['fuzzy', report.fuzzy],
  ] as const;
  const pairs: LeakPairView[] = [];
  for (const [kind, list] of kinds) {
    for (const p of list) {
      if (pairs.length >= VIEW_PAIR_CAP) break;
      pairs.push({
        kind,
        trainRow: p.trainRow,
        otherRow: p.validationRow,
        similarity: p.similarity,
        trainText: clip(trainText(p.trainRow)),
        otherText: clip(otherText(p.validationRow)),
      });
    }
  }
  return {
    against,
    trainRows,
    otherRows,
    shareWithTwin: report.shareWithTwin,
    rowsWithTwin: report.validationRowsWithTwin.length,
    findings: report.findings.map(toView),
    pairs,
    jaccardThreshold: threshold,
    semantic: null,
    note: null,
  };
}

/** Counts per label per split of the session's split, with the audit's additions. */
export function describe(session: StudioSession, keptTogether?: number, note?: string | null): SplitSummary {
  const audit = session.audit;
  const args = audit?.splitArgs ?? { validationFraction: 0.1, seed: 42 };
  const { rows } = session.table!.table;
  const labels = rows.map((r) => r[session.labelColumn]);
  const split = { train: session.split!.train, validation: session.split!.validation, test: audit?.test ?? [] };
  const perLabel = countSplitPerLabel(labels, split).filter((c) => c.train + c.validation + c.test > 0);
  return {
    seed: args.seed,
    validationFraction: args.validationFraction,
    train: split.train.length,
    validation: split.validation.length,
    perLabel,
    mode: args.mode ?? 'group',
    testFraction: args.testFraction ?? 0,
    test: split.test.length,
    groupColumn: args.groupColumn ?? null,
    splitColumn: args.splitColumn ?? null,
    keptTogether,
    leakage: audit?.leakage ?? null,
    note: note ?? null,
  };
}
