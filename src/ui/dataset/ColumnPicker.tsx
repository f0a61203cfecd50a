// Dropdowns to change which column holds the text and which the label.
import { setColumns } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';

export function ColumnPicker() {
  const dataset = useStudioStore((s) => s.dataset);
  if (!dataset) return null;
  const options = dataset.header.map((name, i) => (
    <option key={i} value={i}>
      {name || `column ${i + 1}`}
    </option>
  ));
  return (
    <div className="row">
      <label>
        Text column{' '}
        <select value={dataset.textColumn} onChange={(e) => void setColumns(Number(e.target.value), dataset.labelColumn)}>
          {options}
        </select>
      </label>
      <label>
        Label column{' '}
        <select value={dataset.labelColumn} onChange={(e) => void setColumns(dataset.textColumn, Number(e.target.value))}>
          {options}
        </select>
      </label>
    </div>
  );
}
