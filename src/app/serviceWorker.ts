// Registers the service worker (issue 14: installable, offline after the first visit) with workbox-window, and
// turns "a new version is waiting" into store state for the update prompt. Production builds only.
import { Workbox } from 'workbox-window';
import { useStudioStore as store } from '../state/studioStore';

let wb: Workbox | null = null;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => store.setState({ updateReady: true }));
  // After the user accepts, the new worker takes over; reload so page and cache agree.
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate) window.location.reload();
  });
  // The message only: a stack trace in the console is for ?debug=1 (an unregistered worker just means no offline cache).
  wb.register().catch((e: unknown) => console.warn(`service worker not registered: ${e instanceof Error ? e.message : String(e)}`));
}

/** The update prompt's "Reload": activate the waiting worker (the page reloads when it controls). */
export function applyUpdate(): void {
  wb?.messageSkipWaiting();
}
