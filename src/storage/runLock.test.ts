// Tests for the per-run Web Lock with an in-memory LockManager that honours ifAvailable: a second tab is
// refused while the first holds the run, and gets it after release.
import { describe, expect, it } from 'vitest';
import { acquireRunLock, runLockName, type LockManagerLike } from './runLock';

/** Exclusive locks by name; with ifAvailable a held name calls back with null at once, as browsers do. */
function fakeLocks(): LockManagerLike & { held: Set<string> } {
  const held = new Set<string>();
  return {
    held,
    async request(name, _options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        held.delete(name);
      }
    },
  };
}

describe('acquireRunLock', () => {
  it('lets one holder train a run at a time, per run', async () => {
    const locks = fakeLocks();
    const first = await acquireRunLock('run-1', locks);
    expect(first).toMatchObject({ runId: 'run-1', enforced: true });
    expect(locks.held.has(runLockName('run-1'))).toBe(true);
    expect(await acquireRunLock('run-1', locks)).toBeNull();
    const other = await acquireRunLock('run-2', locks);
    expect(other).not.toBeNull();

    first!.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(locks.held.has(runLockName('run-1'))).toBe(false);
    expect(await acquireRunLock('run-1', locks)).not.toBeNull();
  });

  it('is advisory where Web Locks are missing', async () => {
    expect(await acquireRunLock('run-1', undefined)).toMatchObject({ enforced: false });
  });
});
