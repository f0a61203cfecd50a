// Reads only the header of a .safetensors file (8-byte length + JSON) from its first bytes, so the studio can
// count parameters and find the largest tensor before downloading the data. No tfjs, no DOM.
import { err, ok, type Result } from '../lib/result';
import type { TensorInfo } from './memoryEstimate';
import { SAFETENSORS_DTYPE_BYTES } from './safetensors';

export type HeaderRead =
  | { complete: true; tensors: TensorInfo[]; dataStart: number }
  /** The prefix is too short: read at least `needBytes` from the start of the file. */
  | { complete: false; needBytes: number };

const MAX_HEADER_BYTES = 100_000_000;

/** Parse the header from a prefix of the file; asks for more bytes when the prefix stops inside the header. */
export function tryReadSafetensorsHeader(prefix: Uint8Array): Result<HeaderRead, string> {
  if (prefix.byteLength < 8) return ok({ complete: false, needBytes: 8 });
  const n = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES) return err(`safetensors: the header claims ${n} bytes; the file is corrupt or not a safetensors file.`);
  if (prefix.byteLength < 8 + n) return ok({ complete: false, needBytes: 8 + n });
  let header: Record<string, { dtype?: unknown; shape?: unknown }>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(8, 8 + n)));
  } catch (e) {
    return err(`safetensors: the header is not valid UTF-8 JSON (${(e as Error).message}); the file is corrupt or not a safetensors file.`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return err('safetensors: the header must be a JSON object.');
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const dtype = entry?.dtype;
    if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPE_BYTES, dtype)) {
      return err(`safetensors: tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}; re-save the weights as F32, F16 or BF16.`);
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return err(`safetensors: tensor "${name}" has an invalid shape.`);
    tensors.push({ name, shape: shape as number[], dtypeBytes: SAFETENSORS_DTYPE_BYTES[dtype as keyof typeof SAFETENSORS_DTYPE_BYTES] });
  }
  return ok({ complete: true, tensors, dataStart: 8 + n });
}
