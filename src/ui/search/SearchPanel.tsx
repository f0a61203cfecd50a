// Hyperparameter search: grid or random over learning rate, batch size, epochs, LoRA rank and alpha; the trials
// run one after another in the worker (with early stopping) within a budget of trials and minutes.
import { runSearch, stopSearch } from '../../state/trainingActions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { SearchCurves } from './SearchCurves';
import { SearchForm } from './SearchForm';
import { SearchResults } from './SearchResults';

const STOP_REASONS: Record<string, string> = {
  done: 'every combination tried',
  'max-trials': 'trial budget reached',
  'max-minutes': 'time budget reached',
  stopped: 'cancelled',
};

export function SearchPanel() {
  const status = useStudioStore((s) => s.searchStatus);
  const error = useStudioStore((s) => s.searchError);
  const done = useStudioStore((s) => s.searchTrials.length);
  const total = useStudioStore((s) => s.searchTotal);
  const stoppedBy = useStudioStore((s) => s.searchResult?.stoppedBy ?? null);
  const message = useStudioStore((s) => s.statusMessage);
  const trainBusy = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const canRun = useStudioStore((s) => s.lmTask === 'classify' && s.dataset !== null && !s.dataset.blocking && s.split !== null);
  const running = status === 'running';
  return (
    <section className="panel" aria-labelledby="search-title" data-testid="search-panel">
      <h2 id="search-title">Hyperparameter search</h2>
      <p className="muted">
        Tries several settings and ranks them by validation macro-F1. Each trial trains a fresh adapter; the form above supplies everything not listed here.
      </p>
      <SearchForm disabled={running} />
      <div className="row">
        <button type="button" className="primary" disabled={!canRun || running || trainBusy} onClick={() => void runSearch()}>
          Run search
        </button>
        <button type="button" disabled={!running} onClick={() => void stopSearch()}>
          Cancel search
        </button>
        {running && (
          <span data-testid="search-progress">
            {done} of {total || '…'} trials done{message ? ` · ${message}` : ''}
          </span>
        )}
        {status === 'done' && (
          <span data-testid="search-done">
            Search finished: {done} trials{stoppedBy && STOP_REASONS[stoppedBy] ? ` (${STOP_REASONS[stoppedBy]})` : ''}.
          </span>
        )}
        {!canRun && <span className="muted">Drop a usable classification dataset first.</span>}
      </div>
      {error && (
        <Notice tone="error" title="Search failed:" testId="search-error">
          {error.message}
        </Notice>
      )}
      <SearchResults />
      <SearchCurves />
    </section>
  );
}
