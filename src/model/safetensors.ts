// Read and write the safetensors format (HF weights and PEFT adapters) as plain Float32Arrays.
// Depends only on lib/; no tfjs here, so it can run anywhere bytes are available.
import { err, ok, type Result } from '../lib/result';

/** Element types a safetensors header may name, with their size in bytes. */
export const SAFETENSORS_DTYPE_BYTES = Object.freeze({
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
});
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_BYTES;

/** One tensor as read from a file: `data` is always float32, whatever `dtype` was stored. */
export type NamedTensor = { shape: number[]; dtype: SafetensorsDtype; data: Float32Array };

export type ParsedSafetensors = {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
};

const HEADER_LENGTH_BYTES = 8;
/** The Rust reader refuses headers above 100 MB; so do we (it is a sign of a wrong file). */
const MAX_HEADER_BYTES = 100_000_000;

const isDtype = (s: unknown): s is SafetensorsDtype => typeof s === 'string' && Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPE_BYTES, s);

/** Parse a .safetensors file. Every problem with the bytes comes back as an error string. */
export function tryParseSafetensors(bytes: Uint8Array): Result<ParsedSafetensors, string> {
  if (bytes.byteLength < HEADER_LENGTH_BYTES) {
    return err(`safetensors: the file is ${bytes.byteLength} bytes, shorter than the 8-byte header length; ` + 'it is empty or truncated, download it again.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  const dataStart = HEADER_LENGTH_BYTES + headerBytes;
  if (headerBytes > MAX_HEADER_BYTES || dataStart > bytes.byteLength) {
    return err(
      `safetensors: the header claims ${headerBytes} bytes but the file has only ` +
        `${bytes.byteLength - HEADER_LENGTH_BYTES} after the length field; the file is truncated ` +
        'or not a safetensors file (a .bin/.pt checkpoint must be converted to safetensors first).',
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    return err(`safetensors: the header is not valid UTF-8 JSON (${(e as Error).message}); ` + 'the file is corrupt or not a safetensors file.');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return err('safetensors: the header must be a JSON object of tensor entries; the file is corrupt.');
  }

  const dataBytes = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null) return err('safetensors: __metadata__ must be an object of strings.');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') return err(`safetensors: __metadata__.${k} must be a string.`);
        metadata[k] = v;
      }
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!isDtype(entry?.dtype)) {
      return err(
        `safetensors: tensor "${name}" has unknown dtype ${JSON.stringify(entry?.dtype)}; ` +
          `supported: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')}. Re-save the weights as F32, F16 or BF16.`,
      );
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      return err(`safetensors: tensor "${name}" has an invalid shape ${JSON.stringify(shape)}; the header is corrupt.`);
    }
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      return err(`safetensors: tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}; the header is corrupt.`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataBytes) {
      return err(
        `safetensors: tensor "${name}" spans bytes [${begin}, ${end}) but the data section has ${dataBytes} bytes; ` + 'the file is truncated or corrupt.',
      );
    }
    const expectedBytes = (shape as number[]).reduce((a, d) => a * d, 1) * SAFETENSORS_DTYPE_BYTES[entry.dtype];
    if (end - begin !== expectedBytes) {
      return err(
        `safetensors: tensor "${name}" (${entry.dtype} ${JSON.stringify(shape)}) needs ${expectedBytes} bytes ` +
          `but its offsets give ${end - begin}; the header is corrupt.`,
      );
    }
    entries.push({ name, dtype: entry.dtype, shape: shape as number[], begin, end });
  }

  const byBegin = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < byBegin.length; i++) {
    const prev = byBegin[i - 1];
    const cur = byBegin[i];
    if (cur.begin < prev.end) {
      return err(`safetensors: tensors "${prev.name}" and "${cur.name}" overlap in the data section; the file is corrupt.`);
    }
  }

  const tensors = new Map<string, NamedTensor>();
  for (const e of entries) {
    const at = bytes.byteOffset + dataStart + e.begin;
    if (e.dtype === 'F32' && at % 4 === 0) {
      // A view, not a copy (issue 11: one buffer per file): the file's bytes are the tensor's values.
      tensors.set(e.name, { shape: e.shape, dtype: e.dtype, data: new Float32Array(bytes.buffer, at, (e.end - e.begin) / 4) });
      continue;
    }
    // Copy the byte range first: inside a Node Buffer pool it need not be 4-byte aligned.
    const copy = bytes.slice(dataStart + e.begin, dataStart + e.end);
    tensors.set(e.name, { shape: e.shape, dtype: e.dtype, data: decodeToFloat32(copy, e.dtype) });
  }
  return ok({ tensors, metadata });
}

function decodeToFloat32(copy: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const buf = copy.buffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(buf);
    case 'F64':
      return Float32Array.from(new Float64Array(buf));
    case 'F16':
      return Float32Array.from(new Uint16Array(buf), halfToFloat);
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const halves = new Uint16Array(buf);
      const words = new Uint32Array(halves.length);
      for (let i = 0; i < halves.length; i++) words[i] = halves[i] << 16;
      return new Float32Array(words.buffer);
    }
    case 'I64':
      return Float32Array.from(new BigInt64Array(buf), (v) => Number(v));
    case 'I32':
      return Float32Array.from(new Int32Array(buf));
    case 'I16':
      return Float32Array.from(new Int16Array(buf));
    case 'I8':
      return Float32Array.from(new Int8Array(buf));
    case 'U8':
    case 'BOOL':
      return Float32Array.from(copy);
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * Write F32 tensors as safetensors, laid out like the Rust writer: compact JSON header with
 * `__metadata__` first and tensors sorted by name, padded with spaces to a multiple of 8,
 * then the data back to back in header order.
 */
export function serializeSafetensors(tensors: Record<string, { shape: number[]; data: Float32Array }>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const { shape, data } = tensors[name];
    const size = shape.reduce((a, d) => a * d, 1);
    if (size !== data.length) {
      throw new Error(`assertion failed: tensor "${name}" has ${data.length} values for shape [${shape}]`);
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const headerBytes = new Uint8Array(padded).fill(0x20);
  headerBytes.set(json);
  json = headerBytes;

  const out = new Uint8Array(HEADER_LENGTH_BYTES + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, HEADER_LENGTH_BYTES);
  let at = HEADER_LENGTH_BYTES + padded;
  for (const name of names) {
    const { data } = tensors[name];
    // Float32Array bytes are little-endian on every platform a browser runs on.
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    at += data.byteLength;
  }
  return out;
}
