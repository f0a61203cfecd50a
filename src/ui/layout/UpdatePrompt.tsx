// "A new version is ready" (issue 14): shown when the service worker installed an update; Reload switches to it.
import { useStudioStore } from '../../state/studioStore';

export function UpdatePrompt({ onReload }: { onReload: () => void }) {
  const ready = useStudioStore((s) => s.updateReady);
  if (!ready) return null;
  return (
    <div className="notice notice-info update-prompt" role="status" data-testid="update-prompt">
      A new version of the studio is ready.{' '}
      <button type="button" onClick={onReload}>
        Reload to update
      </button>{' '}
      <button type="button" onClick={() => useStudioStore.setState({ updateReady: false })}>
        Later
      </button>
    </div>
  );
}
