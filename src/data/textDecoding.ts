// Decides how a dropped file's bytes become text: a BOM (UTF-8, UTF-16 LE/BE), BOM-less UTF-16 by its zero
// bytes, or UTF-8; known binary formats (images, archives, PDF, spreadsheets) are named and refused. Then one
// TextDecoder in stream mode decodes every chunk, so the encoding holds over the whole file, not only the
// first piece. Pure (TextDecoder is a web standard); no I/O.
import { err, ok, type Result } from '../lib/result';
import { sniffBinary } from './binarySniff';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export type NotText = { code: 'not_text' | 'binary_file'; message: string };

/** Leading bytes of formats people drop by mistake, with their names for the message. */
const MAGIC: { bytes: number[]; name: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a zip archive (or an .xlsx/.docx file, which are zips)' },
  { bytes: [0x1f, 0x8b], name: 'a gzip archive' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], name: 'an old Excel/Word file' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: 'a 7z archive' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32 text' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32 text' },
];

const SAVE_AS = 'Save or export it as UTF-8 text (CSV UTF-8, .jsonl or .txt) and try again.';

/** The encoding of a file from its first bytes (a few KB is plenty), or why it is not text. */
export function sniffEncoding(head: Uint8Array): Result<TextEncoding, NotText> {
  const starts = (b: number[]) => b.every((x, i) => head[i] === x);
  const magic = MAGIC.find((m) => head.length >= m.bytes.length && starts(m.bytes));
  if (magic) return err({ code: 'not_text', message: `This file is ${magic.name}, not text. ${SAVE_AS}` });
  if (starts([0xef, 0xbb, 0xbf])) return ok('utf-8');
  if (starts([0xff, 0xfe])) return ok('utf-16le');
  if (starts([0xfe, 0xff])) return ok('utf-16be');
  // BOM-less UTF-16: ASCII-heavy text has a zero in every other byte.
  const n = Math.min(head.length, 4096) & ~1;
  if (n >= 8) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZeros++;
      if (head[i + 1] === 0) oddZeros++;
    }
    const half = n / 2;
    if (oddZeros > half * 0.4 && evenZeros < half * 0.05) return ok('utf-16le');
    if (evenZeros > half * 0.4 && oddZeros < half * 0.05) return ok('utf-16be');
  }
  return ok('utf-8');
}

/** Decodes chunk after chunk with one stream-mode TextDecoder (characters split across chunks survive; the BOM is dropped). */
export class StreamTextDecoder {
  private readonly decoder: TextDecoder;
  constructor(readonly encoding: TextEncoding) {
    this.decoder = new TextDecoder(encoding);
  }
  push(bytes: Uint8Array): string {
    return this.decoder.decode(bytes, { stream: true });
  }
  end(): string {
    return this.decoder.decode();
  }
}

/** Bytes to text with the sniffed encoding, refusing binary (magic numbers, NULs, control characters). */
export function decodeText(bytes: Uint8Array): Result<string, NotText> {
  const encoding = sniffEncoding(bytes.subarray(0, 4096));
  if (!encoding.ok) return encoding;
  const d = new StreamTextDecoder(encoding.value);
  const text = d.push(bytes) + d.end();
  const binary = binaryProblem(text);
  return binary ? err(binary) : ok(text);
}

/** Why decoded text looks like binary data, or null; the same test CSV files get. */
export function binaryProblem(text: string): NotText | null {
  const sniff = sniffBinary(text);
  if (!sniff.binary) return null;
  const why = sniff.reason === 'nul_byte' ? 'it contains NUL bytes' : 'its first kilobyte is mostly control or undecodable characters';
  return { code: 'binary_file', message: `This does not look like a UTF-8 text file (${why}); it may be a spreadsheet, an image or an archive. ${SAVE_AS}` };
}
