// One check of the quality report: severity badge, count, the reason, its rows on demand, and its fix.
import { useState } from 'react';
import type { AuditFinding } from '../../protocol/messages';
import { applyFixes } from '../../state/auditActions';
import { useStudioStore } from '../../state/studioStore';
import { FIX_LABELS, titleOf } from './checkTitles';
import { RowList } from './RowList';

export function FindingItem({ finding }: { finding: AuditFinding }) {
  const [open, setOpen] = useState(false);
  const busy = useStudioStore((s) => s.auditBusy !== null || s.trainStatus === 'running');
  const f = finding;
  const hasRows = f.rows.length > 0;
  return (
    <li className={`finding finding-${f.severity}`} data-testid={`finding-${f.checkId}`} data-severity={f.severity} data-count={f.count}>
      <button type="button" className="finding-head" onClick={() => setOpen(!open)} aria-expanded={open} disabled={!hasRows && f.severity === 'ok'}>
        <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{titleOf(f.checkId)}</strong>
        {f.severity !== 'ok' && <span className="finding-count"> · {f.count.toLocaleString('en-US')}</span>}
      </button>
      {(open || f.severity === 'blocking') && <p className="finding-reason">{f.reason}</p>}
      {open && hasRows && <RowList rows={f.rows} groups={f.groups} testId={`rows-${f.checkId}`} />}
      {open && f.pairs && f.pairs.length > 0 && (
        <p className="muted">
          Pairs:{' '}
          {f.pairs
            .slice(0, 10)
            .map((p) => `rows ${p.a + 1}–${p.b + 1} (${p.similarity.toFixed(2)})`)
            .join(', ')}
        </p>
      )}
      {f.fix && f.severity !== 'ok' && (
        <button type="button" className="fix" disabled={busy} onClick={() => void applyFixes([f.checkId])}>
          {FIX_LABELS[f.fix.kind] ?? f.fix.kind}
        </button>
      )}
    </li>
  );
}
