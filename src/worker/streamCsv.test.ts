// Tests for encoding detection and stream decoding: BOMs, BOM-less UTF-16, binary formats named, and a
// UTF-16 CSV far larger than the 16 MB streaming threshold decoded whole through the streaming reader.
import { describe, expect, it } from 'vitest';
import { decodeText, sniffEncoding, StreamTextDecoder } from '../data/textDecoding';
import { readCsvFile, STREAM_ABOVE_BYTES } from './streamCsv';

function utf16(text: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) {
    view.setUint16(0, 0xfeff, endian === 'le');
    at = 2;
  }
  for (let i = 0; i < text.length; i++, at += 2) view.setUint16(at, text.charCodeAt(i), endian === 'le');
  return out;
}

describe('sniffEncoding / decodeText', () => {
  it.each([
    ['UTF-8 BOM', Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('text,label\nhi,pos\n')]), 'utf-8'],
    ['UTF-16 LE BOM', utf16('text,label\nhi,pos\n', 'le'), 'utf-16le'],
    ['UTF-16 BE BOM', utf16('text,label\nhi,pos\n', 'be'), 'utf-16be'],
    ['BOM-less UTF-16 LE', utf16('text,label\nhello there,pos\n', 'le', false), 'utf-16le'],
    ['BOM-less UTF-16 BE', utf16('text,label\nhello there,pos\n', 'be', false), 'utf-16be'],
    ['plain UTF-8', new TextEncoder().encode('text,label\nhéllo 👋,pos\n'), 'utf-8'],
  ])('%s', (_name, bytes, encoding) => {
    expect(sniffEncoding(bytes)).toEqual({ ok: true, value: encoding });
    const text = decodeText(bytes);
    expect(text.ok && text.value.startsWith('text,label') && !text.value.includes('\0')).toBe(true);
  });

  it.each([
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], /PNG image, not text/],
    ['zip/xlsx', [0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0], /zip archive \(or an \.xlsx/],
    ['PDF', [...new TextEncoder().encode('%PDF-1.7\n')], /PDF document/],
    ['UTF-32', [0xff, 0xfe, 0, 0, 0x61, 0, 0, 0], /UTF-32/],
  ])('names %s and refuses it', (_name, bytes, message) => {
    const r = decodeText(Uint8Array.from(bytes));
    expect(r).toEqual({ ok: false, error: { code: 'not_text', message: expect.stringMatching(message) } });
  });

  it('refuses random binary without a known signature', () => {
    const bytes = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256);
    expect(decodeText(bytes)).toMatchObject({ ok: false, error: { code: 'binary_file' } });
  });

  it('keeps characters split across chunks, in UTF-16 and UTF-8', () => {
    const bytes = utf16('a😀b', 'le');
    const d = new StreamTextDecoder('utf-16le');
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) out += d.push(bytes.subarray(i, i + 3));
    expect(out + d.end()).toBe('a😀b');
  });
});

describe('readCsvFile streaming a UTF-16 file larger than the first chunk', () => {
  it('decodes every row past 16 MB (labels stay "positive", not " p o s i t i v e ")', async () => {
    const line = 'this is a fairly ordinary review of a product,positive\n';
    const rows = Math.ceil((STREAM_ABOVE_BYTES * 1.1) / (line.length * 2));
    const text = 'text,label\n' + line.repeat(rows - 1) + 'the very last row,negative\n';
    const file = new File([utf16(text, 'le') as BlobPart], 'big-utf16.csv');
    expect(file.size).toBeGreaterThan(STREAM_ABOVE_BYTES);
    let ticks = 0;
    const r = await readCsvFile(file, () => ticks++);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.header).toEqual(['text', 'label']);
    expect(r.value.rows).toHaveLength(rows);
    expect(r.value.errors).toEqual([]);
    expect(new Set(r.value.rows.map((row) => row[1]))).toEqual(new Set(['positive', 'negative']));
    expect(r.value.rows.at(-1)).toEqual(['the very last row', 'negative']);
    expect(ticks).toBeGreaterThan(1);
  }, 60_000);
});
