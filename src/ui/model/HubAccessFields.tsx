// The hub choice's optional revision (branch, tag or commit) and access token (kept in this browser only, sent only
// to the hub's own host), and the 429 countdown while the worker waits to retry.
import { useState } from 'react';
import { setHubAccess } from '../../state/modelActions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';

export function HubAccessFields({ disabled }: { disabled: boolean }) {
  const revision = useStudioStore((s) => s.hubRevision);
  const storedToken = useStudioStore((s) => s.hubToken);
  const hubBaseUrl = useStudioStore((s) => s.hubBaseUrl);
  const [token, setToken] = useState(storedToken);
  let host = hubBaseUrl;
  try {
    host = new URL(hubBaseUrl).host;
  } catch {
    // not a URL yet: show it as typed
  }
  return (
    <div className="row" data-testid="hub-access">
      <label>
        Revision{' '}
        <input
          value={revision}
          placeholder="main"
          size={14}
          disabled={disabled}
          spellCheck={false}
          onChange={(e) => setHubAccess({ revision: e.target.value })}
        />
      </label>
      <label>
        Access token{' '}
        <input
          type="password"
          value={token}
          placeholder="hf_… (gated or private models)"
          size={28}
          disabled={disabled}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setToken(e.target.value)}
          onBlur={() => setHubAccess({ token })}
        />
      </label>
      {storedToken && (
        <button
          type="button"
          disabled={disabled}
          onClick={() => {
            setToken('');
            setHubAccess({ token: '' });
          }}
        >
          Forget token
        </button>
      )}
      <span className="muted">Optional. The token stays in this browser (never in exported projects or runs) and is sent only to {host}.</span>
    </div>
  );
}

/** "Rate-limited: retrying in N s" while the worker waits on a 429. */
export function HubWaitNotice() {
  const wait = useStudioStore((s) => s.hubWait);
  if (!wait) return null;
  return (
    <Notice tone="warning" testId="hub-wait">
      The hub is rate-limiting requests (HTTP 429): retrying in <span data-testid="hub-wait-seconds">{wait.secondsLeft}</span> s (retry {wait.attempt} of{' '}
      {wait.maxRetries}).
    </Notice>
  );
}
