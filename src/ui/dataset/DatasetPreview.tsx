// The first rows of the dropped file, with the chosen text and label columns marked.
import { useStudioStore } from '../../state/studioStore';

export function DatasetPreview() {
  const dataset = useStudioStore((s) => s.dataset);
  if (!dataset) return null;
  const mark = (i: number) => (i === dataset.textColumn ? 'col-text' : i === dataset.labelColumn ? 'col-label' : undefined);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Preview (scrolls)">
      <table aria-label="Preview">
        <thead>
          <tr>
            {dataset.header.map((h, i) => (
              <th key={i} className={mark(i)}>
                {h}
                {i === dataset.textColumn ? ' (text)' : i === dataset.labelColumn ? ' (label)' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {dataset.previewRows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={mark(i)} title={cell}>
                  {cell.length > 140 ? `${cell.slice(0, 140)}…` : cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
