// Helpers for the mock hub (server.mjs): a repo folder's file list (the model API's siblings) and the access tokens
// it knows. Test-only values; no real credentials.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Tokens the mock accepts: one with access to gated repos, one valid account that never accepted the licence. */
export const TOKENS = {
  hf_mockStudioReadAccessToken: { user: 'studio-tester', gatedAccess: true },
  hf_mockStudioNoGatedAccess00: { user: 'other-user', gatedAccess: false },
};

/** Every file under `dir`, as repo-relative paths with '/' separators, sorted. */
export function listFiles(dir, sub = '') {
  const out = [];
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}
