// Whether the page's Content-Security-Policy lets it reach a hub address: read from the <meta> the build
// injects (src/app/contentSecurityPolicy.ts), so a hub outside connect-src gets a message, not a silent failure.

export function pageConnectPolicy(): string | null {
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return meta?.getAttribute('content') ?? null;
}

/** True when `url`'s origin matches a connect-src source list (the self origin, exact origins, *. and :* wildcards). */
export function connectAllowed(url: string, policy: string, selfOrigin: string): boolean {
  let target: URL;
  try {
    target = new URL(url, selfOrigin);
  } catch {
    return false;
  }
  const directive = policy
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === 'connect-src');
  if (!directive) return true;
  return directive.slice(1).some((source) => {
    if (source === "'self'") return target.origin === selfOrigin;
    const m = /^(https?|wss?):\/\/(\*\.)?([^:/]+)(?::(\*|\d+))?$/.exec(source);
    if (!m) return source === `${target.protocol}`;
    const [, scheme, wildcard, host, port] = m;
    if (`${scheme}:` !== target.protocol) return false;
    const hostOk = wildcard ? target.hostname.endsWith(`.${host}`) : target.hostname === host;
    const portOk = port === '*' || (port ?? '') === target.port;
    return hostOk && portOk;
  });
}
