// Keeps the address bar's hash and the shown step in step (issue 14): `#/train` and `#/runs/<id>` survive a
// reload and work with back/forward; choosing a step or opening a run writes the hash.
import { openRun } from '../state/libraryActions';
import { useStudioStore as store } from '../state/studioStore';
import { formatHash, parseHash, type Route } from './routes';

function currentRoute(): Route {
  const s = store.getState();
  return { view: s.view, runId: s.view === 'runs' ? (s.openRun?.run.id ?? null) : null };
}

function applyHash(): void {
  const route = parseHash(window.location.hash);
  if (!route) return;
  const s = store.getState();
  if (s.view !== route.view) store.setState({ view: route.view });
  // `#/runs/<id>` opens that run; plain `#/runs` (the step link) keeps the run that is open, and says so in the hash.
  if (route.view === 'runs' && route.runId && route.runId !== (s.openRun?.run.id ?? null)) void openRun(route.runId);
  const hash = formatHash(currentRoute());
  if (route.view === 'runs' && !route.runId && window.location.hash !== hash) window.history.replaceState(null, '', hash);
}

/** Reads the hash once, then follows it and writes it; returns the cleanup. */
export function startHashSync(): () => void {
  applyHash();
  const onHash = () => applyHash();
  window.addEventListener('hashchange', onHash);
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view === prev.view && s.openRun?.run.id === prev.openRun?.run.id) return;
    const hash = formatHash(currentRoute());
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
  });
  return () => {
    window.removeEventListener('hashchange', onHash);
    unsubscribe();
  };
}
