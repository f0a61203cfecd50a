// Finished trials sorted by the validation metric (best macro-F1 first), each with its config; "Use best" copies
// the winner into the hyperparameter form.
import { useShallow } from 'zustand/react/shallow';
import { sortTrialsByMetric } from '../../state/trainingEvents';
import { applyBestConfig } from '../../state/trainingActions';
import { useStudioStore } from '../../state/studioStore';

const f4 = (x: number | null) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(4));

export function SearchResults() {
  const trials = useStudioStore(useShallow((s) => sortTrialsByMetric(s.searchTrials)));
  const bestIndex = useStudioStore((s) => s.searchResult?.bestIndex ?? null);
  const running = useStudioStore((s) => s.searchStatus === 'running');
  if (trials.length === 0) return null;
  const best = bestIndex ?? trials[0].index;
  return (
    <div data-testid="search-results" data-trials={trials.length}>
      <table aria-label="Search results">
        <thead>
          <tr>
            <th>rank</th>
            <th>trial</th>
            <th>learning rate</th>
            <th>batch</th>
            <th>epochs</th>
            <th>LoRA r</th>
            <th>alpha</th>
            <th>strategy</th>
            <th>val macro-F1</th>
            <th>best val loss</th>
            <th>time</th>
          </tr>
        </thead>
        <tbody>
          {trials.map((t, rank) => (
            <tr key={t.index} data-testid="search-trial" data-trial={t.index} data-metric={t.metric} className={t.index === best ? 'best-row' : undefined}>
              <td>{rank + 1}</td>
              <td>
                #{t.index + 1}
                {t.index === best && ' ★'}
              </td>
              <td>{t.config.learningRate}</td>
              <td>{t.config.batchSize}</td>
              <td>{t.config.epochs}</td>
              <td>{t.config.loraR}</td>
              <td>{t.config.loraAlpha}</td>
              <td>{t.config.strategy ?? 'as chosen'}</td>
              <td>
                <strong>{f4(t.metric)}</strong>
              </td>
              <td>{f4(t.bestValLoss)}</td>
              <td>{(t.durationMs / 1000).toFixed(1)} s</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button
          type="button"
          onClick={() => applyBestConfig()}
          title="Copy the best trial's learning rate, batch size, epochs, rank and alpha into the hyperparameter form."
        >
          Use best
        </button>
        {running && <span className="muted">Best so far; the search is still running.</span>}
      </div>
    </div>
  );
}
