// Downloads of a finished run (issue 14): the training report as one self-contained HTML file and its JSON twin,
// and the Python recipe (transformers + PEFT) that reproduces the run on a bigger machine.
import { useState } from 'react';
import { buildRecipeZip, liveRecipe, type RecipeZip } from '../../state/recipeActions';
import { liveRunReport, storedRunReport, type ReportFiles } from '../../state/reportActions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { saveBytes } from '../common/saveBytes';

const utf8 = (s: string) => new TextEncoder().encode(s);

function ExportButtons({ make, recipe, testId }: { make: () => ReportFiles; recipe: () => Promise<RecipeZip>; testId: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div data-testid={testId}>
      <div className="row">
        <button
          type="button"
          onClick={() => {
            const f = make();
            saveBytes(utf8(f.html), `${f.baseName}.html`, 'text/html');
          }}
        >
          Download report (HTML)
        </button>
        <button
          type="button"
          onClick={() => {
            const f = make();
            saveBytes(utf8(f.json), `${f.baseName}.json`, 'application/json');
          }}
        >
          Download report (JSON)
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const res = await recipe();
            setBusy(false);
            if ('error' in res) return setError(res.error);
            setError(null);
            saveBytes(res.bytes, res.fileName);
          }}
        >
          Download Python recipe (zip)
        </button>
      </div>
      <p className="muted">
        The report is one file to show a colleague: data checks, split and leakage, settings, curves, evaluation, baselines, diagnostics, hardware. The recipe
        reruns this training with transformers + PEFT (<code>accelerate launch train.py</code>).
      </p>
      {error && (
        <Notice tone="warning" testId="recipe-error">
          {error}
        </Notice>
      )}
    </div>
  );
}

/** For the live run, in the Results step. */
export function LiveRunExports() {
  const finished = useStudioStore((s) => s.outcome !== null && s.trainStatus !== 'running' && s.trainStatus !== 'stopping');
  if (!finished) return null;
  return <ExportButtons make={liveRunReport} recipe={liveRecipe} testId="run-exports" />;
}

/** For the run opened in the runs view. */
export function OpenRunExports() {
  const detail = useStudioStore((s) => s.openRun);
  if (!detail || detail.run.status === 'running') return null;
  const { run } = detail;
  return (
    <section className="panel" aria-labelledby="open-run-exports-title">
      <h2 id="open-run-exports-title">Report and recipe of {run.name}</h2>
      <ExportButtons
        make={() => storedRunReport(detail)}
        recipe={() => buildRecipeZip(run.config, run.name, { modelId: run.modelId, datasetId: run.datasetId })}
        testId="open-run-exports"
      />
    </section>
  );
}
