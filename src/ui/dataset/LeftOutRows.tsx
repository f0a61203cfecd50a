// The rows (or JSONL lines) a file left out, each with its reason, and a download of the whole list as CSV.
import { useState } from 'react';
import type { RowError } from '../../protocol/messages';
import { Notice } from '../common/Notice';
import { leftOutCsv } from '../common/leftOutCsv';
import { saveBytes } from '../common/saveBytes';

const SHOWN = 20;

type Props = { rows: readonly RowError[]; total: number; unit: 'row' | 'line'; fileName: string; testId: string };

export function LeftOutRows({ rows, total, unit, fileName, testId }: Props) {
  const [all, setAll] = useState(false);
  if (total === 0) return null;
  const shown = all ? rows : rows.slice(0, SHOWN);
  const where = unit === 'line' ? 'line' : 'row';
  const download = () => {
    const base = fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'data';
    saveBytes(new TextEncoder().encode(leftOutCsv(rows, where)), `${base}-left-out.csv`, 'text/csv');
  };
  return (
    <Notice tone="warning" title={`${total} ${where}s left out:`} testId={testId}>
      <ul data-testid={`${testId}-list`}>
        {shown.map((e) => (
          <li key={`${e.row}-${e.message}`} data-row={e.row}>
            {/^(line|row|item) \d+/.test(e.message) ? e.message : `${where} ${e.row}: ${e.message}`}
          </li>
        ))}
      </ul>
      {unit === 'row' && <p className="muted">Rows are counted after the header (row 1 is the first data row).</p>}
      {total > rows.length && (
        <p className="muted">
          The first {rows.length} of {total} are listed.
        </p>
      )}
      <div className="row">
        {rows.length > SHOWN && (
          <button type="button" onClick={() => setAll(!all)}>
            {all ? 'Show fewer' : `Show all ${rows.length}`}
          </button>
        )}
        <button type="button" data-testid={`${testId}-download`} onClick={download}>
          Download the list (CSV)
        </button>
      </div>
    </Notice>
  );
}
