// The Train step: hyperparameters, backend, start/stop, live progress and the loss curves (the evaluation detail
// and the downloads are in the Results step, ResultsPanel). Causal-LM tasks
// (instruction tuning, domain text) start an LM run with its options and the few-shot comparison.
import { startLmTraining, startTraining, stopTraining } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';
import { LossChart } from '../charts/LossChart';
import { Notice } from '../common/Notice';
import { BackendPicker } from './BackendPicker';
import { HyperparameterForm } from './HyperparameterForm';
import { DefaultsNote } from './DefaultsNote';
import { TrainProgressView } from './TrainProgressView';
import { LeakageGuard, useLeakageBlocksStart } from '../quality/LeakageGuard';
import { LmTrainOptions } from './LmTrainOptions';
import { DiagnosticsBanners } from './DiagnosticsBanners';
import { PauseResumeButtons } from './PauseResumeButtons';
import { StrategyPicker } from './StrategyPicker';
import { ContinueFromImport } from '../report/ContinueFromImport';

export function TrainPanel() {
  const status = useStudioStore((s) => s.trainStatus);
  const error = useStudioStore((s) => s.trainError);
  const outcome = useStudioStore((s) => s.outcome);
  const searching = useStudioStore((s) => s.searchStatus === 'running');
  const lmTask = useStudioStore((s) => s.lmTask !== 'classify');
  const canTrain = useStudioStore((s) =>
    s.lmTask !== 'classify' ? (s.lmData?.train ?? 0) > 0 && !s.lmBusy : s.dataset !== null && !s.dataset.blocking && s.split !== null,
  );
  const running = status === 'running' || status === 'stopping' || searching;
  const leakBlocks = useLeakageBlocksStart() && !lmTask;
  const showLmOptions = useStudioStore((s) => s.lmTask !== 'classify' || s.model?.tasks.includes('CAUSAL_LM') === true);

  return (
    <section className="panel" aria-labelledby="train-title">
      <h2 id="train-title">Train a LoRA adapter</h2>
      <ContinueFromImport disabled={running} />
      {!lmTask && <StrategyPicker disabled={running} />}
      <HyperparameterForm disabled={running} />
      <DefaultsNote disabled={running} />
      <BackendPicker disabled={running} />
      {showLmOptions && <LmTrainOptions disabled={running} />}
      {!lmTask && <LeakageGuard disabled={running} />}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!canTrain || running || leakBlocks}
          onClick={() => void (lmTask ? startLmTraining() : startTraining())}
        >
          Start training
        </button>
        <button type="button" disabled={status !== 'running'} onClick={() => void stopTraining()}>
          {status === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
        <PauseResumeButtons />
        {!canTrain && <span className="muted">Drop a usable dataset first.</span>}
      </div>
      {error && (
        <Notice tone="error" title="Training stopped:" testId="train-error">
          {error.message}
        </Notice>
      )}
      <TrainProgressView />
      <DiagnosticsBanners />
      <LossChart />
      {outcome && (
        <p data-testid="train-outcome">
          Run {outcome.status} after {outcome.steps} steps on {outcome.backend}: final training loss {outcome.finalTrainLoss?.toFixed(4) ?? '–'}, best
          validation loss {outcome.bestValLoss?.toFixed(4) ?? '–'}, {outcome.meanStepMs.toFixed(0)} ms/step, {Math.round(outcome.tokensPerSec)} tokens/s
          {outcome.lm?.final && `, validation perplexity ${outcome.lm.final.perplexity.toFixed(3)}`}.
          {outcome.restoredBest && outcome.bestStep != null && ` Best adapter restored (step ${outcome.bestStep}).`}
          {outcome.resumedFromStep != null && ` Resumed from the checkpoint at step ${outcome.resumedFromStep}.`}
          {outcome.continuedFrom && ` Continued from imported adapter ${outcome.continuedFrom}.`}
        </p>
      )}
      {outcome?.acknowledgedLeakage && (
        <p className="muted" data-testid="train-outcome-leakage">
          Trained despite leakage: {outcome.acknowledgedLeakage.pairs} held-out rows ({(outcome.acknowledgedLeakage.share * 100).toFixed(1)} %) had a twin in
          training; validation scores are optimistic.
        </p>
      )}
    </section>
  );
}
