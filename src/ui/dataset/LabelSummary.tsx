// Label counts, row-level parse errors and the train/validation split per label.
import { setSplitOptions } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { LeftOutRows } from './LeftOutRows';

const MAX_LISTED_LABELS = 30;

export function LabelSummary() {
  const dataset = useStudioStore((s) => s.dataset);
  const split = useStudioStore((s) => s.split);
  const fraction = useStudioStore((s) => s.validationFraction);
  const seed = useStudioStore((s) => s.splitSeed);
  if (!dataset) return null;

  const perLabel = new Map(split?.perLabel.map((p) => [p.label, p]) ?? []);
  return (
    <div>
      <p data-testid="dataset-stats">
        <strong>{dataset.fileName}</strong>: {dataset.rowCount} rows, {dataset.labels.length} labels
        {dataset.droppedRows > 0 && `, ${dataset.droppedRows} rows skipped (empty text or missing label)`}.
      </p>
      {dataset.blocking && (
        <Notice tone="error" title="Can't train on this yet:" testId="dataset-blocking">
          {dataset.blocking.message}
        </Notice>
      )}
      {dataset.warnings.map((w) => (
        <Notice key={w} tone="warning">
          {w}
        </Notice>
      ))}
      <LeftOutRows
        rows={dataset.leftOut?.rows ?? dataset.parseErrors}
        total={dataset.leftOut?.total ?? dataset.parseErrors.length}
        unit={/\.(jsonl|json)$/i.test(dataset.fileName) ? 'line' : 'row'}
        fileName={dataset.fileName}
        testId="parse-errors"
      />
      {!dataset.blocking && (
        <>
          <div className="row">
            <label>
              Validation share{' '}
              <select value={fraction} onChange={(e) => void setSplitOptions(Number(e.target.value), seed)}>
                {[0.1, 0.15, 0.2, 0.25, 0.3].map((f) => (
                  <option key={f} value={f}>
                    {Math.round(f * 100)}%
                  </option>
                ))}
              </select>
            </label>
            <label>
              Split seed{' '}
              <input type="number" value={seed} style={{ width: '6em' }} onChange={(e) => void setSplitOptions(fraction, Number(e.target.value) || 0)} />
            </label>
            {split && (
              <span data-testid="split-totals">
                Stratified split: <strong>{split.train}</strong> train / <strong>{split.validation}</strong> validation
              </span>
            )}
          </div>
          <table aria-label="Labels" className="compact">
            <thead>
              <tr>
                <th>label</th>
                <th>rows</th>
                <th>train</th>
                <th>validation</th>
              </tr>
            </thead>
            <tbody>
              {dataset.labels.slice(0, MAX_LISTED_LABELS).map((l) => (
                <tr key={l.label}>
                  <td>{l.label}</td>
                  <td>{l.count}</td>
                  <td>{perLabel.get(l.label)?.train ?? '–'}</td>
                  <td>{perLabel.get(l.label)?.validation ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {dataset.labels.length > MAX_LISTED_LABELS && <p className="muted">…and {dataset.labels.length - MAX_LISTED_LABELS} more labels.</p>}
        </>
      )}
    </div>
  );
}
