// After a run: the verdict, the bars to beat (majority class, few-shot, classical TF-IDF + LR) beside the fine-tuned
// result with per-class F1, the best adapter restored, and the test split.
import type { BaselineView, ClassReport } from '../../protocol/messages';
import { useStudioStore } from '../../state/studioStore';
import { STRATEGY_LABELS } from './strategyText';

const pct = (x: number | undefined | null) => (x == null || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`);
const f3 = (x: number | undefined | null) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(3));
const delta = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? '' : ` (${a - b >= 0 ? '+' : ''}${((a - b) * 100).toFixed(1)} pts)`;

function PerClassF1({ classical, fineTuned }: { classical: BaselineView | null; fineTuned: ClassReport[] | null }) {
  const labels = (classical?.perClass ?? fineTuned ?? []).map((c) => c.label);
  if (labels.length === 0 || labels.length > 40) return null; // 150 intents would be a wall of numbers
  return (
    <table className="compact" aria-label="Per-class F1" data-testid="per-class-f1">
      <thead>
        <tr>
          <th>class</th>
          <th>classical F1</th>
          <th>fine-tuned F1</th>
        </tr>
      </thead>
      <tbody>
        {labels.map((l, i) => (
          <tr key={l}>
            <th scope="row">{l}</th>
            <td>{f3(classical?.perClass[i]?.f1)}</td>
            <td>{f3(fineTuned?.find((c) => c.label === l)?.f1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RunOutcomeDetails() {
  const outcome = useStudioStore((s) => s.outcome);
  const live = useStudioStore((s) => s.fewShotBaseline);
  const liveBaselines = useStudioStore((s) => s.baselines);
  const detail = useStudioStore((s) => s.evalDetail);
  const strategy = useStudioStore((s) => s.outcome?.strategy ?? s.trainConfig.strategy ?? 'lora');
  const best = useStudioStore((s) => {
    const step = s.outcome?.bestStep ?? s.bestStep;
    return step == null ? undefined : s.evalPoints.find((e) => e.step === step);
  });
  const fewShot = outcome?.fewShot ?? live;
  const classical = outcome?.classical ?? liveBaselines?.classical ?? null;
  const majority = outcome?.majority ?? liveBaselines?.majority ?? null;
  if (!outcome && !fewShot && !classical) return null;
  // The bar: the classical baseline when there is one, else the few-shot one.
  const bar = classical ?? fewShot;
  return (
    <div className="subpanel" data-testid="outcome-details">
      {outcome?.verdict && (
        <p className={outcome.verdict.beatClassical ? 'verdict good' : 'verdict bad'} data-testid="run-verdict" role="status">
          <strong>{outcome.verdict.sentence}</strong>
        </p>
      )}
      {outcome?.restoredBest && outcome.bestStep != null && (
        <p data-testid="restored-best">
          The best adapter (step {outcome.bestStep}, validation loss {f3(outcome.bestValLoss)}) was restored: the download and the test metrics use it, not the
          last step.
        </p>
      )}
      {(fewShot || classical) && (
        <table className="compact" aria-label="What fine-tuning bought" data-testid="few-shot-baseline">
          <thead>
            <tr>
              <th>Validation split</th>
              <th>accuracy</th>
              <th>macro-F1</th>
            </tr>
          </thead>
          <tbody>
            {majority && (
              <tr data-testid="majority-baseline">
                <th scope="row">Majority class ({majority.description.replace(/^Always /, 'always ')})</th>
                <td>{pct(majority.accuracy)}</td>
                <td>{f3(majority.macroF1)}</td>
              </tr>
            )}
            {fewShot && (
              <tr>
                <th scope="row">Few-shot baseline (base model, nearest class centroid, k = {fewShot.k} per class)</th>
                <td>{pct(fewShot.accuracy)}</td>
                <td>{f3(fewShot.macroF1)}</td>
              </tr>
            )}
            {classical && (
              <tr data-testid="classical-baseline">
                <th scope="row">
                  Classical baseline: {classical.description} ({(classical.trainMs / 1000).toFixed(1)} s) — the bar to beat
                </th>
                <td>{pct(classical.accuracy)}</td>
                <td>{f3(classical.macroF1)}</td>
              </tr>
            )}
            <tr data-testid="fine-tuned-row">
              <th scope="row">
                Fine-tuned: {STRATEGY_LABELS[strategy]}
                {best ? ` (best, step ${best.step})` : ''}
              </th>
              <td>
                {pct(best?.valAccuracy)}
                {delta(best?.valAccuracy, bar?.accuracy)}
              </td>
              <td>
                {f3(best?.macroF1)}
                {delta(best?.macroF1, bar?.macroF1)}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {classical && <PerClassF1 classical={classical} fineTuned={detail?.perClass ?? null} />}
      {outcome?.test && (
        <p data-testid="test-metrics">
          Test split ({outcome.test.examples} rows, evaluated once on the best adapter): accuracy {pct(outcome.test.accuracy)}, macro-F1{' '}
          {f3(outcome.test.macroF1)}, loss {f3(outcome.test.loss)}.
        </p>
      )}
    </div>
  );
}
