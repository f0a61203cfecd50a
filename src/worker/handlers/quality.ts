// qualityReport / getRows: the data audit of the session's table (built in qualityReport.ts) and its rows.
import type { AuditRow, QualityView } from '../../protocol/messages';
import { VIEW_TEXT_CAP } from '../auditState';
import type { HandlerContext } from '../handlerContext';
import { clip, computeQuality, type QualityArgs } from '../qualityReport';
import { StudioError } from '../userError';

export async function handleQualityReport(args: QualityArgs, ctx: HandlerContext): Promise<QualityView> {
  const audit = computeQuality(ctx.session, args, ctx.emit);
  return audit.view;
}

export async function handleGetRows(args: { rows: number[] }, ctx: HandlerContext): Promise<AuditRow[]> {
  const loaded = ctx.session.table;
  if (!loaded) throw new StudioError('no-data', 'Drop a labeled CSV first.');
  const { rows } = loaded.table;
  return args.rows
    .slice(0, 200)
    .filter((r) => Number.isInteger(r) && r >= 0 && r < rows.length)
    .map((r) => ({
      row: r,
      text: clip(rows[r][ctx.session.textColumn] ?? '', 4 * VIEW_TEXT_CAP),
      label: rows[r][ctx.session.labelColumn] ?? '',
    }));
}
