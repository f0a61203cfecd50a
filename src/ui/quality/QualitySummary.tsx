// Badges with the number of checks per severity, what the report covered, and the apply-all / download buttons.
import type { QualityView } from '../../protocol/messages';
import { applyFixes, downloadCleanedCsv, refreshQuality } from '../../state/auditActions';
import { useStudioStore } from '../../state/studioStore';

export function QualitySummary({ quality }: { quality: QualityView }) {
  const busy = useStudioStore((s) => s.auditBusy);
  const running = useStudioStore((s) => s.trainStatus === 'running');
  const applied = useStudioStore((s) => s.lastApplied);
  const fixable = quality.findings.filter((f) => f.fix && f.severity !== 'ok').map((f) => f.checkId);
  const lengths = quality.lengths;
  return (
    <div data-testid="quality-summary">
      <p>
        {(['blocking', 'warning', 'ok'] as const).map((sev) => (
          <span key={sev} className={`badge badge-${sev}`} data-testid={`badge-${sev}`}>
            {quality.summary[sev]} {sev}
          </span>
        ))}{' '}
        <span className="muted">
          {quality.checkedRows.toLocaleString('en-US')} rows checked in {quality.elapsedMs} ms; lengths{' '}
          {quality.tokenizer ? `from ${quality.tokenizer}'s tokenizer` : 'estimated (4 characters a token)'}
          {lengths && `, ${(lengths.truncatedShare * 100).toFixed(1)} % over ${lengths.maxSeqLength} tokens`}.
        </span>
      </p>
      {quality.note && <p className="muted">{quality.note}</p>}
      <div className="row">
        <button type="button" className="primary" disabled={fixable.length === 0 || busy !== null || running} onClick={() => void applyFixes(fixable)}>
          {busy === 'fixing' ? 'Applying…' : `Apply all ${fixable.length} fixes`}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void downloadCleanedCsv()}>
          Download cleaned CSV
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void refreshQuality()}>
          {busy === 'report' ? 'Checking…' : 'Re-check'}
        </button>
      </div>
      {applied && (
        <p data-testid="fix-result">
          Fixes applied: {applied.before} → {applied.after} rows ({applied.dropped} dropped, {applied.trimmed} trimmed, {applied.relabeled} relabeled). The
          cleaned copy is saved as its own dataset; the original is kept.
        </p>
      )}
    </div>
  );
}
