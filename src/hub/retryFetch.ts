// A fetch for @huggingface/hub calls that retries HTTP 429 with backoff (Retry-After when the hub sends it), telling
// the caller each second how long it still waits (the page shows a countdown). Network errors are not retried here:
// the user gets a message and a Retry button. Pure apart from timers; fetch and sleep are injectable for tests.

export type RetryWait = (secondsLeft: number, attempt: number, maxRetries: number) => void;

export type RetryOptions = {
  onWait?: RetryWait;
  signal?: AbortSignal;
  /** Retries after the first 429 (default 3); the last 429 is returned to the caller as is. */
  maxRetries?: number;
  /** Backoff without Retry-After: base * 2^attempt seconds (default 2 s), each wait capped at maxWaitSec (30). */
  baseDelaySec?: number;
  maxWaitSec?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/** Seconds to wait before retry `attempt` (0-based): Retry-After (seconds or an HTTP date) or exponential backoff. */
export function retryDelaySec(retryAfter: string | null, attempt: number, baseDelaySec = 2, maxWaitSec = 30, now = Date.now()): number {
  let sec = baseDelaySec * 2 ** attempt;
  if (retryAfter !== null) {
    const n = Number(retryAfter);
    if (Number.isFinite(n) && n >= 0) sec = Math.max(n, 1);
    else {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) sec = Math.max(1, Math.ceil((at - now) / 1000));
    }
  }
  return Math.min(Math.ceil(sec), maxWaitSec);
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((ok, fail) => {
    const t = setTimeout(ok, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        fail(signal.reason as Error);
      },
      { once: true },
    );
  });

/** Total seconds waited on 429s by fetches made through one wrapper (for the final message). */
export type RetryStats = { retries: number; waitedSec: number };

export function retryingFetch(base: typeof fetch, options: RetryOptions = {}): typeof fetch & { stats: RetryStats } {
  const { onWait, signal, maxRetries = 3, baseDelaySec = 2, maxWaitSec = 30, sleep = defaultSleep } = options;
  const stats: RetryStats = { retries: 0, waitedSec: 0 };
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const res = await base(input, { ...init, signal: init?.signal ?? signal });
      if (res.status !== 429 || attempt >= maxRetries) return res;
      await res.body?.cancel().catch(() => undefined);
      const wait = retryDelaySec(res.headers.get('Retry-After'), attempt, baseDelaySec, maxWaitSec);
      stats.retries++;
      stats.waitedSec += wait;
      for (let left = wait; left > 0; left--) {
        onWait?.(left, attempt + 1, maxRetries);
        await sleep(1000, signal);
      }
      onWait?.(0, attempt + 1, maxRetries);
    }
  };
  return Object.assign(wrapped as typeof fetch, { stats });
}
