// The start-up banner for a worker that cannot serve this page (issue 10: a stale worker bundle after a deploy):
// says what happened and offers the reload that fixes it. Stored data and runs are untouched.
import { useStudioStore } from '../../state/studioStore';

export function WorkerProblemBanner() {
  const problem = useStudioStore((s) => s.workerProblem);
  if (!problem) return null;
  return (
    <div className="notice notice-error worker-problem" role="alert" data-testid="worker-problem-banner">
      {problem}{' '}
      <button type="button" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </div>
  );
}
