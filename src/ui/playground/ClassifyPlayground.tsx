// The Playground step for classifiers (issue 14): type a text, pick who answers (the last run's adapter, a stored
// run's, the imported adapter, or an imported full model's own head) and see the predicted label with every class's probability.
import { useMemo } from 'react';
import { classifyCurrentText } from '../../state/adapterActions';
import { useStudioStore } from '../../state/studioStore';
import type { ClassifyWith } from '../../protocol/messages';
import { Notice } from '../common/Notice';

/** The choices the session has now, with their labels. */
export function useClassifyChoices(): { id: ClassifyWith; label: string }[] {
  const runAdapter = useStudioStore((s) => s.outcome !== null && s.outcome.lm == null && s.outcome.strategy !== 'full' && s.outcome.steps > 0);
  const imported = useStudioStore((s) => s.importedAdapter);
  const modelId = useStudioStore((s) => s.model?.modelId ?? null);
  const runs = useStudioStore((s) => s.runs);
  const lastRunId = useStudioStore((s) => s.outcome?.runId ?? null);
  // Stored classification LoRA runs of the loaded model (not causal-LM, full fine-tuning or imported entries).
  const stored = useMemo(
    () =>
      runs.filter(
        (r) =>
          r.status === 'finished' &&
          r.modelId === modelId &&
          r.id !== lastRunId &&
          r.backend !== 'imported' &&
          r.config.strategy !== 'full' &&
          (r.config as { extra?: { task?: string } }).extra?.task === undefined,
      ),
    [runs, modelId, lastRunId],
  );
  const out: { id: ClassifyWith; label: string }[] = [];
  if (runAdapter) out.push({ id: 'run', label: "The last run's adapter" });
  if (imported?.kind === 'adapter' && imported.task === 'SEQ_CLS') out.push({ id: 'imported', label: `Imported adapter ${imported.fileName}` });
  if (imported?.kind === 'full-model' && imported.modelId === modelId) out.push({ id: 'model', label: `Imported model ${imported.fileName}` });
  for (const r of stored) out.push({ id: `stored:${r.id}`, label: `Stored run ${r.name} (${new Date(r.createdAt).toLocaleTimeString()})` });
  return out;
}

export function ClassifyPlayground() {
  const choices = useClassifyChoices();
  const text = useStudioStore((s) => s.classifyText);
  const chosen = useStudioStore((s) => s.classifyWith);
  const status = useStudioStore((s) => s.classifyStatus);
  const result = useStudioStore((s) => s.classifyResult);
  const error = useStudioStore((s) => s.classifyError);
  const training = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const which = choices.some((c) => c.id === chosen) ? chosen : choices[0]?.id;
  return (
    <section className="panel" aria-labelledby="classify-title" data-testid="classify-playground">
      <h2 id="classify-title">Playground: classify a text</h2>
      <label className="block">
        Text to classify
        <textarea rows={3} value={text} onChange={(e) => useStudioStore.setState({ classifyText: e.target.value })} />
      </label>
      <div className="row">
        <label>
          Classify with{' '}
          <select value={which} onChange={(e) => useStudioStore.setState({ classifyWith: e.target.value as ClassifyWith })}>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          disabled={training || status === 'running' || text.trim() === '' || !which}
          onClick={() => {
            if (which) useStudioStore.setState({ classifyWith: which });
            void classifyCurrentText();
          }}
        >
          {status === 'running' ? 'Classifying…' : 'Classify'}
        </button>
      </div>
      {error && (
        <Notice tone="error" title="Could not classify:" testId="classify-error">
          {error.message}
        </Notice>
      )}
      {result && status === 'done' && (
        <div data-testid="classify-result" data-label={result.label}>
          <p>
            <strong>{result.label}</strong> ({result.adapter})
          </p>
          <table className="compact" aria-label="Class probabilities">
            <thead>
              <tr>
                <th scope="col">label</th>
                <th scope="col">probability</th>
              </tr>
            </thead>
            <tbody>
              {result.probabilities.map((p) => (
                <tr key={p.label}>
                  <th scope="row">{p.label}</th>
                  <td>{(p.p * 100).toFixed(1)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
