// The runs view: every stored run with status, model, dataset, best metric and date; open, compare, delete.
import { useEffect } from 'react';
import { deleteStoredRun, openRun, refreshLibrary, toggleCompare } from '../../state/libraryActions';
import { useStudioStore } from '../../state/studioStore';
import { resumeStoredRun } from '../../state/actions';
import { Notice } from '../common/Notice';
import { CompareView } from './CompareView';
import { ConfirmButton } from './ConfirmButton';
import { DatasetLibrary } from './DatasetLibrary';
import { RunDetailView } from './RunDetailView';
import { StorageBar } from './StorageBar';

const formatDate = (ms: number) => new Date(ms).toLocaleString();

export function RunsPanel() {
  const runs = useStudioStore((s) => s.runs);
  const compareIds = useStudioStore((s) => s.compareIds);
  const error = useStudioStore((s) => s.libraryError);
  const notice = useStudioStore((s) => s.libraryNotice);
  const trainStatus = useStudioStore((s) => s.trainStatus);
  const busy = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping' || s.searchStatus === 'running');

  // Refresh when the page opens and whenever a run ends.
  useEffect(() => {
    if (trainStatus !== 'running' && trainStatus !== 'stopping') void refreshLibrary();
  }, [trainStatus]);

  return (
    <section className="panel" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs and saved work</h2>
      <StorageBar />
      {error && (
        <Notice tone="error" testId="library-error">
          {error.message}
        </Notice>
      )}
      {notice && (
        <Notice tone="info" testId="library-notice">
          {notice}
        </Notice>
      )}
      <DatasetLibrary />
      {runs.length === 0 ? (
        <p className="muted">No runs yet. Every run is saved in this browser as it trains.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label="Runs">
            <thead>
              <tr>
                <th>compare</th>
                <th>run</th>
                <th>status</th>
                <th>best val loss</th>
                <th>best val acc</th>
                <th>steps</th>
                <th>date</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="run-row">
                  <td>
                    <input type="checkbox" aria-label={`compare ${r.name}`} checked={compareIds.includes(r.id)} onChange={() => void toggleCompare(r.id)} />
                  </td>
                  <td>
                    <strong>{r.modelId}</strong>
                    {r.modelRevision && (
                      <span className="muted" data-testid="run-revision" title={r.modelRevision}>
                        {' '}
                        @{r.modelRevision.slice(0, 12)}
                      </span>
                    )}
                    <br />
                    <span className="muted">{r.datasetName}</span>
                  </td>
                  <td>
                    <span className={`badge badge-${r.status}`}>{r.status}</span>
                    {r.statusMessage && <div className="muted">{r.statusMessage}</div>}
                  </td>
                  <td>{r.bestValLoss?.toFixed(4) ?? '–'}</td>
                  <td>{r.bestValAccuracy === null ? '–' : `${(r.bestValAccuracy * 100).toFixed(1)}%`}</td>
                  <td>{r.steps}</td>
                  <td>{formatDate(r.createdAt)}</td>
                  <td className="actions">
                    <button type="button" onClick={() => void openRun(r.id)}>
                      Open
                    </button>
                    {(r.status === 'interrupted' || r.status === 'paused') && (
                      <button
                        type="button"
                        disabled={busy}
                        title="Continue from the latest checkpoint: same data order, optimizer state and learning-rate schedule"
                        onClick={() => void resumeStoredRun(r)}
                      >
                        Resume
                      </button>
                    )}
                    <ConfirmButton label="Delete" confirmLabel="Really delete?" onConfirm={() => void deleteStoredRun(r.id)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RunDetailView />
      <CompareView />
    </section>
  );
}
