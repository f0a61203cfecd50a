// Step 3: hyperparameters, backend, start/stop, live progress and curves, then the download.
import { startTraining, stopTraining } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';
import { LossChart } from '../charts/LossChart';
import { Notice } from '../common/Notice';
import { DownloadAdapter } from '../download/DownloadAdapter';
import { BackendPicker } from './BackendPicker';
import { HyperparameterForm } from './HyperparameterForm';
import { TrainProgressView } from './TrainProgressView';
import { LeakageGuard, useLeakageBlocksStart } from '../quality/LeakageGuard';

export function TrainPanel() {
  const status = useStudioStore((s) => s.trainStatus);
  const error = useStudioStore((s) => s.trainError);
  const outcome = useStudioStore((s) => s.outcome);
  const canTrain = useStudioStore((s) => s.dataset !== null && !s.dataset.blocking && s.split !== null);
  const running = status === 'running' || status === 'stopping';
  const leakBlocks = useLeakageBlocksStart();

  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">3. Train a LoRA adapter</h2>
      <HyperparameterForm disabled={running} />
      <BackendPicker disabled={running} />
      <LeakageGuard disabled={running} />
      <div className="row">
        <button type="button" className="primary" disabled={!canTrain || running || leakBlocks} onClick={() => void startTraining()}>
          Start training
        </button>
        <button type="button" disabled={status !== 'running'} onClick={() => void stopTraining()}>
          {status === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
        {!canTrain && <span className="muted">Drop a usable dataset first.</span>}
      </div>
      {error && (
        <Notice tone="error" title="Training stopped:" testId="train-error">
          {error.message}
        </Notice>
      )}
      <TrainProgressView />
      <LossChart />
      {outcome && (
        <p data-testid="train-outcome">
          Run {outcome.status} after {outcome.steps} steps on {outcome.backend}: final training loss{' '}
          {outcome.finalTrainLoss?.toFixed(4) ?? '–'}, best validation loss {outcome.bestValLoss?.toFixed(4) ?? '–'},{' '}
          {outcome.meanStepMs.toFixed(0)} ms/step, {Math.round(outcome.tokensPerSec)} tokens/s.
        </p>
      )}
      {outcome?.acknowledgedLeakage && (
        <p className="muted" data-testid="train-outcome-leakage">
          Trained despite leakage: {outcome.acknowledgedLeakage.pairs} held-out rows ({(outcome.acknowledgedLeakage.share * 100).toFixed(1)} %)
          had a twin in training; validation scores are optimistic.
        </p>
      )}
      <DownloadAdapter />
    </section>
  );
}
