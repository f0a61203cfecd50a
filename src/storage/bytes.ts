// Byte helpers for the store: JSON to UTF-8 bytes and back, and human-readable sizes for messages.
// Pure; no IndexedDB.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}

/** Approximate bytes a JSON-like value takes once stored (UTF-16 length of its JSON, as a fair bound). */
export function approxJsonBytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
