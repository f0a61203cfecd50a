// Step 1 of the studio: get data in (labeled CSV, instruction CSV/JSONL, chat JSONL, domain text), pick the task,
// and see what the studio made of it.
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { ColumnPicker } from './ColumnPicker';
import { DatasetPreview } from './DatasetPreview';
import { DropZone } from './DropZone';
import { ParseProgress } from '../quality/ParseProgress';
import { LabelSummary } from './LabelSummary';
import { LmDataView } from './LmDataView';
import { TaskPicker } from './TaskPicker';

export function DatasetPanel() {
  const error = useStudioStore((s) => s.datasetError);
  const hasData = useStudioStore((s) => s.dataset !== null);
  const classify = useStudioStore((s) => s.lmTask === 'classify');
  return (
    <section className="panel" aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      <DropZone />
      <ParseProgress />
      {error && (
        <Notice tone="error" title="That file can't be used:" testId="dataset-error">
          {error.message}
        </Notice>
      )}
      <TaskPicker />
      {hasData && classify && (
        <>
          <ColumnPicker />
          <LabelSummary />
        </>
      )}
      <LmDataView />
      {hasData && <DatasetPreview />}
    </section>
  );
}
