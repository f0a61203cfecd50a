// Checkpoint variants for the mock hub, made from a fixture's F32 weights: BF16 / F16 files, sharded files with
// model.safetensors.index.json, and an explicit tied lm_head. Pure (bytes in, files out); depends on scripts/lib only.
import { readSafetensors, type F32Tensor } from './safetensors';

export type StoredDtype = 'F32' | 'F16' | 'BF16';

/** float32 → bfloat16 bits, round to nearest even (as torch's .to(torch.bfloat16)). */
export function toBf16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  if ((u & 0x7fffffff) > 0x7f800000) return 0x7fc0; // NaN
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/** float32 → IEEE half bits, round to nearest even, subnormals and overflow to ±Inf. */
export function toF16Bits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = (mant + half - 1 + ((mant >>> shift) & 1)) >>> shift;
    return sign | rounded;
  }
  const rounded = mant + 0xfff + ((mant >>> 13) & 1);
  if (rounded & 0x800000) {
    mant = 0;
    e += 1;
    if (e >= 0x1f) return sign | 0x7c00;
  } else mant = rounded;
  return sign | (e << 10) | (mant >>> 13);
}

/** Write tensors (sorted by name) as safetensors in one stored dtype, padded header as the Rust writer does. */
export function writeSafetensorsAs(tensors: Record<string, F32Tensor>, dtype: StoredDtype, metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const size = dtype === 'F32' ? 4 : 2;
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const n = tensors[name].data.length;
    header[name] = { dtype, shape: tensors[name].shape, data_offsets: [offset, offset + n * size] };
    offset += n * size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.fill(0x20, 8, 8 + headerLen);
  out.set(json, 8);
  let pos = 8 + headerLen;
  for (const name of names) {
    for (const v of tensors[name].data) {
      if (dtype === 'F32') view.setFloat32(pos, v, true);
      else view.setUint16(pos, dtype === 'F16' ? toF16Bits(v) : toBf16Bits(v), true);
      pos += size;
    }
  }
  return out;
}

/** The fixture's weights re-stored as `dtype` in one model.safetensors. */
export function recastVariant(weights: Uint8Array, dtype: StoredDtype): Record<string, Uint8Array> {
  return { 'model.safetensors': writeSafetensorsAs(readSafetensors(weights).tensors, dtype) };
}

/** The fixture's weights split into `shards` files of about equal size, plus the HF index (weight_map, total_size). */
export function shardVariant(weights: Uint8Array, shards: number): Record<string, string | Uint8Array> {
  const { tensors } = readSafetensors(weights);
  const names = Object.keys(tensors).sort();
  const total = names.reduce((a, n) => a + tensors[n].data.byteLength, 0);
  const groups: string[][] = Array.from({ length: shards }, () => []);
  let acc = 0;
  for (const n of names) {
    groups[Math.min(shards - 1, Math.floor((acc / total) * shards))].push(n);
    acc += tensors[n].data.byteLength;
  }
  const pad = (i: number) => String(i).padStart(5, '0');
  const files: Record<string, string | Uint8Array> = {};
  const weightMap: Record<string, string> = {};
  groups.forEach((group, i) => {
    const file = `model-${pad(i + 1)}-of-${pad(shards)}.safetensors`;
    files[file] = writeSafetensorsAs(Object.fromEntries(group.map((n) => [n, tensors[n]])), 'F32');
    for (const n of group) weightMap[n] = file;
  });
  files['model.safetensors.index.json'] = JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }, null, 2) + '\n';
  return files;
}

/** A tied checkpoint that also stores lm_head.weight as an exact copy of `embeddingKey` (some exporters do). */
export function explicitTiedHeadVariant(weights: Uint8Array, embeddingKey: string): Record<string, Uint8Array> {
  const { tensors } = readSafetensors(weights);
  const emb = tensors[embeddingKey];
  if (!emb) throw new Error(`no ${embeddingKey} to tie`);
  return { 'model.safetensors': writeSafetensorsAs({ ...tensors, 'lm_head.weight': { shape: emb.shape, data: emb.data.slice() } }, 'F32') };
}
