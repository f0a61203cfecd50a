// Progress of a streamed parse (big files are read in pieces in the worker).
import { useStudioStore } from '../../state/studioStore';
import { ProgressBar } from '../common/ProgressBar';

export function ParseProgress() {
  const p = useStudioStore((s) => s.parseProgress);
  const parsing = useStudioStore((s) => s.datasetStatus === 'parsing');
  const status = useStudioStore((s) => s.statusMessage);
  if (!parsing) return null;
  const share = p && p.totalBytes > 0 ? p.loadedBytes / p.totalBytes : null;
  return (
    <div data-testid="parse-progress">
      <ProgressBar value={share} label="Reading the file" />
      <p className="muted">
        {p ? `${(p.loadedBytes / 1e6).toFixed(1)} of ${(p.totalBytes / 1e6).toFixed(1)} MB read, ${p.rows.toLocaleString('en-US')} rows` : 'Reading…'}
        {status ? ` — ${status}` : ''}
      </p>
    </div>
  );
}
