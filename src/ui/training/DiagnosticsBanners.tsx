// The run's diagnostics as banners with advice (src/train/diagnostics.ts finds them in the worker): NaN/Inf
// rollback, overfitting, forgetting, underfitting and early stopping, coloured by severity.
import { useShallow } from 'zustand/react/shallow';
import type { DiagnosticInfo } from '../../protocol/messages';
import { resumeTraining } from '../../state/trainingActions';
import { useStudioStore } from '../../state/studioStore';

const ORDER: DiagnosticInfo['id'][] = ['device-lost', 'non-finite-loss', 'overfitting', 'forgetting', 'underfitting', 'early-stopping'];
const SEVERITY_NAMES: Record<DiagnosticInfo['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

function NonFiniteActions() {
  const paused = useStudioStore((s) => s.paused?.reason === 'non-finite-loss' && s.trainStatus === 'running');
  const rollback = useStudioStore((s) => s.lastRollback);
  const lr = useStudioStore((s) => s.runLearningRate ?? s.trainConfig.learningRate);
  return (
    <>
      {rollback && (
        <p data-testid="rollback-info">
          Rolled back from step {rollback.fromStep} to step {rollback.toStep}, the last known-good state; the adapter and the optimizer are as they were there,
          and the curves after it are dropped.
        </p>
      )}
      <p data-testid="nan-advice" data-learning-rate={lr}>
        Usually the learning rate is too high (now {lr.toExponential(1)}): lower it. Resuming at the same rate will likely diverge again.
      </p>
      {paused && (
        <div className="row">
          <button type="button" className="primary" onClick={() => void resumeTraining(lr / 10)}>
            Resume at lr/10
          </button>
          <button type="button" onClick={() => void resumeTraining()}>
            Resume
          </button>
          <span className="muted">lr/10 = {(lr / 10).toExponential(1)}</span>
        </div>
      )}
    </>
  );
}

function Banner({ d }: { d: DiagnosticInfo }) {
  const restored = useStudioStore((s) => s.outcome?.restoredBest ?? false);
  return (
    <div
      className={`notice notice-${d.severity} diagnostic`}
      role={d.severity === 'error' ? 'alert' : 'status'}
      data-testid={`diagnostic-${d.id}`}
      data-severity={d.severity}
      data-started-at-step={d.startedAtStep}
    >
      <strong>
        <span className={`badge badge-sev-${d.severity}`}>{SEVERITY_NAMES[d.severity]}</span> {d.title}
      </strong>
      <p>{d.message}</p>
      {d.id === 'overfitting' && <p className="muted">Started at step {d.startedAtStep} (the lowest validation loss so far).</p>}
      {d.id === 'early-stopping' && (
        <p className="muted">
          Best step: {d.startedAtStep}.{' '}
          {restored ? 'The best adapter was restored; the download is that adapter.' : 'The best adapter is restored at the end of the run.'}
        </p>
      )}
      {d.id === 'non-finite-loss' && <NonFiniteActions />}
    </div>
  );
}

export function DiagnosticsBanners() {
  const diagnostics = useStudioStore(useShallow((s) => ORDER.map((id) => s.diagnostics[id]).filter((d): d is DiagnosticInfo => d !== undefined)));
  if (diagnostics.length === 0) return null;
  return (
    <div data-testid="diagnostics" aria-label="Training diagnostics">
      {diagnostics.map((d) => (
        <Banner key={d.id} d={d} />
      ))}
    </div>
  );
}
