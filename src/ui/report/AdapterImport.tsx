// Adapters come back in (issue 14): import a PEFT adapter zip onto the loaded base model, or a zipped full model
// folder as the model; see its validation metrics on the current split beside the last run (it is also stored
// as an "imported" run, so the Runs comparison takes it), then continue training from it or try it in the playground.
import { useRef } from 'react';
import { importAdapterFile, importModelFile, setContinueFromImport } from '../../state/adapterActions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';

const f4 = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(4));
const pct = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)} %`);

function ZipPicker(props: { label: string; inputLabel: string; disabled: boolean; onFile: (f: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" disabled={props.disabled} onClick={() => input.current?.click()}>
        {props.label}
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        aria-label={props.inputLabel}
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) props.onFile(file);
          e.target.value = '';
        }}
      />
    </>
  );
}

export function AdapterImport() {
  const status = useStudioStore((s) => s.importStatus);
  const error = useStudioStore((s) => s.importError);
  const imported = useStudioStore((s) => s.importedAdapter);
  const last = useStudioStore((s) => (s.outcome ? (s.evalPoints.at(-1) ?? null) : null));
  const busy = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const importing = status === 'importing';
  const lm = imported?.task === 'CAUSAL_LM';
  return (
    <section className="panel" aria-labelledby="import-title" data-testid="adapter-import">
      <h2 id="import-title">Import an adapter or a model</h2>
      <p className="muted">
        A PEFT LoRA adapter zip (downloaded from this studio, or a folder PEFT's <code>save_pretrained</code> wrote, zipped) goes onto the base model loaded in
        the Model step; a full model folder (a fine-tuned <code>…ForSequenceClassification</code> saved with <code>save_pretrained</code>, zipped) becomes the
        model. Either is evaluated on the current validation split and kept in Runs as an imported run.
      </p>
      <div className="row">
        <ZipPicker
          label={importing ? 'Importing…' : 'Import adapter zip'}
          inputLabel="Adapter zip"
          disabled={busy || importing}
          onFile={(f) => void importAdapterFile(f)}
        />
        <ZipPicker label="Import model folder (zip)" inputLabel="Model folder zip" disabled={busy || importing} onFile={(f) => void importModelFile(f)} />
      </div>
      {error && (
        <Notice tone="error" title="That file can't be used here:" testId="import-error">
          {error.message}
        </Notice>
      )}
      {imported && status === 'done' && (
        <div
          data-testid="imported-adapter"
          data-task={imported.task}
          data-val-loss={imported.valLoss}
          data-val-accuracy={imported.valAccuracy}
          data-macro-f1={imported.macroF1 ?? undefined}
          data-perplexity={imported.perplexity ?? undefined}
        >
          {imported.kind === 'adapter' ? (
            <p>
              <strong>{imported.fileName}</strong> on {imported.modelId}: {lm ? 'causal-LM ' : ''}LoRA r {imported.r}, alpha {imported.loraAlpha} on{' '}
              {imported.targetModules.join(', ')}
              {lm ? '; it is the fine-tuned side of the playground now.' : `; labels ${imported.labelNames.join(', ')}.`}
              {imported.adapterBase !== imported.modelId && ` (Its config names ${imported.adapterBase} as the base; the weights fit ${imported.modelId}.)`}
            </p>
          ) : (
            <p>
              <strong>{imported.fileName}</strong> is the loaded model now ({imported.modelId}), with its own classification head; labels{' '}
              {imported.labelNames.join(', ')}. {imported.labelNote}
            </p>
          )}
          <table className="compact" aria-label="Imported adapter compared with the last run">
            <thead>
              <tr>
                <th scope="col">on {imported.examples} validation rows</th>
                <th scope="col">validation loss</th>
                <th scope="col">{lm ? 'next-token accuracy' : 'accuracy'}</th>
                <th scope="col">{lm ? 'perplexity' : 'macro-F1'}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">imported {imported.kind === 'adapter' ? 'adapter' : 'model'}</th>
                <td>{f4(imported.valLoss)}</td>
                <td>{pct(imported.valAccuracy)}</td>
                <td>{f4(lm ? imported.perplexity : imported.macroF1)}</td>
              </tr>
              {last && (
                <tr>
                  <th scope="row">last run (final evaluation)</th>
                  <td>{f4(last.valLoss)}</td>
                  <td>{pct(last.valAccuracy)}</td>
                  <td>{f4(lm ? last.perplexity : last.macroF1)}</td>
                </tr>
              )}
            </tbody>
          </table>
          <p className="muted">
            {imported.runId ? 'Stored in the runs list below as an imported run: tick it to compare it with any run. ' : ''}
            Try it in the <a href="#/playground">Playground</a>.
          </p>
          {imported.kind === 'adapter' && (
            <div className="row">
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  setContinueFromImport(true);
                  window.location.hash = '#/train';
                }}
              >
                Continue training from this adapter
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
