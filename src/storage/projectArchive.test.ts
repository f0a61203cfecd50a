// Tests for project export/import: a round trip into another browser's database, an import that collides
// with stored ids (new ids, references remapped), and files that must be refused without writing anything.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { ENTRY } from './archiveFormat';
import { listCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoints';
import { getDatasetRows, listDatasets } from './datasets';
import type { StudioStore } from './db';
import { appendMetrics, listMetrics } from './metrics';
import { exportProject, importProject } from './projectArchive';
import type { MetricPoint, RunRecord } from './records';
import { listRuns, updateRunStatus } from './runs';
import { STORES } from './schema';
import { freshStore, sampleCheckpoint, seedRun } from './testSupport';

const POINTS: MetricPoint[] = [
  { kind: 'train', step: 1, epoch: 0, loss: 0.9, learningRate: 1e-3 },
  { kind: 'eval', step: 1, epoch: 0, valLoss: 0.8, valAccuracy: 0.6 },
];

let source: StudioStore;
let run: RunRecord;
let datasetId: string;
let file: Uint8Array;

beforeEach(async () => {
  source = await freshStore();
  ({
    run,
    dataset: { id: datasetId },
  } = await seedRun(source));
  await appendMetrics(source, run.id, POINTS);
  await writeCheckpoint(source, sampleCheckpoint(run.id, 1, { metric: { name: 'valLoss', value: 0.8, goal: 'min' } }));
  await updateRunStatus(source, run.id, 'paused', { at: 2500, activeMsDelta: 300 });
  const exported = await exportProject(source, datasetId, 123);
  if (!exported.ok) throw new Error(exported.error.message);
  file = exported.value;
});
afterEach(() => source.db.close());

async function snapshot(store: StudioStore) {
  const [dataset] = await listDatasets(store);
  const [r] = await listRuns(store);
  const [c] = await listCheckpoints(store, r.id);
  return {
    dataset: { ...dataset, id: 'x' },
    rows: await getDatasetRows(store, dataset.id),
    run: { ...r, id: 'x', datasetId: 'x' },
    metrics: await listMetrics(store, r.id),
    checkpoint: { ...c, id: 'x', runId: 'x' },
    blob: { ...(await readCheckpoint(store, c.id))!.blob, checkpointId: 'x' },
  };
}

describe('exportProject / importProject', () => {
  it('writes a manifest and binary entries', () => {
    const entries = unzipSync(file);
    expect(Object.keys(entries).sort()).toEqual(expect.arrayContaining([ENTRY.manifest, ENTRY.datasetRows, ENTRY.metrics(run.id)]));
    const manifest = JSON.parse(new TextDecoder().decode(entries[ENTRY.manifest]));
    expect(manifest).toMatchObject({ format: 'finetune-studio-project', schemaVersion: 1, exportedAt: 123 });
    const [checkpoint] = manifest.checkpoints;
    expect(entries[ENTRY.adapter(checkpoint.id)]).toEqual(new Uint8Array(64).fill(1));
  });

  it('round-trips a project into an empty database unchanged', async () => {
    const target = await freshStore();
    const imported = await importProject(target, file);
    expect(imported).toMatchObject({ ok: true, value: { renamed: 0, datasetId } });
    expect(await snapshot(target)).toEqual(await snapshot(source));
    target.db.close();
  });

  it('gives colliding records new ids and remaps their references', async () => {
    const imported = await importProject(source, file);
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.value.renamed).toBe(3);
    expect(imported.value.datasetId).not.toBe(datasetId);
    expect(await listDatasets(source)).toHaveLength(2);
    const copies = await listRuns(source, { datasetId: imported.value.datasetId });
    expect(copies.map((r) => r.id)).toEqual(imported.value.runIds);
    expect(await listMetrics(source, copies[0].id)).toEqual(POINTS);
    expect((await listCheckpoints(source, copies[0].id)).map((c) => c.id)).toEqual(imported.value.checkpointIds);
    // The original is untouched.
    expect(await listMetrics(source, run.id)).toEqual(POINTS);
  });

  it('imports a run that was training as interrupted', async () => {
    await updateRunStatus(source, run.id, 'running', { at: 2600 });
    const exported = await exportProject(source, datasetId, 124);
    const target = await freshStore();
    await importProject(target, exported.ok ? exported.value : new Uint8Array());
    expect((await listRuns(target))[0].status).toBe('interrupted');
    target.db.close();
  });

  it.each<[string, () => Uint8Array, RegExp]>([
    ['not a zip', () => strToU8('hello'), /not a zip/],
    ['no manifest', () => zipSync({ 'a.txt': strToU8('x') }), /not a zip with a readable manifest/],
    ['another format', () => rewriteManifest((m) => ({ ...m, format: 'other' })), /format/],
    ['a newer schema', () => rewriteManifest((m) => ({ ...m, schemaVersion: 99 })), /newer studio/],
    ['a run of another dataset', () => rewriteManifest((m) => ({ ...m, runs: [{ ...m.runs[0], datasetId: 'zz' }] })), /another dataset/],
    ['a missing blob', () => dropEntry((names) => names.find((n) => n.endsWith('adapter.bin'))!), /adapter\.bin is missing/],
    ['a run id with ../', () => renameRun('../../../../etc'), /outside the archive/],
    [
      'a dataset id with ../',
      () => rewriteManifest((m) => ({ ...m, dataset: { ...m.dataset, id: '../x' }, runs: m.runs.map((r: object) => ({ ...r, datasetId: '../x' })) })),
      /not a plain id/,
    ],
    ['an entry name with ..', () => zipSync({ ...unzipSync(file), 'runs/../../x.json': strToU8('1') }), /outside the archive/],
    [
      'a split past the rows',
      () => replaceEntry(ENTRY.datasetSplit, strToU8('{"train":[0,1],"validation":[7]}')),
      /validation list points at row 7, outside the 3 rows/,
    ],
    ['a split with negative or fractional indices', () => replaceEntry(ENTRY.datasetSplit, strToU8('{"train":[0.5],"validation":[]}')), /outside the 3 rows/],
    ['a rows file of spaces', () => replaceEntry(ENTRY.datasetRows, strToU8(' '.repeat(100_000))), /rows\.json is not valid JSON/],
    ['an empty rows list', () => replaceEntry(ENTRY.datasetRows, strToU8('[]')), /holds no rows/],
    ['rows of numbers', () => replaceEntry(ENTRY.datasetRows, strToU8('[1,2,3]')), /row 1 is not a list of texts/],
    ['fewer rows than the record', () => replaceEntry(ENTRY.datasetRows, strToU8('[["a","b"]]')), /holds 1 rows but the dataset record says 3/],
    ['damaged metrics', () => replaceEntry(ENTRY.metrics(run.id), strToU8('[{"step":"x"}]')), /damaged point/],
    ['a zip bomb', () => replaceEntry(ENTRY.datasetRows, new Uint8Array(40 * 2 ** 20).fill(32)), /zip bomb/],
  ])('refuses %s and writes nothing', async (_name, makeFile, message) => {
    const target = await freshStore();
    const r = await importProject(target, makeFile());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-archive');
      expect(r.error.message).toMatch(message);
    }
    for (const name of Object.values(STORES)) expect(await target.db.count(name)).toBe(0);
    target.db.close();
  });

  it('refuses a checkpoint whose blob the caller cannot parse, naming the step, and writes nothing', async () => {
    const target = await freshStore();
    const r = await importProject(target, file, { checkBlob: (blob) => (blob.adapter[0] === 1 ? 'the adapter is not a readable zip' : null) });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-archive', message: expect.stringMatching(/checkpoint at step 1 is unusable: the adapter is not a readable zip/) },
    });
    for (const name of Object.values(STORES)) expect(await target.db.count(name)).toBe(0);
    const accepted = await importProject(target, file, { checkBlob: () => null });
    expect(accepted.ok).toBe(true);
    target.db.close();
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests rewrite arbitrary manifest fields
function rewriteManifest(change: (m: Record<string, any>) => Record<string, unknown>): Uint8Array {
  const entries = unzipSync(file);
  const manifest = JSON.parse(new TextDecoder().decode(entries[ENTRY.manifest]));
  return zipSync({ ...entries, [ENTRY.manifest]: strToU8(JSON.stringify(change(manifest))) });
}

function replaceEntry(name: string, bytes: Uint8Array): Uint8Array {
  return zipSync({ ...unzipSync(file), [name]: [bytes, { level: 9 }] });
}

function renameRun(id: string): Uint8Array {
  const entries = unzipSync(file);
  const manifest = JSON.parse(new TextDecoder().decode(entries[ENTRY.manifest]));
  const old = manifest.runs[0].id as string;
  manifest.runs[0].id = id;
  for (const c of manifest.checkpoints) c.runId = id;
  entries[ENTRY.metrics(id)] = entries[ENTRY.metrics(old)];
  return zipSync({ ...entries, [ENTRY.manifest]: strToU8(JSON.stringify(manifest)) });
}

function dropEntry(pick: (names: string[]) => string): Uint8Array {
  const entries = unzipSync(file);
  delete entries[pick(Object.keys(entries))];
  return zipSync(entries);
}
