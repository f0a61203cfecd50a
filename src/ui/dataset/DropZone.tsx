// Where a CSV/TSV, JSONL or .txt file enters the studio: drag and drop, or a file picker.
import { useRef, useState, type DragEvent } from 'react';
import { loadDatasetFile } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';

export function DropZone() {
  const status = useStudioStore((s) => s.datasetStatus);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void loadDatasetFile(file);
  };

  return (
    <div
      className={over ? 'dropzone over' : 'dropzone'}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>
        <strong>Drop a labeled CSV or TSV here</strong> — one column of text, one of labels — or instruction data (prompt/completion CSV or JSONL, chat JSONL
        with "messages") or domain text (.txt).
      </p>
      <p className="muted">It is parsed in this tab; nothing is uploaded anywhere.</p>
      <button type="button" onClick={() => input.current?.click()} disabled={status === 'parsing'}>
        {status === 'parsing' ? 'Reading…' : 'Choose a file'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,.tsv,.txt,.jsonl,.json,text/csv,text/tab-separated-values,application/jsonl"
        aria-label="CSV file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void loadDatasetFile(file);
          e.target.value = '';
        }}
      />
    </div>
  );
}
