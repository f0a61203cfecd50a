// Adapters come back in (issue 14): import a PEFT adapter zip onto the loaded base model, see its validation
// metrics on the current split, and compare them with the last run.
import { useRef } from 'react';
import { importAdapterFile } from '../../state/adapterActions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';

const f4 = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(4));
const pct = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)} %`);

export function AdapterImport() {
  const input = useRef<HTMLInputElement>(null);
  const status = useStudioStore((s) => s.importStatus);
  const error = useStudioStore((s) => s.importError);
  const imported = useStudioStore((s) => s.importedAdapter);
  const last = useStudioStore((s) => (s.outcome ? (s.evalPoints.at(-1) ?? null) : null));
  const busy = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  return (
    <section className="panel" aria-labelledby="import-title" data-testid="adapter-import">
      <h2 id="import-title">Import an adapter</h2>
      <p className="muted">
        A PEFT LoRA adapter zip (downloaded from this studio, or a folder PEFT's <code>save_pretrained</code> wrote, zipped) goes onto the base model loaded in
        the Model step and is evaluated on the current validation split.
      </p>
      <div className="row">
        <button type="button" disabled={busy || status === 'importing'} onClick={() => input.current?.click()}>
          {status === 'importing' ? 'Importing…' : 'Import adapter zip'}
        </button>
        <input
          ref={input}
          type="file"
          accept=".zip,application/zip"
          aria-label="Adapter zip"
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void importAdapterFile(file);
            e.target.value = '';
          }}
        />
      </div>
      {error && (
        <Notice tone="error" title="That adapter can't be used here:" testId="import-error">
          {error.message}
        </Notice>
      )}
      {imported && status === 'done' && (
        <div data-testid="imported-adapter" data-val-loss={imported.valLoss} data-val-accuracy={imported.valAccuracy} data-macro-f1={imported.macroF1}>
          <p>
            <strong>{imported.fileName}</strong> on {imported.modelId}: LoRA r {imported.r}, alpha {imported.loraAlpha} on {imported.targetModules.join(', ')};
            labels {imported.labelNames.join(', ')}.
            {imported.adapterBase !== imported.modelId && ` (Its config names ${imported.adapterBase} as the base; the weights fit ${imported.modelId}.)`}
          </p>
          <table className="compact" aria-label="Imported adapter compared with the last run">
            <thead>
              <tr>
                <th scope="col">on {imported.examples} validation rows</th>
                <th scope="col">validation loss</th>
                <th scope="col">accuracy</th>
                <th scope="col">macro-F1</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">imported adapter</th>
                <td>{f4(imported.valLoss)}</td>
                <td>{pct(imported.valAccuracy)}</td>
                <td>{f4(imported.macroF1)}</td>
              </tr>
              {last && (
                <tr>
                  <th scope="row">last run (final evaluation)</th>
                  <td>{f4(last.valLoss)}</td>
                  <td>{pct(last.valAccuracy)}</td>
                  <td>{f4(last.macroF1)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
