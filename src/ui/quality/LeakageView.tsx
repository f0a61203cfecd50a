// Leakage across the split: share of held-out rows with a twin in training, the pairs side by side with
// their Jaccard or cosine, the semantic check (needs the base model), and an imported validation file.
import type { LeakageView as Leakage } from '../../protocol/messages';
import { applyFixes, checkSemanticTwins, importValidationFile } from '../../state/auditActions';
import { useStudioStore } from '../../state/studioStore';
import { titleOf } from './checkTitles';

export function LeakageView() {
  const leakage = useStudioStore((s) => s.split?.leakage ?? null);
  const imported = useStudioStore((s) => s.importedLeakage);
  const modelReady = useStudioStore((s) => s.modelStatus === 'ready');
  const busy = useStudioStore((s) => s.auditBusy);
  return (
    <div data-testid="leakage-view">
      <h3>Leakage between training and validation</h3>
      {leakage ? <LeakageReport leak={leakage} testId="leakage-report" /> : <p className="muted">No leakage check for this split.</p>}
      <div className="row">
        <button
          type="button"
          disabled={!modelReady || busy !== null || !leakage}
          onClick={() => void checkSemanticTwins()}
          title="Cosine of the base model's mean-pooled embeddings ≥ 0.95 (mean-pooled embeddings of small encoders score 0.6–0.8 for unrelated sentences)."
        >
          {busy === 'semantic' ? 'Embedding…' : 'Check semantic twins'}
        </button>
        {!modelReady && <span className="muted">Load a base model (step 2) to compare meanings, not just words.</span>}
        <label className="file-button">
          Check a validation file{' '}
          <input
            type="file"
            accept=".csv,.tsv,.txt"
            aria-label="Validation file"
            disabled={busy !== null}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importValidationFile(file);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {imported && <LeakageReport leak={imported} testId="imported-leakage" />}
    </div>
  );
}

function LeakageReport({ leak, testId }: { leak: Leakage; testId: string }) {
  const running = useStudioStore((s) => s.trainStatus === 'running');
  const busy = useStudioStore((s) => s.auditBusy !== null);
  const what = leak.against === 'imported' ? 'imported rows' : 'held-out rows';
  const droppable = leak.against !== 'imported' ? leak.findings.filter((f) => f.fix && f.severity !== 'ok').map((f) => f.checkId) : [];
  return (
    <div data-testid={testId} data-share={leak.shareWithTwin} data-rows={leak.rowsWithTwin}>
      <p>
        <strong>{(leak.shareWithTwin * 100).toFixed(1)} %</strong> of {leak.otherRows} {what} have a twin among {leak.trainRows} training rows (
        {leak.rowsWithTwin} rows; fuzzy = word-set Jaccard ≥ {leak.jaccardThreshold}
        {leak.semantic ? `, semantic = cosine ≥ ${leak.semantic.threshold} with ${leak.semantic.model}` : ''}).
      </p>
      <ul className="findings">
        {leak.findings.map((f) => (
          <li key={f.checkId} className={`finding finding-${f.severity}`} data-testid={`leak-${f.checkId}`} data-count={f.count}>
            <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{titleOf(f.checkId)}</strong> · {f.count}
          </li>
        ))}
      </ul>
      {leak.note && <p className="muted">{leak.note}</p>}
      {leak.pairs.length > 0 && (
        <table className="compact pairs" aria-label="Leaked pairs">
          <thead>
            <tr>
              <th>kind</th>
              <th>similarity</th>
              <th>training text</th>
              <th>{leak.against === 'imported' ? 'imported text' : 'held-out text'}</th>
            </tr>
          </thead>
          <tbody>
            {leak.pairs.slice(0, 50).map((p) => (
              <tr key={`${p.kind}-${p.trainRow}-${p.otherRow}`}>
                <td>{p.kind}</td>
                <td>{p.similarity.toFixed(3)}</td>
                <td title={`row ${p.trainRow + 1}`}>{p.trainText}</td>
                <td title={`row ${p.otherRow + 1}`}>{p.otherText}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {droppable.length > 0 && (
        <p className="row">
          <span className="muted">Fix: switch "Split by" to groups, or</span>
          <button type="button" disabled={busy || running} onClick={() => void applyFixes(droppable)}>
            Drop the leaked held-out rows
          </button>
        </p>
      )}
    </div>
  );
}
