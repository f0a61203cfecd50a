// Datasets saved in this browser: reopen one, export it with its runs as one file, delete it; import a project.
import { useRef } from 'react';
import { deleteStoredDataset, downloadProject, importProjectFile, openStoredDataset } from '../../state/libraryActions';
import { useStudioStore } from '../../state/studioStore';
import { saveBytes } from '../common/saveBytes';
import { ConfirmButton } from './ConfirmButton';

export function DatasetLibrary() {
  const datasets = useStudioStore((s) => s.storedDatasets);
  const busy = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const input = useRef<HTMLInputElement>(null);
  return (
    <details open={datasets.length > 0}>
      <summary>Saved datasets ({datasets.length})</summary>
      <ul className="library">
        {datasets.map((d) => (
          <li key={d.id}>
            <strong>{d.name}</strong>{' '}
            <span className="muted">
              {d.rowCount} rows, {(d.storedBytes / 1e3).toFixed(0)} kB, {new Date(d.createdAt).toLocaleString()}
            </span>{' '}
            <button type="button" disabled={busy} onClick={() => void openStoredDataset(d.id)}>
              Open
            </button>
            <button
              type="button"
              onClick={async () => {
                const file = await downloadProject(d.id);
                if (file) saveBytes(file.bytes, file.fileName);
              }}
            >
              Export project
            </button>
            <ConfirmButton label="Delete" confirmLabel="Delete it and its runs?" onConfirm={() => void deleteStoredDataset(d.id)} />
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => input.current?.click()}>
        Import a project file…
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip"
        hidden
        aria-label="Project file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importProjectFile(f);
          e.target.value = '';
        }}
      />
    </details>
  );
}
