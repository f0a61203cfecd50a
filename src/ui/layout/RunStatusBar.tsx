// The compact run status (issue 14), visible from every step while a run trains: step, loss, ETA, pause / resume
// and stop; after the run, a link to its results.
import { stopTraining } from '../../state/actions';
import { pauseTraining, resumeTraining } from '../../state/trainingActions';
import { useStudioStore } from '../../state/studioStore';
import { ProgressBar } from '../common/ProgressBar';

const formatEta = (sec: number) => (sec >= 90 ? `${Math.round(sec / 60)} min` : `${Math.max(0, Math.round(sec))} s`);

export function RunStatusBar() {
  const status = useStudioStore((s) => s.trainStatus);
  const searching = useStudioStore((s) => s.searchStatus === 'running');
  const p = useStudioStore((s) => s.progress);
  const loss = useStudioStore((s) => s.trainPoints.at(-1)?.loss ?? null);
  const paused = useStudioStore((s) => s.paused);
  const requested = useStudioStore((s) => s.pauseRequested);
  const outcome = useStudioStore((s) => s.outcome);
  const view = useStudioStore((s) => s.view);
  const running = status === 'running' || status === 'stopping';

  if (!running && !searching) {
    if (!outcome || view === 'results') return null;
    return (
      <div className="run-status" data-testid="run-status" data-state="done">
        <span>
          Last run {outcome.status} after {outcome.steps} steps.
        </span>
        <a href="#/results">See the results</a>
      </div>
    );
  }
  return (
    <div className="run-status" data-testid="run-status" data-state={paused ? 'paused' : 'running'} role="group" aria-label="Run status">
      <strong>{searching && !running ? 'Searching' : paused ? 'Paused' : status === 'stopping' ? 'Stopping' : 'Training'}</strong>
      {p ? (
        <>
          <span data-testid="run-status-step">
            step {p.step} / {p.totalSteps}
          </span>
          <span>loss {loss === null || !Number.isFinite(loss) ? '–' : loss.toFixed(4)}</span>
          {!paused && <span>about {formatEta(p.etaSec)} left</span>}
          <ProgressBar value={p.step / p.totalSteps} label="run progress" />
        </>
      ) : (
        <span>starting…</span>
      )}
      {running && !paused && (
        <button type="button" disabled={requested || status === 'stopping'} onClick={() => void pauseTraining()}>
          {requested ? 'Pausing…' : 'Pause run'}
        </button>
      )}
      {running && paused && paused.reason !== 'non-finite-loss' && (
        <button type="button" onClick={() => void resumeTraining()}>
          Resume run
        </button>
      )}
      {running && (
        <button type="button" disabled={status === 'stopping'} onClick={() => void stopTraining()}>
          Stop run
        </button>
      )}
      {view !== 'train' && <a href="#/train">Watch it</a>}
    </div>
  );
}
