// The few-shot baseline (base model, k examples in the prompt) next to the fine-tuned result on the same
// validation split: was fine-tuning worth it? Also the LM validation curve's first/last values for tests.
import type { EvalPoint, FewShotView } from '../../protocol/messages';
import { useStudioStore } from '../../state/studioStore';

const f4 = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(4));
const pct = (x: number | null | undefined) => (x == null ? '–' : `${(x * 100).toFixed(1)} %`);

function Baseline({ f }: { f: FewShotView }) {
  if (f.task === 'classify')
    return (
      <td>
        accuracy {pct(f.accuracy)}, macro F1 {f4(f.macroF1)} ({f.scoring})
      </td>
    );
  return (
    <td>
      loss {f4(f.metrics.loss)}, perplexity {f4(f.metrics.perplexity)}, token accuracy {pct(f.metrics.tokenAccuracy)}
    </td>
  );
}

function Tuned({ last, lm }: { last: EvalPoint | undefined; lm: boolean }) {
  if (!last) return <td className="muted">train to compare</td>;
  if (!lm)
    return (
      <td>
        accuracy {pct(last.valAccuracy)}, loss {f4(last.valLoss)}
      </td>
    );
  return (
    <td>
      loss {f4(last.valLoss)}, perplexity {f4(last.perplexity)}, token accuracy {pct(last.tokenAccuracy)}
      {last.exactMatch != null && `, exact match ${pct(last.exactMatch)}`}
    </td>
  );
}

export function FewShotComparison() {
  const fewShot = useStudioStore((s) => s.fewShot);
  const status = useStudioStore((s) => s.fewShotStatus);
  const error = useStudioStore((s) => s.fewShotError);
  const evalPoints = useStudioStore((s) => s.evalPoints);
  const lm = useStudioStore((s) => s.lmTask !== 'classify');
  const first = evalPoints[0];
  const last = evalPoints.length > 1 || !lm ? evalPoints[evalPoints.length - 1] : undefined;
  // Classification runs show their own few-shot table (RunOutcomeDetails); this one is for in-context prompting.
  if (!fewShot && status === 'idle' && (!lm || evalPoints.length === 0)) return null;
  return (
    <div
      data-testid="lm-eval"
      data-eval-points={evalPoints.length}
      data-first-val-loss={first?.valLoss}
      data-last-val-loss={last?.valLoss}
      data-first-perplexity={first?.perplexity}
      data-last-perplexity={last?.perplexity}
    >
      {status === 'running' && <p className="muted">Few-shot baseline running…</p>}
      {error && (
        <p className="muted" data-testid="few-shot-error">
          Few-shot baseline: {error}
        </p>
      )}
      <table aria-label="Few-shot vs fine-tuned">
        <thead>
          <tr>
            <th>Validation</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {fewShot && (
            <tr data-testid="few-shot">
              <th>
                Few-shot prompting (k = {fewShot.k}, base model, {fewShot.n} examples)
              </th>
              <Baseline f={fewShot} />
            </tr>
          )}
          <tr data-testid="fine-tuned">
            <th>Fine-tuned (LoRA)</th>
            <Tuned last={last} lm={lm} />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
