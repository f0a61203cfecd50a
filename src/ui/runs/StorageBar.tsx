// How much of the browser's storage the studio uses, and whether the browser promised to keep it.
import { useStudioStore } from '../../state/studioStore';
import { ProgressBar } from '../common/ProgressBar';

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

export function StorageBar() {
  const info = useStudioStore((s) => s.storageInfo);
  if (!info) return null;
  if (!info.supported || info.usageBytes === null || info.quotaBytes === null) {
    return <p className="muted">This browser does not report storage use.</p>;
  }
  return (
    <div className="row" data-testid="storage-bar">
      <span>
        Storage: {mb(info.usageBytes)} used of {mb(info.quotaBytes)} available
      </span>
      <ProgressBar value={info.usageBytes / Math.max(1, info.quotaBytes)} label="storage used" />
      <span className="muted">
        {info.persisted
          ? 'Persistent: the browser will not clear it on its own.'
          : 'Not persistent yet: the browser may clear it when space runs low (the studio asks when a run starts).'}
      </span>
    </div>
  );
}
