// Tests for storage error mapping: which thrown values count as quota errors, and the typed values
// (code, message with sizes and advice) that the UI receives.
import { describe, expect, it } from 'vitest';
import { captureWrite, isQuotaExceededError, StorageErrorThrow, toStorageError } from './errors';

describe('isQuotaExceededError', () => {
  it.each<[string, unknown, boolean]>([
    ['DOMException QuotaExceededError', new DOMException('full', 'QuotaExceededError'), true],
    ['Firefox NS_ERROR_DOM_QUOTA_REACHED', { name: 'NS_ERROR_DOM_QUOTA_REACHED' }, true],
    ['legacy code 22', { name: 'Error', code: 22 }, true],
    ['AbortError', new DOMException('aborted', 'AbortError'), false],
    ['plain Error', new Error('QuotaExceededError'), false],
    ['a string', 'QuotaExceededError', false],
    ['null', null, false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isQuotaExceededError(value)).toBe(expected);
  });
});

describe('toStorageError', () => {
  it('says what did not fit, how big it was, and what to delete', () => {
    const e = toStorageError(new DOMException('full', 'QuotaExceededError'), {
      what: 'the checkpoint at step 40',
      bytesNeeded: 3 * 1024 * 1024,
      hint: 'Checkpoints of 2 other runs take 80.0 MB.',
    });
    expect(e.code).toBe('quota');
    expect(e.bytesNeeded).toBe(3 * 1024 * 1024);
    expect(e.message).toBe(
      'Browser storage is full: saving the checkpoint at step 40 (3.0 MB) did not fit. Delete old runs or ' +
        'checkpoints in the Runs view to free space, then try again. Checkpoints of 2 other runs take 80.0 MB. ' +
        'Nothing already stored was changed.',
    );
  });

  it('maps other failures to write-failed with the cause', () => {
    expect(toStorageError(new DOMException('bad key', 'DataError'), { what: 'the run' })).toEqual({
      code: 'write-failed',
      message: 'Could not save the run: bad key. Nothing already stored was changed.',
    });
  });
});

describe('captureWrite', () => {
  it('returns the value, a mapped error, or the StorageError a write threw on purpose', async () => {
    expect(await captureWrite({ what: 'x' }, async () => 5)).toEqual({ ok: true, value: 5 });
    const quota = await captureWrite({ what: 'x' }, async () => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(quota.ok || quota.error.code).toBe('quota');
    const own = await captureWrite({ what: 'x' }, async () => {
      throw new StorageErrorThrow({ code: 'not-found', message: 'gone' });
    });
    expect(own).toEqual({ ok: false, error: { code: 'not-found', message: 'gone' } });
  });
});
