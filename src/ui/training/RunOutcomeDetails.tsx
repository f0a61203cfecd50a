// After a run: the best adapter restored, what fine-tuning bought over the few-shot baseline, and the test split.
import { useStudioStore } from '../../state/studioStore';

const pct = (x: number | undefined | null) => (x == null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`);
const f3 = (x: number | undefined | null) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(3));
const delta = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? '' : ` (${a - b >= 0 ? '+' : ''}${((a - b) * 100).toFixed(1)} pts)`;

export function RunOutcomeDetails() {
  const outcome = useStudioStore((s) => s.outcome);
  const live = useStudioStore((s) => s.fewShotBaseline);
  const best = useStudioStore((s) => {
    const step = s.outcome?.bestStep ?? s.bestStep;
    return step == null ? undefined : s.evalPoints.find((e) => e.step === step);
  });
  const fewShot = outcome?.fewShot ?? live;
  if (!outcome && !fewShot) return null;
  return (
    <div className="subpanel" data-testid="outcome-details">
      {outcome?.restoredBest && outcome.bestStep != null && (
        <p data-testid="restored-best">
          The best adapter (step {outcome.bestStep}, validation loss {f3(outcome.bestValLoss)}) was restored: the download and the test
          metrics use it, not the last step.
        </p>
      )}
      {fewShot && (
        <table className="compact" aria-label="What fine-tuning bought" data-testid="few-shot-baseline">
          <thead>
            <tr>
              <th>Validation split</th>
              <th>accuracy</th>
              <th>macro-F1</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Few-shot baseline (base model, nearest class centroid, k = {fewShot.k} per class)</th>
              <td>{pct(fewShot.accuracy)}</td>
              <td>{f3(fewShot.macroF1)}</td>
            </tr>
            <tr>
              <th scope="row">Fine-tuned LoRA adapter{best ? ` (best, step ${best.step})` : ''}</th>
              <td>
                {pct(best?.valAccuracy)}
                {delta(best?.valAccuracy, fewShot.accuracy)}
              </td>
              <td>
                {f3(best?.macroF1)}
                {delta(best?.macroF1, fewShot.macroF1)}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {outcome?.test && (
        <p data-testid="test-metrics">
          Test split ({outcome.test.examples} rows, evaluated once on the best adapter): accuracy {pct(outcome.test.accuracy)}, macro-F1{' '}
          {f3(outcome.test.macroF1)}, loss {f3(outcome.test.loss)}.
        </p>
      )}
    </div>
  );
}
