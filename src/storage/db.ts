// Opens the studio database (the only indexedDB.open in the app; worker only) and the one tx() helper.
// The IDBFactory and id generator are injectable so tests run on fake-indexeddb.
import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { isQuotaExceededError } from './errors';
import { MIGRATIONS, runMigrations, type Migration, type UpgradeDb, type UpgradeTx } from './migrations';
import { DB_NAME, DB_VERSION, type StoreName, type StudioSchema } from './schema';

export type StudioDb = IDBPDatabase<StudioSchema>;

/** What every repository function takes: the open database and how new ids are made. */
export type StudioStore = { db: StudioDb; newId: () => string };

export type OpenOptions = {
  factory?: IDBFactory;
  newId?: () => string;
  /** Test-only overrides, to exercise a synthetic next migration on a copy. */
  name?: string;
  version?: number;
  migrations?: readonly Migration[];
};

export async function openStudioDb(options: OpenOptions = {}): Promise<StudioStore> {
  const { factory = indexedDB, newId = () => crypto.randomUUID(), name = DB_NAME, version = DB_VERSION, migrations = MIGRATIONS } = options;
  const request = factory.open(name, version);
  let upgradeFailure: unknown = null;
  request.addEventListener('upgradeneeded', (event) => {
    const upgradeTx = request.transaction as IDBTransaction;
    const wrappedTx = wrap(upgradeTx) as unknown as UpgradeTx;
    // An aborted upgrade surfaces through the open request below; keep its done promise from going unhandled.
    wrappedTx.done.catch(() => undefined);
    runMigrations(wrap(request.result) as UpgradeDb, wrappedTx, event.oldVersion, event.newVersion ?? version, migrations).catch((e: unknown) => {
      upgradeFailure = e;
      upgradeTx.abort();
    });
  });
  try {
    const db = (await wrap(request)) as unknown as StudioDb;
    // Another tab wants a newer schema: let it upgrade; this connection's next use fails and the worker reopens.
    db.addEventListener('versionchange', () => db.close());
    return { db, newId };
  } catch (e) {
    throw upgradeFailure ?? e;
  }
}

type Mode = 'readonly' | 'readwrite';
export type StudioTx<S extends readonly StoreName[], M extends Mode> = IDBPTransaction<StudioSchema, S, M>;

/**
 * Runs `body` in one transaction over `stores` and resolves once it has committed. If `body` throws, the
 * transaction is aborted (nothing it wrote stays) and the error is rethrown. `body` may await only requests
 * of this transaction: awaiting anything else (hashing, fetch) lets IndexedDB commit it early.
 */
export async function tx<const S extends readonly StoreName[], M extends Mode, T>(
  db: StudioDb,
  stores: S,
  mode: M,
  body: (t: StudioTx<S, M>) => Promise<T>,
): Promise<T> {
  const t = db.transaction(stores, mode);
  try {
    const value = await body(t);
    await t.done;
    return value;
  } catch (e) {
    try {
      t.abort();
    } catch {
      // Already committed or aborted by the failing request.
    }
    await t.done.catch(() => undefined);
    // A quota failure at commit aborts the transaction with its own error, while the awaited request may
    // only say AbortError: report the transaction's quota error so it maps to code 'quota'.
    throw isQuotaExceededError(t.error) ? t.error : e;
  }
}
