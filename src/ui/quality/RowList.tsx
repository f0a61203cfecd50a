// The rows of one finding: row numbers (1-based, as in a spreadsheet without the header); click one to
// read its text and label, fetched from the worker on demand.
import { useEffect, useState } from 'react';
import { fetchRows } from '../../state/auditActions';
import { useStudioStore } from '../../state/studioStore';

const SHOWN = 60;

export function RowList({ rows, groups, testId }: { rows: number[]; groups?: number[][]; testId?: string }) {
  const [open, setOpen] = useState<number | null>(null);
  const texts = useStudioStore((s) => s.rowTexts);
  const shown = rows.slice(0, SHOWN);
  useEffect(() => {
    void fetchRows(shown);
  }, [shown.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  const groupOf = new Map<number, number>();
  groups?.forEach((g, k) => g.forEach((r) => groupOf.set(r, k + 1)));
  return (
    <div className="audit-rows" data-testid={testId}>
      <ul className="row-chips">
        {shown.map((r) => (
          <li key={r}>
            <button type="button" className={open === r ? 'chip active' : 'chip'} onClick={() => setOpen(open === r ? null : r)} title={texts[r]?.text}>
              row {r + 1}
              {groupOf.has(r) ? ` · g${groupOf.get(r)}` : ''}
            </button>
          </li>
        ))}
        {rows.length > SHOWN && <li className="muted">…and {rows.length - SHOWN} more</li>}
      </ul>
      {open !== null && (
        <div className="row-text" data-testid="audit-row-text">
          <strong>Row {open + 1}</strong> · label <code>{texts[open]?.label || '(missing)'}</code>
          <pre>{texts[open] ? JSON.stringify(texts[open].text) : 'Loading…'}</pre>
        </div>
      )}
    </div>
  );
}
