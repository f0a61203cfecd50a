// Pause / Resume of the running training (a paused run keeps its state in the worker; Stop still works).
import { pauseTraining, resumeTraining } from '../../state/trainingActions';
import { useStudioStore } from '../../state/studioStore';

export function PauseResumeButtons() {
  const running = useStudioStore((s) => s.trainStatus === 'running');
  const paused = useStudioStore((s) => s.paused);
  const requested = useStudioStore((s) => s.pauseRequested);
  if (!running) return null;
  if (paused)
    return (
      <>
        {paused.reason !== 'non-finite-loss' && (
          <button type="button" onClick={() => void resumeTraining()}>
            Resume
          </button>
        )}
        <span className="badge badge-paused" data-testid="train-paused" data-reason={paused.reason}>
          paused at step {paused.step}
          {paused.reason === 'non-finite-loss' && ' (loss became NaN/Inf)'}
          {paused.reason === 'storage' && ' (a checkpoint did not fit in browser storage)'}
          {paused.reason === 'device-lost' && ' (the GPU device was lost)'}
        </span>
        {(paused.reason === 'storage' || paused.reason === 'device-lost') && paused.message && (
          <span className="muted" data-testid="train-paused-message">
            {paused.message}
          </span>
        )}
      </>
    );
  return (
    <button type="button" disabled={requested} onClick={() => void pauseTraining()}>
      {requested ? 'Pausing…' : 'Pause'}
    </button>
  );
}
