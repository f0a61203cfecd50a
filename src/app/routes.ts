// Hash routes of the guided layout (issue 14): `#/train`, `#/runs/<id>`. Pure parse and format.
import { STEP_IDS, type StepId } from '../state/slices/navSlice';

export type Route = { view: StepId; runId: string | null };

export function parseHash(hash: string): Route | null {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const view = parts[0] as StepId | undefined;
  if (!view || !STEP_IDS.includes(view)) return null;
  const runId = view === 'runs' && parts[1] ? decodeURIComponent(parts[1]) : null;
  return { view, runId };
}

export function formatHash(route: Route): string {
  return route.view === 'runs' && route.runId ? `#/runs/${encodeURIComponent(route.runId)}` : `#/${route.view}`;
}
