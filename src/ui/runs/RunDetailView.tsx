// One stored run: its curves, its configuration and its checkpoints, each downloadable as an adapter.
import { downloadCheckpoint, openRun } from '../../state/libraryActions';
import { useStudioStore } from '../../state/studioStore';
import { CurvesChart } from '../charts/CurvesChart';
import { saveBytes } from '../common/saveBytes';

export function RunDetailView() {
  const detail = useStudioStore((s) => s.openRun);
  if (!detail) return null;
  const { run } = detail;
  return (
    <div
      className="subpanel"
      data-testid="run-detail"
      data-train-steps={detail.trainPoints.map((p) => p.step).join(',')}
      data-eval-steps={detail.evalPoints.map((p) => p.step).join(',')}
    >
      <div className="row">
        <h3>
          {run.name} <span className={`badge badge-${run.status}`}>{run.status}</span>
        </h3>
        <button type="button" onClick={() => void openRun(null)}>
          Close
        </button>
      </div>
      <p className="muted">
        lr {run.config.learningRate}, batch {run.config.batchSize}, {run.config.epochs} epochs, r {run.config.loraR}, alpha {run.config.loraAlpha}, seed{' '}
        {run.config.seed}, backend {run.backend}
      </p>
      <CurvesChart trainPoints={detail.trainPoints} evalPoints={detail.evalPoints} height={220} />
      <ul>
        {detail.checkpoints.map((c) => (
          <li key={c.id}>
            Checkpoint at step {c.step} ({c.kind}, {(c.sizeBytes / 1e3).toFixed(0)} kB)
            {c.metric !== null && `, val loss ${c.metric.toFixed(4)}`}{' '}
            <button
              type="button"
              onClick={async () => {
                const file = await downloadCheckpoint(c.id);
                if (file) saveBytes(file.bytes, file.fileName);
              }}
            >
              Download adapter
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
