// Builds the bad-input suite's generated inputs in memory (large or binary ones are not committed): a 50,000-column
// CSV, UTF-16 CSVs, random binary, hostile project archives (zip bomb, ../ ids, garbage checkpoints, a split past
// the rows, a rows file of spaces) and broken local model folders (NaN weights, config/weights mismatch).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { ENTRY } from '../../../src/storage/archiveFormat';
import { serializeSafetensors, tryParseSafetensors } from '../../../src/model/safetensors';
import { E2E_DIR } from '../../fixtures/paths';

export const badFile = (name: string) => readFileSync(path.join(E2E_DIR, 'data', 'bad', name));

export function wideCsv(columns: number): Buffer {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const row = (r: number) => Array.from({ length: columns }, (_, i) => String((i * r) % 10)).join(',');
  return Buffer.from([header, row(1), row(2), row(3)].join('\n') + '\n');
}

const WORDS = 'apple river quiet storm violet engine marble copper garden lantern meadow silver thunder orbit canvas harbor pepper velvet'.split(' ');

/** A UTF-16 CSV (with BOM) of distinct texts; label = parity. */
export function utf16Csv(endian: 'le' | 'be', rows: number): Buffer {
  const words = (i: number) => Array.from({ length: 6 }, (_, k) => WORDS[(i * 7 + k * k * 13 + (i >> k)) % WORDS.length]).join(' ');
  const lines = ['text,label', ...Array.from({ length: rows }, (_, i) => `review ${i} ${words(i)} ${i % 2 ? 'great' : 'awful'},${i % 2 ? 'positive' : 'negative'}`)];
  const text = '\ufeff' + lines.join('\n') + '\n';
  const le = Buffer.from(text, 'utf16le');
  if (endian === 'le') return le;
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

export function randomBinary(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 2654435761 + 7) >>> 24;
  return b;
}

// ---- project archives ----
const ROWS = Array.from({ length: 30 }, (_, i) => [`imported text number ${i}`, i % 2 ? 'pos' : 'neg']);

type ArchiveOptions = { datasetId?: string; runId?: string; rows?: Uint8Array; split?: unknown; adapter?: Uint8Array; optimizer?: Uint8Array; extra?: Zippable };

export function projectArchive(o: ArchiveOptions = {}): Buffer {
  const datasetId = o.datasetId ?? 'dataset-imported';
  const runId = o.runId ?? 'run-imported';
  const checkpointId = 'ckpt-imported';
  const manifest = {
    format: 'finetune-studio-project', schemaVersion: 1, exportedAt: 1,
    dataset: { id: datasetId, name: 'imported.csv', sizeBytes: 900, storedBytes: 900, createdAt: 1, contentHash: 'ab'.repeat(32), rowCount: ROWS.length, header: ['text', 'label'], columns: { textColumn: 0, labelColumn: 1 }, report: null, split: null },
    runs: [{ id: runId, datasetId, name: 'imported run', config: { modelId: 'studio-mini-bert', backend: 'wasm', seed: 1, hyperparameters: {} }, status: 'finished', statusMessage: null, diagnostics: [], timing: { createdAt: 1, updatedAt: 2, finishedAt: 2, activeMs: 1 } }],
    checkpoints: [{ id: checkpointId, runId, step: 3, kind: 'periodic', createdAt: 2, sizeBytes: 10, metric: null }],
  };
  const weights = serializeSafetensors({ w: { shape: [2], data: Float32Array.from([0.5, -0.5]) } }, { format: 'pt' });
  const optimizer = serializeSafetensors({ 'w.exp_avg': { shape: [2], data: new Float32Array(2) }, 'w.exp_avg_sq': { shape: [2], data: new Float32Array(2) } }, { steps: '{"w":3}' });
  const adapter = zipSync({ 'adapter_config.json': strToU8('{"peft_type":"LORA"}'), 'adapter_model.safetensors': weights });
  return Buffer.from(zipSync({
    [ENTRY.manifest]: strToU8(JSON.stringify(manifest)),
    [ENTRY.datasetRows]: o.rows ?? strToU8(JSON.stringify(ROWS)),
    [ENTRY.datasetSplit]: strToU8(JSON.stringify(o.split ?? { train: [0, 1, 2], validation: [3] })),
    [ENTRY.metrics(runId)]: strToU8('[{"kind":"train","step":1,"epoch":0,"loss":0.7,"learningRate":0.001}]'),
    [ENTRY.adapter(checkpointId)]: [o.adapter ?? adapter, { level: 0 }],
    [ENTRY.optimizer(checkpointId)]: [o.optimizer ?? optimizer, { level: 0 }],
    [ENTRY.checkpointState(checkpointId)]: strToU8('{"dataOrder":null,"rngState":null}'),
    ...o.extra,
  }));
}

export const zipBomb = () => projectArchive({ extra: { 'padding/zeros.bin': [new Uint8Array(256 * 2 ** 20), { level: 9 }] } });
export const dotDotIds = () => projectArchive({ runId: '..' });
export const garbageCheckpoint = () => projectArchive({ adapter: randomBinary(512) });
export const splitPastRows = () => projectArchive({ split: { train: [0, 1], validation: [29, 30, 31] } });
export const rowsOfSpaces = () => projectArchive({ rows: new Uint8Array(512 * 1024).fill(32) });

// ---- local model folders (from the mock hub's micro-bert) ----
const MICRO = path.join(E2E_DIR, 'hub', '.data', 'studio-test', 'micro-bert', 'resolve', 'main');
type PickedFile = { name: string; mimeType: string; buffer: Buffer };

function microFiles(change: { config?: (c: Record<string, unknown>) => void; weights?: (name: string, data: Float32Array) => void }): PickedFile[] {
  return readdirSync(MICRO).map((name) => {
    let buffer = readFileSync(path.join(MICRO, name));
    if (name === 'config.json' && change.config) {
      const c = JSON.parse(buffer.toString()) as Record<string, unknown>;
      change.config(c);
      buffer = Buffer.from(JSON.stringify(c));
    }
    if (name === 'model.safetensors' && change.weights) {
      const parsed = tryParseSafetensors(new Uint8Array(buffer));
      if (!parsed.ok) throw new Error(parsed.error);
      const tensors = Object.fromEntries([...parsed.value.tensors].map(([k, t]) => {
        const data = t.data.slice();
        change.weights!(k, data);
        return [k, { shape: t.shape, data }];
      }));
      buffer = Buffer.from(serializeSafetensors(tensors));
    }
    return { name, mimeType: 'application/octet-stream', buffer };
  });
}

export const nanWeightsModel = () => microFiles({ weights: (name, d) => { if (name.endsWith('attention.self.query.weight')) d[0] = NaN; } });
export const mismatchedConfigModel = () => microFiles({ config: (c) => { c.hidden_size = 48; c.num_attention_heads = 4; } });
export const absurdConfigModel = () => microFiles({ config: (c) => { c.num_hidden_layers = 100000; } });
