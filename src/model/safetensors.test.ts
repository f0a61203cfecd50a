// Tests for the safetensors reader/writer: fixture byte round-trip, half-float decoding, corrupt files.
import { describe, expect, it } from 'vitest';
import { readFixtureBytes } from '../test/fixtures';
import { serializeSafetensors, tryParseSafetensors } from './safetensors';

const ADAPTER = 'reference/bert/adapter/adapter_model.safetensors';

/** A file from a header object and a data section, for hand-made corrupt cases. */
function makeFile(header: unknown, dataBytes: number, headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors', () => {
  it('reads the PEFT fixture and writes it back byte for byte', () => {
    const bytes = readFixtureBytes(ADAPTER);
    const parsed = tryParseSafetensors(bytes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.metadata).toEqual({ format: 'pt' });
    expect(parsed.value.tensors.get('base_model.model.classifier.weight')?.shape).toEqual([3, 32]);
    const record = Object.fromEntries([...parsed.value.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
    const written = serializeSafetensors(record, parsed.value.metadata);
    expect(written.length).toBe(bytes.length);
    expect(Buffer.from(written).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads from an unaligned offset inside a larger buffer', () => {
    const bytes = readFixtureBytes(ADAPTER);
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const parsed = tryParseSafetensors(big.subarray(3));
    expect(parsed.ok && parsed.value.tensors.size).toBe(10);
  });

  it('converts F16 and BF16 to float32', () => {
    const header = {
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
    };
    const file = makeFile(header, 10);
    const data = new DataView(file.buffer, file.length - 10);
    [0x3c00, 0xc000, 0x3555].forEach((h, i) => data.setUint16(i * 2, h, true)); // 1, -2, ~0.33325
    [0x3f80, 0x4049].forEach((h, i) => data.setUint16(6 + i * 2, h, true)); // 1, 3.140625
    const parsed = tryParseSafetensors(file);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Array.from(parsed.value.tensors.get('h')!.data)).toEqual([1, -2, 0.333251953125]);
    expect(Array.from(parsed.value.tensors.get('b')!.data)).toEqual([1, 3.140625]);
  });

  it('converts signed, zero, subnormal and infinite F16/BF16 values exactly', () => {
    const header = { h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [4], data_offsets: [8, 16] } };
    const file = makeFile(header, 16);
    const data = new DataView(file.buffer, file.length - 16);
    [0x0001, 0x7c00, 0xfbff, 0x8000].forEach((h, i) => data.setUint16(i * 2, h, true)); // 2^-24, +Inf, -65504, -0
    [0xc049, 0xff80, 0x0001, 0x8000].forEach((h, i) => data.setUint16(8 + i * 2, h, true)); // -3.140625, -Inf, smallest subnormal, -0
    const parsed = tryParseSafetensors(file);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(Array.from(parsed.value.tensors.get('h')!.data)).toEqual([2 ** -24, Infinity, -65504, -0]);
    expect(Array.from(parsed.value.tensors.get('b')!.data)).toEqual([-3.140625, -Infinity, 2 ** -133, -0]);
    expect(parsed.value.tensors.get('b')!.dtype).toBe('BF16');
  });

  const corrupt: [string, Uint8Array, RegExp][] = [
    ['shorter than 8 bytes', new Uint8Array(5), /shorter than the 8-byte header/],
    [
      'header length beyond the file',
      (() => {
        const f = makeFile({}, 0);
        new DataView(f.buffer).setBigUint64(0, 999n, true);
        return f;
      })(),
      /header claims 999 bytes/,
    ],
    ['header not JSON', makeFile(null, 0, '{"a": nope}'), /not valid UTF-8 JSON/],
    ['offsets out of range', makeFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4), /data section has 4 bytes/],
    ['size mismatch', makeFile({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), /needs 12 bytes/],
    ['overlap', makeFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12), /overlap/],
    ['unknown dtype', makeFile({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1), /unknown dtype "F8_E4M3"/],
  ];
  it.each(corrupt)('rejects a file with %s', (_name, bytes, message) => {
    const parsed = tryParseSafetensors(bytes);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('pads the header with spaces to a multiple of 8', () => {
    const out = serializeSafetensors({ x: { shape: [1], data: new Float32Array([2]) } });
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(new TextDecoder().decode(out.subarray(8, 8 + n)).trimEnd()).toBe('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
  });
});
