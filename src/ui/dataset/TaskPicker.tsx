// The task choice for the dropped data: classify text, instruction tuning, or domain text (continued
// pre-training); the worker suggests one from the file's columns or format.
import type { LmTask } from '../../protocol/messages';
import { setLmTask } from '../../state/lmActions';
import { useStudioStore } from '../../state/studioStore';

export const TASK_LABELS: Record<LmTask, string> = {
  classify: 'Classify text',
  instruction: 'Instruction tuning',
  domain: 'Domain text (continued pre-training)',
};

export function TaskPicker() {
  const task = useStudioStore((s) => s.lmTask);
  const data = useStudioStore((s) => s.lmData);
  const busy = useStudioStore((s) => s.lmBusy || s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const jsonOnly = useStudioStore((s) => s.dataset === null);
  if (!data) return null;
  return (
    <div className="row" data-testid="task-picker" data-task={task} data-suggested={data.suggestedTask}>
      <label>
        Task{' '}
        <select aria-label="Task" value={task} disabled={busy} onChange={(e) => void setLmTask(e.target.value as LmTask)}>
          {(Object.keys(TASK_LABELS) as LmTask[]).map((t) => (
            <option key={t} value={t} disabled={t === 'classify' && jsonOnly}>
              {TASK_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <span className="muted">
        Suggested from the file: {TASK_LABELS[data.suggestedTask]} ({data.format}).
      </span>
    </div>
  );
}
