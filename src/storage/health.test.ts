// Tests for storage health and the persistence request, with an injected StorageManager.
// No browser globals are needed.
import { describe, expect, it, vi } from 'vitest';
import { requestPersistence, storageHealth, type StorageManagerLike } from './health';

const manager = (over: Partial<StorageManagerLike> = {}): StorageManagerLike => ({
  estimate: async () => ({ usage: 300, quota: 1000 }),
  persisted: async () => false,
  persist: async () => true,
  ...over,
});

describe('storageHealth', () => {
  it('reports usage, quota, what is left and persistence', async () => {
    expect(await storageHealth(manager())).toEqual({
      supported: true,
      usageBytes: 300,
      quotaBytes: 1000,
      availableBytes: 700,
      persisted: false,
    });
  });

  it('copes with a missing manager or a failing estimate', async () => {
    expect((await storageHealth(undefined)).supported).toBe(false);
    const broken = manager({ estimate: () => Promise.reject(new Error('no')) });
    expect(await storageHealth(broken)).toMatchObject({ supported: true, usageBytes: null, availableBytes: null });
  });
});

describe('requestPersistence', () => {
  it('asks only when not yet persisted', async () => {
    const persist = vi.fn(async () => true);
    expect(await requestPersistence(manager({ persist }))).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
    const already = vi.fn(async () => true);
    expect(await requestPersistence(manager({ persisted: async () => true, persist: already }))).toBe(true);
    expect(already).not.toHaveBeenCalled();
  });

  it('is false when refused or unsupported', async () => {
    expect(await requestPersistence(manager({ persist: async () => false }))).toBe(false);
    expect(await requestPersistence(manager({ persist: undefined }))).toBe(false);
    expect(await requestPersistence(undefined)).toBe(false);
  });
});
