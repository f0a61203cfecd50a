// Step, epoch, ETA and throughput of the running (or finished) training.
import { useStudioStore } from '../../state/studioStore';
import { ProgressBar } from '../common/ProgressBar';

const formatEta = (sec: number) => (sec >= 90 ? `${Math.round(sec / 60)} min` : `${Math.max(0, Math.round(sec))} s`);

export function TrainProgressView() {
  const p = useStudioStore((s) => s.progress);
  const status = useStudioStore((s) => s.trainStatus);
  const message = useStudioStore((s) => s.statusMessage);
  const plan = useStudioStore((s) => s.plan);
  const paddingWaste = useStudioStore((s) => s.outcome?.paddingWaste ?? s.plan?.paddingWaste);
  if (!p) return status === 'running' ? <p className="muted">{message ?? 'Starting…'}</p> : null;
  return (
    <div data-testid="train-progress">
      <ProgressBar value={p.step / p.totalSteps} label="training progress" />
      <p>
        Step <strong data-testid="train-step">{p.step}</strong> / {p.totalSteps} · epoch {p.epoch} / {p.epochs} · {p.stepMs.toFixed(0)} ms/step ·{' '}
        {Math.round(p.tokensPerSec)} tokens/s
        {status === 'running' && ` · about ${formatEta(p.etaSec)} left`}
        {paddingWaste !== undefined && (
          <span data-testid="padding-waste" title="Share of pad tokens in the batches. Length bucketing sorts texts by length within shuffled chunks.">
            {' '}
            · padding waste {(paddingWaste * 100).toFixed(1)} %{plan && ` (random batches: ${(plan.randomPaddingWaste * 100).toFixed(1)} %)`}
          </span>
        )}
        {plan && plan.effectiveBatchSize !== undefined && ` · effective batch ${plan.effectiveBatchSize}`}
      </p>
    </div>
  );
}
