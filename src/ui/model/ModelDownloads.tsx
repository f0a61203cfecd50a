// Per-file download progress of the model being loaded (and whether it came from the browser cache).
import { useShallow } from 'zustand/react/shallow';
import { useStudioStore } from '../../state/studioStore';
import { ProgressBar } from '../common/ProgressBar';

const formatMb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function ModelDownloads() {
  const files = useStudioStore(useShallow((s) => Object.values(s.modelProgress)));
  const loading = useStudioStore((s) => s.modelStatus === 'loading');
  if (!loading && files.length === 0) return null;
  return (
    <ul className="downloads" data-testid="model-downloads">
      {files.map((f) => (
        <li key={f.file}>
          <span className="file">{f.file}</span>
          <ProgressBar value={f.totalBytes > 0 ? f.loadedBytes / f.totalBytes : null} label={`download ${f.file}`} />
          <span className="muted">
            {f.cached ? 'from browser cache' : f.totalBytes > 0 ? `${formatMb(f.loadedBytes)} / ${formatMb(f.totalBytes)}` : formatMb(f.loadedBytes)}
          </span>
        </li>
      ))}
    </ul>
  );
}
