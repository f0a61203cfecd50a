// Tiny safetensors writer for build scripts (F32 only), so scripts don't wait on src/model/safetensors.ts.
// Layout: 8-byte LE header length, JSON header (`__metadata__` first, tensors sorted by name), padded
// with spaces to a multiple of 8, then the F32 little-endian data back to back. Depends on nothing.

export type F32Tensor = { shape: number[]; data: Float32Array };

export function writeSafetensors(
  tensors: Record<string, F32Tensor>,
  metadata: Record<string, string> = { format: 'pt' },
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors[name];
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`${name}: shape ${JSON.stringify(shape)} != ${data.length} values`);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  while (json.length % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json); // ASCII names expected; pad again in bytes to be safe
  const headerLen = Math.ceil(headerBytes.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.fill(0x20, 8, 8 + headerLen);
  out.set(headerBytes, 8);
  let pos = 8 + headerLen;
  for (const name of names) {
    const { data } = tensors[name];
    for (let i = 0; i < data.length; i++) view.setFloat32(pos + 4 * i, data[i], true);
    pos += data.byteLength;
  }
  return out;
}

/** Reader used by script tests and the mock hub checks (returns copies, so alignment never matters). */
export function readSafetensors(bytes: Uint8Array): { metadata: Record<string, string>; tensors: Record<string, F32Tensor> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const tensors: Record<string, F32Tensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') { metadata = entry as Record<string, string>; continue; }
    const { dtype, shape, data_offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw new Error(`${name}: dtype ${dtype} not supported by this reader`);
    const start = 8 + n + data_offsets[0];
    const data = new Float32Array((data_offsets[1] - data_offsets[0]) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(start + 4 * i, true);
    tensors[name] = { shape, data };
  }
  return { metadata, tensors };
}
