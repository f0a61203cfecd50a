// Tests for the bounded unzip: normal archives come back whole; bombs, huge entries, unsafe names and
// damaged bytes are refused with the first problem named, before the whole bomb is inflated.
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { boundedUnzip, DEFAULT_UNZIP_LIMITS, entryNameProblem } from './boundedUnzip';

const small = { ...DEFAULT_UNZIP_LIMITS, maxEntryBytes: 4 * 2 ** 20, maxTotalBytes: 6 * 2 ** 20 };

describe('boundedUnzip', () => {
  it('returns every file of a normal archive, stored or deflated', () => {
    const zip = zipSync({ 'a.json': strToU8('{"x":1}'), 'dir/b.bin': [new Uint8Array([1, 2, 3]), { level: 0 }] });
    const r = boundedUnzip(zip);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.keys(r.value).sort()).toEqual(['a.json', 'dir/b.bin']);
      expect([...r.value['dir/b.bin']]).toEqual([1, 2, 3]);
      // A copy, not a view into the archive (IndexedDB would store the whole buffer).
      expect(r.value['dir/b.bin'].buffer.byteLength).toBe(3);
    }
  });

  it('stops a zip bomb by its compression ratio after about a megabyte', () => {
    const zip = zipSync({ 'rows.json': new Uint8Array(64 * 2 ** 20) }, { level: 9 });
    expect(zip.length).toBeLessThan(200_000);
    const r = boundedUnzip(zip);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/compressed more than 200:1/) });
  });

  it('refuses an entry above the per-entry limit and an archive above the total limit', () => {
    const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
    const one = zipSync({ 'big.bin': [random(5 * 2 ** 20), { level: 0 }] });
    expect(boundedUnzip(one, small)).toEqual({ ok: false, error: expect.stringMatching(/big\.bin inflates to more than 4 MB/) });
    const two = zipSync({ 'a.bin': [random(3.5 * 2 ** 20), { level: 0 }], 'b.bin': [random(3.5 * 2 ** 20), { level: 0 }] });
    expect(boundedUnzip(two, small)).toEqual({ ok: false, error: expect.stringMatching(/more than 6 MB in all/) });
  });

  it.each([
    ['runs/../../etc/passwd', /outside the archive/],
    ['/abs/path.json', /absolute path/],
    ['C:/x.json', /absolute path/],
    ['a\\b.json', /backslash/],
    ['runs/<script>.json', /characters outside/],
    ['', /empty or overlong/],
  ])('refuses the entry name %j', (name, message) => {
    expect(entryNameProblem(name)).toMatch(message);
  });

  it('refuses unsafe names inside a real archive, damaged bytes and non-zips', () => {
    expect(boundedUnzip(zipSync({ 'a/../../b.json': strToU8('1') }))).toEqual({ ok: false, error: expect.stringMatching(/outside the archive/) });
    const zip = zipSync({ 'a.json': strToU8('x'.repeat(5000)) });
    expect(boundedUnzip(zip.subarray(0, 40)).ok).toBe(false);
    expect(boundedUnzip(strToU8('hello, not a zip'))).toEqual({ ok: false, error: expect.stringMatching(/not a zip/) });
    expect(boundedUnzip(new Uint8Array(0)).ok).toBe(false);
  });

  it('caps the number of entries', () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, strToU8('x')]));
    expect(boundedUnzip(zipSync(files), { ...small, maxEntries: 20 })).toEqual({ ok: false, error: expect.stringMatching(/more than 20 entries/) });
  });
});
