// The latest validation evaluation: accuracy and macro-F1, per-class precision / recall / F1 and the confusion matrix.
import { useStudioStore } from '../../state/studioStore';
import { ConfusionMatrix } from './ConfusionMatrix';

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`);
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

export function EvaluationView() {
  const detail = useStudioStore((s) => s.evalDetail);
  const point = useStudioStore((s) => (s.evalDetail ? s.evalPoints.find((e) => e.step === s.evalDetail?.step) : undefined));
  if (!detail) return null;
  return (
    <details className="subpanel" open data-testid="evaluation-view" data-step={detail.step}>
      <summary>
        <strong>Validation at step {detail.step}</strong>: accuracy <span data-testid="eval-accuracy">{pct(point?.valAccuracy)}</span>, macro-F1{' '}
        <span data-testid="eval-macro-f1">{point?.macroF1 === undefined ? '–' : f3(point.macroF1)}</span>
        {point && <>, loss {f3(point.valLoss)}</>}
      </summary>
      <div className="eval-grid">
        <table className="compact" aria-label="Per-class metrics">
          <thead>
            <tr>
              <th>label</th>
              <th>precision</th>
              <th>recall</th>
              <th>F1</th>
              <th>support</th>
            </tr>
          </thead>
          <tbody>
            {detail.perClass.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                <td>{f3(c.precision)}</td>
                <td>{f3(c.recall)}</td>
                <td>{f3(c.f1)}</td>
                <td>{c.support}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <ConfusionMatrix confusion={detail.confusion} labels={detail.labels} />
      </div>
      <p className="muted">
        Precision: of the rows predicted as a label, the share that had it. Recall: of the rows with a label, the share found. Macro-F1 averages F1 over labels,
        so a rare label counts as much as a common one.
      </p>
    </details>
  );
}
