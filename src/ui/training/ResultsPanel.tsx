// The Results step (issue 14): what a run measured — validation metrics, the forgetting probe, per-class tables
// and the confusion matrix, the few-shot baseline — and its downloads.
import { useStudioStore } from '../../state/studioStore';
import { MetricChart } from '../charts/MetricChart';
import { ProbeChart } from '../charts/ProbeChart';
import { DownloadAdapter } from '../download/DownloadAdapter';
import { EvaluationView } from './EvaluationView';
import { FewShotComparison } from './FewShotComparison';
import { RunOutcomeDetails } from './RunOutcomeDetails';
import { LiveRunExports } from '../report/RunExports';

export function ResultsPanel() {
  const lmTask = useStudioStore((s) => s.lmTask !== 'classify');
  const hasRun = useStudioStore((s) => s.outcome !== null || s.evalPoints.length > 0);
  return (
    <section className="panel" aria-labelledby="results-title" data-testid="results-panel">
      <h2 id="results-title">Results</h2>
      {!hasRun && (
        <p className="muted" data-testid="results-empty">
          No results yet. Start a run in the <a href="#/train">Train</a> step, or open a saved run in <a href="#/runs">Runs</a>.
        </p>
      )}
      <MetricChart />
      <ProbeChart />
      <EvaluationView />
      <FewShotComparison />
      {!lmTask && <RunOutcomeDetails />}
      <DownloadAdapter />
      <LiveRunExports />
    </section>
  );
}
