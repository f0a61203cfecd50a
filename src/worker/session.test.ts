// The session's owners: a new table drops what was derived from the old one, new columns drop the split, and
// dispose() stops the running job and releases everything.
import { describe, expect, it } from 'vitest';
import { StudioSession, type LoadedTable, type TrainedRun } from './session';

const table = (name: string): LoadedTable => ({
  fileName: name,
  sizeBytes: 10,
  datasetId: null,
  table: { header: ['text', 'label'], rows: [['a', 'x']], rowNumbers: [2], delimiter: ',', errors: [] },
});
const trained = { modelId: 'm', labelNames: ['x'], adapterConfigJson: '{}', adapterSafetensors: new Uint8Array() } satisfies TrainedRun;

describe('StudioSession', () => {
  it('replaceTable sets the columns and split and drops the old audit and adapter', () => {
    const s = new StudioSession();
    s.replaceTable(table('a.csv'), { textColumn: 1, labelColumn: 0 });
    s.split = { train: [0], validation: [] };
    s.audit = {} as never;
    s.trained = trained;
    s.replaceTable(table('b.csv'), { textColumn: 0, labelColumn: 1 }, { train: [], validation: [0] });
    expect(s.table?.fileName).toBe('b.csv');
    expect([s.textColumn, s.labelColumn]).toEqual([0, 1]);
    expect(s.split).toEqual({ train: [], validation: [0] });
    expect(s.audit).toBeNull();
    expect(s.trained).toBeNull();
  });

  it('chooseColumns keeps the table and clears the split', () => {
    const s = new StudioSession();
    s.replaceTable(table('a.csv'), { textColumn: 0, labelColumn: 1 }, { train: [0], validation: [] });
    s.chooseColumns({ textColumn: 1, labelColumn: 0 });
    expect(s.table?.fileName).toBe('a.csv');
    expect([s.textColumn, s.labelColumn]).toEqual([1, 0]);
    expect(s.split).toBeNull();
  });

  it('dispose stops the running job and releases the data, model and adapter', () => {
    const s = new StudioSession();
    s.replaceTable(table('a.csv'), { textColumn: 0, labelColumn: 1 });
    s.trained = trained;
    const job = s.beginJob()!;
    expect(s.beginJob()).toBeNull(); // one job at a time
    s.dispose();
    expect(job.stopped).toBe(true);
    expect(s.table).toBeNull();
    expect(s.trained).toBeNull();
    expect(s.baseModel).toBeNull();
  });
});
