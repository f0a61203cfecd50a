// Formatted instruction rows with their token counts; rows whose completion or EOS is cut are flagged.
import type { LmRowView } from '../../protocol/messages';

export function LmRowsTable({ rows }: { rows: LmRowView[] }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Instruction rows (scrolls)">
      <table aria-label="Instruction rows">
        <thead>
          <tr>
            <th>Row</th>
            <th>Split</th>
            <th>Prompt</th>
            <th>Completion</th>
            <th>Tokens</th>
            <th>Truncation</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.index} data-testid={r.completionCut ? 'lm-row-cut' : 'lm-row'} className={r.completionCut ? 'warn' : undefined}>
              <td>{r.row}</td>
              <td>{r.split}</td>
              <td title={r.prompt}>
                <pre className="cell-pre">{r.prompt}</pre>
              </td>
              <td title={r.completion}>
                <pre className="cell-pre">{r.completion}</pre>
              </td>
              <td>{r.tokens}</td>
              <td>{r.completionCut ? 'completion / EOS cut' : 'ok'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
