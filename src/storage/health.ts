// Storage health: used and available space (navigator.storage.estimate) and persistent-storage status,
// and the request for persistence. The StorageManager is injectable for tests.

export type StorageManagerLike = {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted(): Promise<boolean>;
  persist?(): Promise<boolean>;
};

export type StorageHealth = {
  /** False where the browser exposes no StorageManager; the numbers are then null. */
  supported: boolean;
  usageBytes: number | null;
  quotaBytes: number | null;
  availableBytes: number | null;
  /** True when the browser promised not to evict this site's data under storage pressure. */
  persisted: boolean;
};

const defaultManager = (): StorageManagerLike | undefined => globalThis.navigator?.storage;

export async function storageHealth(manager: StorageManagerLike | undefined = defaultManager()): Promise<StorageHealth> {
  if (!manager) return { supported: false, usageBytes: null, quotaBytes: null, availableBytes: null, persisted: false };
  const [estimate, persisted] = await Promise.all([
    manager.estimate().catch(() => ({}) as { usage?: number; quota?: number }),
    manager.persisted().catch(() => false),
  ]);
  const usageBytes = typeof estimate.usage === 'number' ? estimate.usage : null;
  const quotaBytes = typeof estimate.quota === 'number' ? estimate.quota : null;
  const availableBytes = usageBytes !== null && quotaBytes !== null ? Math.max(0, quotaBytes - usageBytes) : null;
  return { supported: true, usageBytes, quotaBytes, availableBytes, persisted };
}

/**
 * Asks the browser to keep this site's data under storage pressure (call when the first run starts, after
 * telling the user why). Resolves to whether storage is persistent now; false where unsupported.
 */
export async function requestPersistence(manager: StorageManagerLike | undefined = defaultManager()): Promise<boolean> {
  if (!manager?.persist) return false;
  if (await manager.persisted().catch(() => false)) return true;
  return manager.persist().catch(() => false);
}
