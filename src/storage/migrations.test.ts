// Tests for opening and migrating the database: v1 layout, one step at a time, a synthetic v2 step run on
// a copy (fresh in-memory factory), and a failing step that leaves the old version and data in place.
import { afterEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { freshStore, seedRun } from './testSupport';
import { openStudioDb, type StudioStore } from './db';
import { MIGRATIONS, type Migration } from './migrations';
import { DB_NAME, DB_VERSION, INDEXES, STORES } from './schema';
import { getRun, listRuns } from './runs';

/** A synthetic v2: every run gains `tags: []`, and a new `notes` store appears. */
const V2_ADD_TAGS: Migration = {
  toVersion: 2,
  describe: 'runs get tags; a notes store',
  async migrate(db, tx) {
    db.createObjectStore('notes', { keyPath: 'id' });
    const runs = tx.objectStore(STORES.runs);
    for (let cursor = await runs.openCursor(); cursor; cursor = await cursor.continue()) {
      await cursor.update({ ...(cursor.value as object), tags: [] });
    }
  },
};

const opened: StudioStore[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.db.close();
});

describe('openStudioDb', () => {
  it('has one migration per schema version', () => {
    expect(MIGRATIONS.map((m) => m.toVersion)).toEqual(Array.from({ length: DB_VERSION }, (_, i) => i + 1));
  });

  it('creates the v1 stores and indexes, metadata apart from blobs', async () => {
    const store = await freshStore();
    opened.push(store);
    expect(store.db.name).toBe(DB_NAME);
    expect(store.db.version).toBe(1);
    expect([...store.db.objectStoreNames].sort()).toEqual(Object.values(STORES).sort());
    const t = store.db.transaction([STORES.runs, STORES.checkpoints], 'readonly');
    expect([...t.objectStore(STORES.runs).indexNames].sort()).toEqual([INDEXES.runsByDatasetId, INDEXES.runsByStatus].sort());
    expect([...t.objectStore(STORES.checkpoints).indexNames]).toEqual([INDEXES.checkpointsByRunId]);
    await t.done;
  });

  it('upgrades a v1 database with data to a synthetic v2, keeping and transforming the records', async () => {
    const factory = new IDBFactory();
    const v1 = await freshStore({ factory });
    const { run } = await seedRun(v1);
    v1.db.close();

    const v2 = await openStudioDb({ factory, version: 2, migrations: [...MIGRATIONS, V2_ADD_TAGS] });
    opened.push(v2);
    expect(v2.db.version).toBe(2);
    expect([...v2.db.objectStoreNames]).toContain('notes');
    const raw = (await v2.db.get(STORES.runs, run.id)) as unknown as { tags?: unknown };
    expect(raw.tags).toEqual([]);
    // restoreRun still reads the upgraded record.
    expect((await getRun(v2, run.id))?.config.modelId).toBe('tiny-bert');
  });

  it('runs every step in order on a brand-new database (0 → 1 → 2)', async () => {
    const seen: number[] = [];
    const spy = (m: Migration): Migration => ({ ...m, migrate: (db, tx) => (seen.push(m.toVersion), m.migrate(db, tx)) });
    const store = await openStudioDb({ factory: new IDBFactory(), version: 2, migrations: [...MIGRATIONS, V2_ADD_TAGS].map(spy) });
    opened.push(store);
    expect(seen).toEqual([1, 2]);
    expect(await listRuns(store)).toEqual([]);
  });

  it('aborts a failing step: the database stays at v1 with its data', async () => {
    const factory = new IDBFactory();
    const v1 = await freshStore({ factory });
    const { run } = await seedRun(v1);
    v1.db.close();
    const broken: Migration = {
      toVersion: 2,
      describe: 'fails half way',
      migrate(db) {
        db.createObjectStore('notes', { keyPath: 'id' });
        throw new Error('boom in v2');
      },
    };
    await expect(openStudioDb({ factory, version: 2, migrations: [...MIGRATIONS, broken] })).rejects.toThrow('boom in v2');

    const again = await openStudioDb({ factory });
    opened.push(again);
    expect(again.db.version).toBe(1);
    expect([...again.db.objectStoreNames]).not.toContain('notes');
    expect((await getRun(again, run.id))?.id).toBe(run.id);
  });

  it('refuses a version with no migration step', async () => {
    await expect(openStudioDb({ factory: new IDBFactory(), version: 2 })).rejects.toThrow('no migration to schema version 2');
  });
});
