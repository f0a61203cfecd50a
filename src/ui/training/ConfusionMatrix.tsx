// The confusion matrix with label names: rows are the true labels, columns the predictions; each cell is shaded
// by its share of the row (the recall of that true label), the diagonal in blue and mistakes in red.
type Props = { confusion: number[][]; labels: string[] };

// The cell's colour blended over white, and black or white text, whichever contrasts more (always >= 4.5:1, WCAG AA).
function cellStyle(count: number, rowTotal: number, diagonal: boolean) {
  const share = rowTotal > 0 ? count / rowTotal : 0;
  const rgb = diagonal ? [37, 99, 235] : [220, 38, 38];
  const alpha = 0.08 + 0.77 * share;
  const blended = rgb.map((c) => Math.round(255 * (1 - alpha) + c * alpha));
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(blended[0]) + 0.7152 * lin(blended[1]) + 0.0722 * lin(blended[2]);
  const whiteText = 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05;
  return { background: `rgb(${blended.join(', ')})`, color: whiteText ? '#fff' : '#000' };
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
