// The confusion matrix with label names: rows are the true labels, columns the predictions; each cell is shaded
// by its share of the row (the recall of that true label), the diagonal in blue and mistakes in red.
type Props = { confusion: number[][]; labels: string[] };

function cellStyle(count: number, rowTotal: number, diagonal: boolean) {
  const share = rowTotal > 0 ? count / rowTotal : 0;
  const rgb = diagonal ? '37, 99, 235' : '220, 38, 38';
  return { background: `rgba(${rgb}, ${(0.08 + 0.77 * share).toFixed(3)})`, color: share > 0.55 ? '#fff' : '#111827' };
}

export function ConfusionMatrix({ confusion, labels }: Props) {
  return (
    <table className="confusion compact" aria-label="Confusion matrix" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th>true ↓ / predicted →</th>
          {labels.map((l) => (
            <th key={l} scope="col">
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, i) => {
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={labels[i] ?? i}>
              <th scope="row">{labels[i] ?? `class ${i}`}</th>
              {row.map((count, j) => (
                <td key={j} style={cellStyle(count, total, i === j)} title={`true ${labels[i]}, predicted ${labels[j]}: ${count} of ${total}`}>
                  {count}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
