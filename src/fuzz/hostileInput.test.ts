// Property-based fuzzing (fast-check) of every reader that takes user bytes: safetensors, CSV, JSONL/JSON records,
// text decoding, the bounded unzip, the project archive and the PEFT adapter importer. Random and mutated
// inputs must give a value or an error, never a throw, and never more bytes out than the stated limits.
// Bounded: a fixed number of runs per property (FUZZ_RUNS env to raise it), so it fits in `npm test`.
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedUnzip, type UnzipLimits } from '../lib/boundedUnzip';
import { parseCsv } from '../data/csv';
import { instructionDataFromJsonl } from '../data/instructionData';
import { jsonTable, parseJsonl } from '../data/jsonRecords';
import { decodeText } from '../data/textDecoding';
import { serializeSafetensors, tryParseSafetensors } from '../model/safetensors';
import { tryParseBertConfig } from '../model/config';
import { tryLoadBertModel, type BertModel } from '../model/families/bert/model';
import { tryImportPeftAdapter } from '../model/peftAdapter';
import { importProject, exportProject } from '../storage/projectArchive';
import { STORES } from '../storage/schema';
import { freshStore, seedRun } from '../storage/testSupport';
import { loadBertFixture, useCpuBackend } from '../test/fixtures';
import { checkpointBlobProblem } from '../train/checkpointCodec';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const counts: Record<string, number> = {};
/** Runs a property, counting runs for the summary line. */
function check<T>(name: string, arb: fc.Arbitrary<T>, body: (v: T) => void, runs = RUNS) {
  counts[name] = 0;
  fc.assert(
    fc.property(arb, (v) => {
      counts[name]++;
      body(v);
    }),
    { numRuns: runs, seed: 13 },
  );
}
async function checkAsync<T>(name: string, arb: fc.Arbitrary<T>, body: (v: T) => Promise<void>, runs = RUNS) {
  counts[name] = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      counts[name]++;
      await body(v);
    }),
    { numRuns: runs, seed: 13 },
  );
}
afterAll(() =>
  console.log(
    `[fuzz] ${Object.entries(counts)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}; total ${Object.values(counts).reduce((a, b) => a + b, 0)} runs`,
  ),
);

/** Flips, deletes, inserts and overwrites bytes of a valid input. */
const mutated = (base: Uint8Array) =>
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert', 'set')), { minLength: 1, maxLength: 8 })
    .map((edits) => {
      let b = Array.from(base);
      for (const [at, v, op] of edits) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (op === 'flip') b[i] ^= 1 << (v % 8);
        else if (op === 'cut') b = b.slice(0, i);
        else if (op === 'insert') b.splice(i, 0, v);
        else b[i] = v;
      }
      return Uint8Array.from(b);
    });
const bytesOrMutated = (base: Uint8Array) => fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated(base));
const isResult = (r: { ok: boolean }) => typeof r.ok === 'boolean';

const validSafetensors = serializeSafetensors(
  { 'a.weight': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { shape: [1], data: Float32Array.from([7]) } },
  { format: 'pt' },
);

describe('fuzz: byte readers', () => {
  it('safetensors: random and mutated files parse or fail with a message', () => {
    check('safetensors', bytesOrMutated(validSafetensors), (bytes) => {
      const r = tryParseSafetensors(bytes);
      expect(isResult(r)).toBe(true);
      if (r.ok) for (const t of r.value.tensors.values()) expect(t.data.length * 4).toBeLessThanOrEqual(bytes.length * 8);
      else expect(r.error).toMatch(/^safetensors:/);
    });
  });

  it('safetensors: hostile headers (huge shapes, offsets, dtypes) never throw or allocate', () => {
    const headerArb = fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.record({
        dtype: fc.constantFrom('F32', 'F16', 'BF16', 'I64', 'X', 3),
        shape: fc.array(fc.oneof(fc.nat(), fc.constant(2 ** 40), fc.constant(-1), fc.double()), { maxLength: 4 }),
        data_offsets: fc.array(fc.oneof(fc.nat({ max: 64 }), fc.constant(2 ** 53)), { maxLength: 3 }),
      }),
      { maxKeys: 4 },
    );
    check('safetensors-headers', fc.tuple(headerArb, fc.uint8Array({ maxLength: 64 })), ([header, data]) => {
      const json = strToU8(JSON.stringify(header));
      const bytes = new Uint8Array(8 + json.length + data.length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
      bytes.set(json, 8);
      bytes.set(data, 8 + json.length);
      const r = tryParseSafetensors(bytes);
      if (r.ok) for (const t of r.value.tensors.values()) expect(t.data.length).toBeLessThanOrEqual(data.length);
    });
  });

  it('CSV/TSV: any text gives a table or a file error; rows always match the header width', () => {
    const csvish = fc
      .array(
        fc.oneof(fc.constantFrom(',', ';', '\t', '|', '"', '\n', '\r\n', '""', ' ', 'a', 'label', '\u0000', '\ufeff', '😀'), fc.string({ maxLength: 6 })),
        { maxLength: 80 },
      )
      .map((p) => p.join(''));
    check('csv', fc.oneof(csvish, fc.string({ maxLength: 300 })), (text) => {
      const r = parseCsv(text, { fileName: 'x.csv' });
      if (r.ok) {
        for (const row of r.value.rows) expect(row.length).toBe(r.value.header.length);
        expect(r.value.rows.length).toBe(r.value.rowNumbers.length);
      } else expect(r.error.message.length).toBeGreaterThan(10);
    });
  });

  it('JSONL / JSON records: any text gives records, a table or an error, and every bad line is numbered', () => {
    const line = fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc.constantFrom(
        '{"prompt":"a","completion":"b"}',
        '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}',
        '{"text":"x","label":"y"}',
        '{',
        '[',
        '"s"',
        '',
        '{"prompt":',
      ),
    );
    check(
      'jsonl',
      fc.array(line, { maxLength: 12 }).map((l) => l.join('\n')),
      (text) => {
        const parsed = parseJsonl(text);
        for (const e of parsed.errors) expect(e.row).toBeGreaterThan(0);
        expect(isResult(instructionDataFromJsonl(text))).toBe(true);
        expect(isResult(jsonTable(text))).toBe(true);
      },
    );
  });

  it('text decoding: any bytes decode or are refused as not text', () => {
    check(
      'decode',
      fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        fc.string().map((s) => strToU8(s)),
      ),
      (bytes) => {
        const r = decodeText(bytes);
        if (!r.ok) expect(['not_text', 'binary_file']).toContain(r.error.code);
      },
    );
  });
});

describe('fuzz: archives', () => {
  const limits: UnzipLimits = { maxEntries: 8, maxEntryBytes: 4096, maxTotalBytes: 8192, maxRatio: 50, ratioFloorBytes: 1024 };
  const validZip = zipSync({ 'manifest.json': strToU8('{"a":1}'), 'd/rows.json': strToU8('[["x","y"]]'.repeat(10)) });

  it('bounded unzip: random, mutated and oversized zips never throw and never return more than the limits', () => {
    const made = fc
      .dictionary(fc.string({ maxLength: 12 }), fc.tuple(fc.nat({ max: 20_000 }), fc.integer({ min: 0, max: 9 })), { maxKeys: 10 })
      .map((files) =>
        zipSync(Object.fromEntries(Object.entries(files).map(([n, [size, level]]) => [n, [new Uint8Array(size).fill(65), { level: level as 0 }]]))),
      );
    check('unzip', fc.oneof(bytesOrMutated(validZip), made), (bytes) => {
      const r = boundedUnzip(bytes, limits);
      if (r.ok) {
        const sizes = Object.values(r.value).map((b) => b.length);
        expect(sizes.every((s) => s <= limits.maxEntryBytes)).toBe(true);
        expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(limits.maxTotalBytes);
        expect(Object.keys(r.value).length).toBeLessThanOrEqual(limits.maxEntries);
      } else expect(r.error.length).toBeGreaterThan(5);
    });
  });

  it('project import: mutated project files are imported whole or refused with nothing written', async () => {
    const source = await freshStore();
    const { dataset } = await seedRun(source);
    const exported = await exportProject(source, dataset.id, 1);
    if (!exported.ok) throw new Error(exported.error.message);
    await checkAsync(
      'project-import',
      mutated(exported.value),
      async (bytes) => {
        const target = await freshStore();
        const r = await importProject(target, bytes, { checkBlob: checkpointBlobProblem });
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-archive');
          for (const name of Object.values(STORES)) expect(await target.db.count(name)).toBe(0);
        }
        target.db.close();
      },
      Math.max(20, RUNS / 4),
    );
    source.db.close();
  });

  it('checkpoint blobs: random and mutated blobs are judged, never thrown on', () => {
    check('checkpoint-blob', fc.tuple(fc.uint8Array({ maxLength: 300 }), bytesOrMutated(validSafetensors)), ([adapter, optimizer]) => {
      const p = checkpointBlobProblem({ adapter, optimizer });
      expect(p === null || typeof p === 'string').toBe(true);
    });
  });
});

describe('fuzz: adapter importer', () => {
  let model: BertModel;
  const fx = loadBertFixture();
  beforeAll(async () => {
    await useCpuBackend();
    const config = tryParseBertConfig(fx.configJson);
    if (!config.ok) throw new Error(config.error);
    const m = tryLoadBertModel(fx.weights, config.value);
    if (!m.ok) throw new Error(m.error);
    model = m.value;
  });

  it('random configs and mutated weights load an adapter or explain, leaking no tensors', () => {
    const base = JSON.parse(fx.adapterFiles['adapter_config.json']) as Record<string, unknown>;
    const configArb = fc
      .record({
        r: fc.oneof(fc.constant(base.r), fc.integer({ min: -2, max: 2 ** 31 }), fc.double(), fc.string()),
        lora_alpha: fc.oneof(fc.constant(base.lora_alpha), fc.double()),
        target_modules: fc.oneof(fc.constant(base.target_modules), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), fc.constant('.*')),
        task_type: fc.constantFrom(base.task_type, 'CAUSAL_LM', null),
      })
      .map((patch) => JSON.stringify({ ...base, ...patch }));
    const before = tf.memory().numTensors;
    check(
      'adapter-import',
      fc.tuple(
        fc.oneof(configArb, fc.string({ maxLength: 40 })),
        fc.oneof(fc.constant(fx.adapterFiles['adapter_model.safetensors']), bytesOrMutated(fx.adapterFiles['adapter_model.safetensors'].subarray(0, 2000))),
      ),
      ([config, weights]) => {
        const r = tryImportPeftAdapter(model, { 'adapter_config.json': config, 'adapter_model.safetensors': weights });
        if (r.ok) r.value.dispose();
        else expect(r.error.length).toBeGreaterThan(5);
      },
      Math.max(30, RUNS / 4),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
