// The database under the local store (store.js): IndexedDB, opened lazily,
// upgraded in numbered steps; its events; the meta key/values (the user, the
// sync cursor, drafts); and wiping it all. Apart from store.js so that a
// signed-out start (session.js, router.js, main.js) loads only this.
//
// records: one row per synced record, key "entity:id":
//   { key, entity, id, base, version, data, rejected, removed, created }
//   base     the server's last copy (null until the server has it)
//   data     what the app shows: base, then refused fields, then pending ones
//   rejected mutations the server refused: [{mutation_id, fields, error}]
//   removed  deleted here, the delete not yet confirmed
//   others   {field: text} another device's text for a free-text field this
//            device was editing too (see applySync); shown until resolved
// outbox: pending mutations in order (autoIncrement seq)
// meta: key/value (user, cursor)

const DB_NAME = 'rebound';
const DB_VERSION = 2;
const STORES = ['records', 'outbox', 'meta'];

export const events = new EventTarget();

let dbPromise = null;

export function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

// Opened on first use and kept open. Another tab that upgrades (or deletes)
// the database sends `versionchange`: this connection closes so that tab can
// go on, and the next use here opens it again.
function open() {
  if (!dbPromise) {
    const opening = connect().catch((err) => {
      if (dbPromise === opening) dbPromise = null;
      throw err;
    });
    dbPromise = opening;
    opening.then((db) => {
      const forget = () => {
        if (dbPromise === opening) dbPromise = null;
      };
      db.onversionchange = () => {
        db.close();
        forget();
      };
      db.onclose = forget; // closed by the browser (storage cleared, disk error)
    }, () => {});
  }
  return dbPromise;
}

// A database already newer than this code (another tab runs a newer version
// of the app) is opened at its own version: steps only ever add, so what
// this code knows is still there.
async function connect() {
  try {
    return await openAt(DB_VERSION);
  } catch (err) {
    if (err.name !== 'VersionError') throw err;
    return openAt();
  }
}

function openAt(version) {
  return new Promise((resolve, reject) => {
    const r = version ? indexedDB.open(DB_NAME, version) : indexedDB.open(DB_NAME);
    r.onupgradeneeded = (event) => upgrade(r.result, r.transaction, event.oldVersion);
    // A connection in another tab has not let go of the old version yet
    // (code too old to close on `versionchange`): say so, and wait.
    r.onblocked = () => emit('blocked');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function upgrade(db, tx, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore('records', { keyPath: 'key' }).createIndex('entity', 'entity');
    db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    db.createObjectStore('meta');
  }
  if (oldVersion < 2) {
    // Step 2: find a record's pending mutations without scanning the outbox.
    tx.objectStore('outbox').createIndex('record', 'record');
  }
}

// A connection that closed between open() and here (a `versionchange` in
// between) cannot start a transaction: open again, once.
async function transaction(names, mode) {
  const opening = open();
  const db = await opening;
  try {
    return db.transaction(names, mode);
  } catch (err) {
    if (err.name !== 'InvalidStateError') throw err;
    if (dbPromise === opening) dbPromise = null;
    return (await open()).transaction(names, mode);
  }
}

export async function withTx(names, mode, fn) {
  const tx = await transaction(names, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error ?? new Error('Transaction aborted'));
  });
  let result;
  try {
    result = await fn(tx);
  } catch (err) {
    try { tx.abort(); } catch { /* already finished */ }
    throw err;
  }
  await done;
  return result;
}

export function emit(type, detail) {
  events.dispatchEvent(new CustomEvent(type, { detail }));
}

// ---- meta -------------------------------------------------------------

export async function getMeta(key) {
  return withTx(['meta'], 'readonly', (tx) => request(tx.objectStore('meta').get(key)));
}

export async function setMeta(key, value) {
  await withTx(['meta'], 'readwrite', (tx) => request(tx.objectStore('meta').put(value, key)));
}

// Sign-out and a different account signing in: nothing of the last user stays.
export async function wipe() {
  await withTx(STORES, 'readwrite', async (tx) => {
    for (const name of STORES) await request(tx.objectStore(name).clear());
  });
  emit('change', {});
}
