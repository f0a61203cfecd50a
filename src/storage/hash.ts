// Content hash of a dataset file: SHA-256 via crypto.subtle, as lowercase hex.
// Async (WebCrypto); call it before opening a transaction, never inside one.

export async function sha256Hex(bytes: Uint8Array, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  // digest() wants an ArrayBuffer-backed view; copy only when the bytes sit in a SharedArrayBuffer.
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  const digest = new Uint8Array(await subtle.digest('SHA-256', view));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
