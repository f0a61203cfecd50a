// Step "Check the data" (between dropping a file and training): the quality report's badges and findings,
// label-leakage hints, the split view and the leakage view. Everything is computed in the worker.
import { useEffect } from 'react';
import { recheckQuality } from '../../state/auditActions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { FindingItem } from './FindingItem';
import { LeakageView } from './LeakageView';
import { QualitySummary } from './QualitySummary';
import { SplitView } from './SplitView';

export function QualityPanel() {
  const quality = useStudioStore((s) => s.dataset?.quality ?? null);
  const blocked = useStudioStore((s) => s.dataset?.blocking ?? null);
  const error = useStudioStore((s) => s.auditError);
  const busy = useStudioStore((s) => s.auditBusy);
  const status = useStudioStore((s) => s.statusMessage);
  useRecheckOnModelOrLength();
  if (!quality) return null;
  const problems = quality.findings.filter((f) => f.severity !== 'ok');
  const fine = quality.findings.filter((f) => f.severity === 'ok');
  const hints = quality.labelHints.filter((f) => f.severity !== 'ok');
  return (
    <section className="panel" aria-labelledby="audit-title" data-testid="quality-panel">
      <h2 id="audit-title">Check the data</h2>
      <QualitySummary quality={quality} />
      {busy && status && (
        <p className="muted" data-testid="audit-status">
          {status}
        </p>
      )}
      {error && (
        <Notice tone="error" title="Data check:" testId="audit-error">
          {error.message}
        </Notice>
      )}
      <ul className="findings" aria-label="Findings">
        {problems.map((f) => (
          <FindingItem key={f.checkId} finding={f} />
        ))}
      </ul>
      <details>
        <summary>{fine.length} checks passed</summary>
        <ul className="findings">
          {fine.map((f) => (
            <FindingItem key={f.checkId} finding={f} />
          ))}
        </ul>
      </details>
      {hints.length > 0 && (
        <div data-testid="label-hints">
          <h3>Label-leakage hints</h3>
          <ul className="findings">
            {hints.map((f) => (
              <FindingItem key={f.checkId} finding={f} />
            ))}
          </ul>
        </div>
      )}
      {!blocked && (
        <>
          <SplitView />
          <LeakageView />
        </>
      )}
    </section>
  );
}

/** Re-runs the report when a model loads (real token lengths) or max tokens changes (debounced). */
function useRecheckOnModelOrLength() {
  const modelId = useStudioStore((s) => (s.modelStatus === 'ready' ? (s.model?.modelId ?? null) : null));
  const maxTokens = useStudioStore((s) => s.trainConfig.maxSeqLength);
  const measured = useStudioStore((s) => s.dataset?.quality ?? null);
  useEffect(() => {
    if (!measured) return;
    const t = setTimeout(() => void recheckQuality(modelId, maxTokens), 400);
    return () => clearTimeout(t);
  }, [modelId, maxTokens, measured]);
}
