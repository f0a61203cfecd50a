// Unzips an archive the user gave us without trusting it: fflate's streaming Unzip fed in small chunks, with
// the entry count, entry names, per-entry and total inflated size and the compression ratio checked while
// inflating, so a zip bomb is stopped after a few MB instead of filling the tab's memory. Pure.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { err, ok, type Result } from './result';

export type UnzipLimits = {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Inflated / compressed bytes, checked once an entry (or the whole archive) passes ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
};

export const DEFAULT_UNZIP_LIMITS: UnzipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 512 * 2 ** 20,
  maxTotalBytes: 1024 * 2 ** 20,
  // JSON of rows and metrics compresses 5-30x; a deflate bomb reaches ~1000x.
  maxRatio: 200,
  ratioFloorBytes: 2 ** 20,
};

/** 16 KB in: deflate inflates at most ~1032x, so one step cannot overshoot a limit by more than ~16 MB. */
const CHUNK = 16 * 1024;
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Why an entry name is unsafe (absolute, `..`, backslash, odd characters), or null when it is fine. */
export function entryNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 240) return 'an entry has an empty or overlong name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `the entry "${shorten(name)}" has an absolute path`;
  if (name.includes('\\')) return `the entry "${shorten(name)}" contains a backslash`;
  const segments = name.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return `the entry "${shorten(name)}" points outside the archive (..)`;
  // A trailing slash is a folder entry; every other segment must use the safe character set.
  const named = segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  if (!named.every((s) => SAFE_SEGMENT.test(s))) return `the entry "${shorten(name)}" has characters outside A-Z, 0-9, . _ -`;
  return null;
}

const shorten = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/[^\x20-\x7e]/g, '?');
const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/** The archive's files (folder entries dropped), or the first problem found, in words. Never throws. */
export function boundedUnzip(bytes: Uint8Array, limits: UnzipLimits = DEFAULT_UNZIP_LIMITS): Result<Record<string, Uint8Array>, string> {
  const files = new Map<string, Uint8Array>();
  const open = new Set<string>();
  let problem: string | null = null;
  let total = 0;
  let fed = 0;
  let entries = 0;
  const fail = (why: string, file?: UnzipFile) => {
    problem ??= why;
    try {
      file?.terminate();
    } catch {
      // terminating an already finished stream is harmless
    }
  };

  const unzip = new Unzip((file) => {
    if (problem) return;
    const nameProblem = entryNameProblem(file.name);
    if (nameProblem) return fail(nameProblem);
    if (++entries > limits.maxEntries) return fail(`it has more than ${limits.maxEntries} entries`);
    if (files.has(file.name) || open.has(file.name)) return fail(`the entry ${shorten(file.name)} appears twice`);
    if (file.compression !== 0 && file.compression !== 8) return fail(`the entry ${shorten(file.name)} uses an unsupported compression`);
    if ((file.originalSize ?? 0) > limits.maxEntryBytes) {
      return fail(`the entry ${shorten(file.name)} inflates to more than ${mb(limits.maxEntryBytes)}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    open.add(file.name);
    file.ondata = (e, data, final) => {
      if (problem) return;
      if (e) return fail(`the entry ${shorten(file.name)} is damaged`, file);
      size += data.length;
      total += data.length;
      if (size > limits.maxEntryBytes) return fail(`the entry ${shorten(file.name)} inflates to more than ${mb(limits.maxEntryBytes)}`, file);
      if (total > limits.maxTotalBytes) return fail(`it inflates to more than ${mb(limits.maxTotalBytes)} in all`, file);
      const entryRatio = file.size ? size / file.size : 0;
      const overallRatio = total / Math.max(1, fed);
      if ((size > limits.ratioFloorBytes && entryRatio > limits.maxRatio) || (total > limits.ratioFloorBytes && overallRatio > limits.maxRatio)) {
        return fail(`the entry ${shorten(file.name)} is compressed more than ${limits.maxRatio}:1 (a zip bomb?)`, file);
      }
      chunks.push(data);
      if (final) {
        open.delete(file.name);
        if (!file.name.endsWith('/')) files.set(file.name, concat(chunks, size));
      }
    };
    try {
      file.start();
    } catch {
      fail(`the entry ${shorten(file.name)} cannot be read`);
    }
  });
  unzip.register(UnzipInflate);

  try {
    for (let offset = 0; offset < bytes.length && !problem; offset += CHUNK) {
      const end = Math.min(bytes.length, offset + CHUNK);
      fed = end;
      unzip.push(bytes.subarray(offset, end), end === bytes.length);
    }
    if (bytes.length === 0) unzip.push(new Uint8Array(0), true);
  } catch {
    fail('it is not a readable zip');
  }
  if (problem) return err(problem);
  if (open.size > 0) return err(`the entry ${shorten([...open][0])} is cut short`);
  if (entries === 0) return err('it is not a zip (no entries)');
  return ok(Object.fromEntries(files));
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  // A view into a larger buffer would be stored whole by structured clone (IndexedDB): copy it out.
  if (chunks.length === 1 && chunks[0].byteOffset === 0 && chunks[0].byteLength === chunks[0].buffer.byteLength) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
