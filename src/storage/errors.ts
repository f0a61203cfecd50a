// Storage failures as typed values the UI can act on; a full quota says what to delete and how much.
// Maps thrown DOMExceptions to StorageError values; no IndexedDB calls of its own.
import { err, ok, type Result } from '../lib/result';
import { formatBytes } from './bytes';

export type StorageErrorCode = 'quota' | 'not-found' | 'invalid-archive' | 'invalid-status' | 'write-failed';

/** Same shape as the protocol's UserError ({ code, message }), plus what a quota failure tried to write. */
export type StorageError = { code: StorageErrorCode; message: string; bytesNeeded?: number };

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);
const LEGACY_QUOTA_CODE = 22;

/** True for the quota errors browsers throw or put on an aborted transaction (by name, and legacy code 22). */
export function isQuotaExceededError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return (typeof name === 'string' && QUOTA_NAMES.has(name)) || code === LEGACY_QUOTA_CODE;
}

export type WriteContext = {
  /** What was being saved, for the message: "the checkpoint at step 120". */
  what: string;
  bytesNeeded?: number;
  /** Extra advice, e.g. which runs hold the most space. */
  hint?: string;
};

export function quotaError(context: WriteContext): StorageError {
  const size = context.bytesNeeded === undefined ? '' : ` (${formatBytes(context.bytesNeeded)})`;
  const hint = context.hint ? ` ${context.hint}` : '';
  return {
    code: 'quota',
    message:
      `Browser storage is full: saving ${context.what}${size} did not fit. Delete old runs or checkpoints ` +
      `in the Runs view to free space, then try again.${hint} Nothing already stored was changed.`,
    bytesNeeded: context.bytesNeeded,
  };
}

/** Maps anything a failed write threw to a StorageError; the transaction was aborted, so nothing changed. */
export function toStorageError(e: unknown, context: WriteContext): StorageError {
  if (isQuotaExceededError(e)) return quotaError(context);
  const detail = e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? String((e as { message: unknown }).message) : String(e);
  return {
    code: 'write-failed',
    message: `Could not save ${context.what}: ${detail}. Nothing already stored was changed.`,
  };
}

export const notFound = (what: string): StorageError => ({ code: 'not-found', message: `${what} was not found.` });

/** Runs a write and returns its value, or the failure as a StorageError value (never a half-done write). */
export async function captureWrite<T>(context: WriteContext, write: () => Promise<T>): Promise<Result<T, StorageError>> {
  try {
    return ok(await write());
  } catch (e) {
    if (isStorageErrorThrow(e)) return err(e.error);
    return err(toStorageError(e, context));
  }
}

/** Thrown inside a tx body to abort it with a specific StorageError (e.g. a record vanished mid-write). */
export class StorageErrorThrow extends Error {
  constructor(readonly error: StorageError) {
    super(error.message);
    this.name = 'StorageErrorThrow';
  }
}

const isStorageErrorThrow = (e: unknown): e is StorageErrorThrow => e instanceof StorageErrorThrow;
