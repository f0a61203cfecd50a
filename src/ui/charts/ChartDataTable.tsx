// The numbers behind a chart as a table (issue 14): keyboard and screen-reader users read the curves here.
import type { StepRow } from './chartData';
import { formatNumber } from './chartData';

type Column = { key: keyof StepRow; label: string };
const COLUMNS: Column[] = [
  { key: 'trainLoss', label: 'training loss' },
  { key: 'valLoss', label: 'validation loss' },
  { key: 'valAccuracy', label: 'validation accuracy' },
  { key: 'macroF1', label: 'macro-F1' },
  { key: 'learningRate', label: 'learning rate' },
];

export function ChartDataTable({ rows, caption }: { rows: StepRow[]; caption: string }) {
  const cols = COLUMNS.filter((c) => rows.some((r) => r[c.key] !== undefined));
  return (
    <details className="chart-table">
      <summary>Show the data as a table ({rows.length} rows)</summary>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`${caption} (scrolls)`}>
        <table aria-label={caption}>
          <thead>
            <tr>
              <th scope="col">step</th>
              {cols.map((c) => (
                <th scope="col" key={c.key}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.step}>
                <th scope="row">{r.step}</th>
                {cols.map((c) => (
                  <td key={c.key}>{r[c.key] === undefined ? '' : formatNumber(r[c.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
