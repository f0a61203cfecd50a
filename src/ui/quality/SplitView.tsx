// The split: group-aware (default), per row, or the user's split column; optional group column and test
// split; counts per label per split.
import type { SplitMode } from '../../protocol/messages';
import { setSplitSettings } from '../../state/auditActions';
import { useStudioStore } from '../../state/studioStore';

const MAX_LABEL_ROWS = 30;

export function SplitView() {
  const split = useStudioStore((s) => s.split);
  const header = useStudioStore((s) => s.dataset?.header ?? []);
  const mode = useStudioStore((s) => s.splitMode);
  const testFraction = useStudioStore((s) => s.testFraction);
  const groupColumn = useStudioStore((s) => s.groupColumn);
  const splitColumn = useStudioStore((s) => s.splitColumn);
  const columns = header.map((h, i) => (
    <option key={i} value={i}>
      {h || `column ${i + 1}`}
    </option>
  ));
  const showTest = (split?.test ?? 0) > 0;
  return (
    <div data-testid="split-view">
      <h3>Split</h3>
      <div className="row">
        <label>
          Split by{' '}
          <select
            aria-label="Split mode"
            value={mode}
            onChange={(e) => {
              const next = e.target.value as SplitMode;
              void setSplitSettings({ splitMode: next, splitColumn: next === 'column' ? (splitColumn ?? guessSplitColumn(header)) : splitColumn });
            }}
          >
            <option value="group">groups (duplicates stay together)</option>
            <option value="random">rows (stratified only)</option>
            <option value="column">my split column</option>
          </select>
        </label>
        {mode === 'column' ? (
          <label>
            Split column{' '}
            <select aria-label="Split column" value={splitColumn ?? ''} onChange={(e) => void setSplitSettings({ splitColumn: Number(e.target.value) })}>
              <option value="" disabled>
                choose…
              </option>
              {columns}
            </select>
          </label>
        ) : (
          <>
            <label>
              Group column{' '}
              <select
                aria-label="Group column"
                value={groupColumn ?? ''}
                onChange={(e) => void setSplitSettings({ groupColumn: e.target.value === '' ? null : Number(e.target.value) })}
              >
                <option value="">none</option>
                {columns}
              </select>
            </label>
            <label>
              Test share{' '}
              <select aria-label="Test share" value={testFraction} onChange={(e) => void setSplitSettings({ testFraction: Number(e.target.value) })}>
                {[0, 0.1, 0.15, 0.2].map((f) => (
                  <option key={f} value={f}>
                    {f === 0 ? 'no test split' : `${Math.round(f * 100)}%`}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
      </div>
      {split && (
        <>
          <p data-testid="audit-split-totals">
            {split.train} train / {split.validation} validation{showTest && ` / ${split.test} test`}
            {split.keptTogether ? ` · ${split.keptTogether} groups of duplicates or ids kept on one side` : ''}
          </p>
          {split.note && <p className="muted">{split.note}</p>}
          <table className="compact" aria-label="Split per label">
            <thead>
              <tr>
                <th>label</th>
                <th>train</th>
                <th>validation</th>
                {showTest && <th>test</th>}
              </tr>
            </thead>
            <tbody>
              {split.perLabel.slice(0, MAX_LABEL_ROWS).map((p) => (
                <tr key={p.label}>
                  <td>{p.label}</td>
                  <td>{p.train}</td>
                  <td>{p.validation}</td>
                  {showTest && <td>{p.test ?? 0}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {split.perLabel.length > MAX_LABEL_ROWS && <p className="muted">…and {split.perLabel.length - MAX_LABEL_ROWS} more labels.</p>}
        </>
      )}
    </div>
  );
}

function guessSplitColumn(header: string[]): number | null {
  const i = header.findIndex((h) => /^(split|fold|set|partition|subset)$/i.test(h.trim()));
  return i >= 0 ? i : null;
}
