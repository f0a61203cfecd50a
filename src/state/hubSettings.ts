// The Hugging Face access token kept in this browser only (localStorage of this origin): never sent to the worker's
// storage, never in an exported project or a run record, never logged. Empty string = no token.
const TOKEN_KEY = 'studio-hf-access-token';

export function readStoredToken(): string {
  try {
    return globalThis.localStorage?.getItem(TOKEN_KEY) ?? '';
  } catch {
    return ''; // storage blocked: the token lives for this page only
  }
}

export function storeToken(token: string): void {
  try {
    if (token) globalThis.localStorage?.setItem(TOKEN_KEY, token);
    else globalThis.localStorage?.removeItem(TOKEN_KEY);
  } catch {
    // storage blocked: keep it in memory only
  }
}

/** A user-facing problem with a pasted token, or null when it looks like a Hub token (or is empty). */
export function tokenProblem(token: string): string | null {
  const t = token.trim();
  if (!t) return null;
  if (!t.startsWith('hf_')) return 'A Hugging Face access token starts with "hf_"; copy it again from your account settings (Access Tokens).';
  if (/\s/.test(t)) return 'The access token contains spaces; paste only the token.';
  return null;
}
