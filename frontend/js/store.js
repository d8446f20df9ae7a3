// The local store: records and the outbox, on the database of db.js.
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

import { request, withTx, emit, events, getMeta, setMeta, wipe } from './db.js';

export { events, getMeta, setMeta, wipe };

const keyOf = (entity, id) => `${entity}:${id}`;

// ---- reading ------------------------------------------------------------

function view(rec) {
  return { created_at: rec.created, ...rec.data, id: rec.id, _rejected: rec.rejected, _local: rec.base === null, _server: rec.base,
    _others: rec.others ?? {} };
}

// Free-text fields: a person's own words, never silently replaced (issue 13).
export const TEXT_FIELDS = new Set(['feelings', 'went_well', 'do_differently', 'lessons', 'reframe', 'feedback', 'notes', 'note']);

export async function list(entity) {
  const rows = await withTx(['records'], 'readonly', (tx) =>
    request(tx.objectStore('records').index('entity').getAll(entity)));
  return rows.filter((r) => !r.removed).map(view);
}

export async function get(entity, id) {
  const rec = await withTx(['records'], 'readonly', (tx) =>
    request(tx.objectStore('records').get(keyOf(entity, id))));
  return rec && !rec.removed ? view(rec) : null;
}

// Local writes still in their transaction: already "waiting" for the status line.
let writing = 0;

export async function pendingCount() {
  return writing + await withTx(['outbox'], 'readonly', (tx) => request(tx.objectStore('outbox').count()));
}

// ---- merging ------------------------------------------------------------

// Rebuilds what the app shows for one record: the server copy, then the
// refused fields (so the user sees what was refused), then pending edits.
async function recompute(tx, rec) {
  const pending = await request(tx.objectStore('outbox').index('record').getAll(rec.key));
  pending.sort((a, b) => a.seq - b.seq);
  const data = { ...(rec.base ?? {}) };
  for (const r of rec.rejected) Object.assign(data, r.fields);
  let removed = false;
  for (const m of pending) {
    if (m.op === 'delete') removed = true;
    else Object.assign(data, m.fields);
  }
  rec.data = data;
  rec.removed = removed;
  // Another version that now equals what is shown needs no choice.
  for (const [field, text] of Object.entries(rec.others ?? {})) {
    if ((data[field] ?? '') === text) delete rec.others[field];
  }
  if (rec.base === null && !pending.length && !rec.rejected.length) {
    await request(tx.objectStore('records').delete(rec.key));
  } else {
    await request(tx.objectStore('records').put(rec));
  }
}

function blank(entity, id) {
  return { key: keyOf(entity, id), entity, id, base: null, version: 0, data: {}, rejected: [], removed: false, created: new Date().toISOString() };
}

// ---- writing ------------------------------------------------------------

// A local edit: applied to the record at once and queued for the server.
// Consecutive edits of one record share a mutation until it is sent.
export async function save(entity, id, fields) {
  id ??= crypto.randomUUID();
  writing += 1; // counted as waiting from the first moment, before the transaction
  emit('writing');
  try {
    await saveTx(entity, id, fields);
  } finally {
    writing -= 1;
  }
  emit('change', { entity, id });
  emit('write');
  return id;
}

async function saveTx(entity, id, fields) {
  await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
    const records = tx.objectStore('records');
    const outbox = tx.objectStore('outbox');
    const key = keyOf(entity, id);
    const rec = (await request(records.get(key))) ?? blank(entity, id);
    for (const r of rec.rejected) for (const f of Object.keys(fields)) delete r.fields[f];
    rec.rejected = rec.rejected.filter((r) => Object.keys(r.fields).length);
    const cursor = await request(outbox.openCursor(null, 'prev'));
    const last = cursor?.value;
    // Never merge into a mutation that was handed to a sync (by any tab).
    if (last && last.record === key && last.op === 'upsert' && !last.sending && !last.hold_until) {
      last.fields = { ...last.fields, ...fields };
      await request(outbox.put(last));
    } else {
      await request(outbox.add({ mutation_id: crypto.randomUUID(), entity, op: 'upsert', id, fields: { ...fields }, record: key }));
    }
    await recompute(tx, rec);
  });
}

// Several records of one entity in one transaction: `changes` is
// [{ id?, fields }] (a missing id makes a new record). An import writes
// its rows this way, a chunk at a time. With `holdMs` the edits wait in the
// outbox like a delete does, and the returned function takes them back
// while they still wait ("Undo"); without it, it returns the ids.
export async function saveMany(entity, changes, { holdMs = 0 } = {}) {
  const holdUntil = holdMs ? Date.now() + holdMs : undefined;
  writing += 1;
  emit('writing');
  let seqs;
  const ids = changes.map((c) => c.id ?? crypto.randomUUID());
  try {
    seqs = await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
      const added = [];
      for (const [i, { fields }] of changes.entries()) {
        const key = keyOf(entity, ids[i]);
        const rec = (await request(tx.objectStore('records').get(key))) ?? blank(entity, ids[i]);
        for (const r of rec.rejected) for (const f of Object.keys(fields)) delete r.fields[f];
        rec.rejected = rec.rejected.filter((r) => Object.keys(r.fields).length);
        added.push(await request(tx.objectStore('outbox').add({
          mutation_id: crypto.randomUUID(), entity, op: 'upsert', id: ids[i], fields: { ...fields }, record: key,
          ...(holdUntil ? { hold_until: holdUntil } : {}),
        })));
        await recompute(tx, rec);
      }
      return added;
    });
  } finally {
    writing -= 1;
  }
  emit('change', { entity });
  emit('write', holdMs ? { after: holdMs } : undefined);
  if (!holdMs) return ids;
  return async () => {
    const undone = await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
      const held = [];
      for (const seq of seqs) {
        const m = await request(tx.objectStore('outbox').get(seq));
        if (!m || m.sending) return false; // already on its way: too late
        held.push(m);
      }
      for (const m of held) {
        await request(tx.objectStore('outbox').delete(m.seq));
        const rec = await request(tx.objectStore('records').get(m.record));
        if (rec) await recompute(tx, rec);
      }
      return true;
    });
    emit('change', { entity });
    return undone;
  };
}

// Deletes wait in the outbox for `holdMs` so "Undo" can take them back.
// Returns a function that undoes the delete while it is still held.
export async function remove(entity, id, holdMs = 5000) {
  const key = keyOf(entity, id);
  const seq = await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
    const rec = await request(tx.objectStore('records').get(key));
    if (!rec) return null;
    const s = await request(tx.objectStore('outbox').add({
      mutation_id: crypto.randomUUID(), entity, op: 'delete', id, fields: {}, record: key,
      hold_until: Date.now() + holdMs,
    }));
    await recompute(tx, rec);
    return s;
  });
  emit('change', { entity, id });
  emit('write', { after: holdMs });
  return async () => {
    if (seq === null) return false;
    const undone = await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
      const m = await request(tx.objectStore('outbox').get(seq));
      if (!m || m.sending) return false;
      await request(tx.objectStore('outbox').delete(seq));
      const rec = await request(tx.objectStore('records').get(key));
      if (rec) await recompute(tx, rec);
      return true;
    });
    emit('change', { entity, id });
    return undone;
  };
}

// Drops what the server refused for a record and shows the server's copy again.
export async function discardRejected(entity, id) {
  await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
    const rec = await request(tx.objectStore('records').get(keyOf(entity, id)));
    if (!rec) return;
    rec.rejected = [];
    await recompute(tx, rec);
  });
  emit('change', { entity, id });
}

// ---- sync support -------------------------------------------------------

// The next mutations to send, in order, stopping at the first held delete.
// Each is marked `sending`, so no later edit is merged into it.
export async function nextBatch(maxCount = 200, maxBytes = 200_000) {
  return withTx(['outbox'], 'readwrite', async (tx) => {
    const outbox = tx.objectStore('outbox');
    const all = await request(outbox.getAll());
    const batch = [];
    let bytes = 0;
    for (const m of all) {
      if (m.hold_until && m.hold_until > Date.now()) break;
      const size = JSON.stringify(m.fields).length + 200;
      if (batch.length >= maxCount || (batch.length && bytes + size > maxBytes)) break;
      batch.push(m);
      bytes += size;
    }
    for (const m of batch) {
      if (!m.sending) await request(outbox.put({ ...m, sending: true }));
    }
    return batch;
  });
}

export async function nextHold() {
  return withTx(['outbox'], 'readonly', async (tx) => {
    const all = await request(tx.objectStore('outbox').getAll());
    return all.find((m) => m.hold_until && m.hold_until > Date.now())?.hold_until ?? null;
  });
}

// Applies one /api/sync answer: sent mutations leave the outbox, refused
// ones are kept on their record, pulled changes become each record's base
// with still-pending local edits re-applied on top.
export async function applySync(batch, res) {
  const touched = new Set();
  await withTx(['records', 'outbox', 'meta'], 'readwrite', async (tx) => {
    const records = tx.objectStore('records');
    const outbox = tx.objectStore('outbox');
    const refused = new Map(res.rejected.map((r) => [r.mutation_id, r.error]));
    const dirty = new Map();
    const load = async (key) => {
      if (!dirty.has(key)) dirty.set(key, (await request(records.get(key))) ?? null);
      return dirty.get(key);
    };
    for (const m of batch) {
      await request(outbox.delete(m.seq));
      const rec = await load(m.record);
      const error = refused.get(m.mutation_id);
      if (!rec) continue;
      if (error) {
        if (error.code !== 'gone' && m.op === 'upsert') rec.rejected.push({ mutation_id: m.mutation_id, fields: m.fields, error });
      } else if (m.op === 'upsert') {
        // Applied: the server now holds these fields, even before its copy is pulled.
        rec.base = { ...(rec.base ?? {}), ...m.fields };
      } else {
        await request(records.delete(m.record));
        dirty.set(m.record, null);
      }
    }
    for (const c of res.changes) {
      const key = keyOf(c.entity, c.id);
      if (c.deleted) {
        // A tombstone wins over any local edit.
        for (const seq of await request(outbox.index('record').getAllKeys(key))) {
          await request(outbox.delete(seq));
        }
        await request(records.delete(key));
        dirty.set(key, null);
      } else {
        const rec = (await load(key)) ?? blank(c.entity, c.id);
        await keepOtherVersions(outbox, rec, c.data);
        rec.base = c.data;
        rec.version = c.version;
        dirty.set(key, rec);
      }
      touched.add(c.entity);
    }
    for (const rec of dirty.values()) {
      if (rec) {
        await recompute(tx, rec);
        touched.add(rec.entity);
      }
    }
    await request(tx.objectStore('meta').put(res.cursor, 'cursor'));
  });
  for (const entity of touched) emit('change', { entity });
}

// A pulled copy that changed a free-text field under a pending edit of the
// same field: another device wrote it meanwhile. The pending edit stays (it
// is sent and, as the later arrival, wins: SPEC §5), and the other device's
// text is kept beside it as "your other version" so neither is lost. Sync
// pulls before it sends such an edit (sync.js), so this sees the other text.
async function keepOtherVersions(outbox, rec, incoming) {
  if (!rec.base) return;
  const pending = await request(outbox.index('record').getAll(rec.key));
  for (const m of pending) {
    if (m.op !== 'upsert') continue;
    for (const [field, mine] of Object.entries(m.fields)) {
      const theirs = incoming[field];
      if (!TEXT_FIELDS.has(field) || typeof theirs !== 'string' || !theirs.trim()) continue;
      if (theirs !== (rec.base[field] ?? null) && theirs !== mine) rec.others = { ...rec.others, [field]: theirs };
    }
  }
}

// True when a pending edit of a free-text field waits for a record the
// server already has: sync pulls first, so a concurrent edit is seen.
export async function pendingTextEdit() {
  return withTx(['records', 'outbox'], 'readonly', async (tx) => {
    const records = tx.objectStore('records');
    for (const m of await request(tx.objectStore('outbox').getAll())) {
      if (m.op !== 'upsert' || m.sending || !Object.keys(m.fields).some((f) => TEXT_FIELDS.has(f))) continue;
      if ((await request(records.get(m.record)))?.base) return true;
    }
    return false;
  });
}

// The person chose between their two versions of a field: `keep` is the
// text to save (or null to drop the other one and keep what is shown).
export async function resolveOther(entity, id, field, keep = null) {
  await withTx(['records', 'outbox'], 'readwrite', async (tx) => {
    const rec = await request(tx.objectStore('records').get(keyOf(entity, id)));
    if (!rec?.others || !(field in rec.others)) return;
    delete rec.others[field];
    await request(tx.objectStore('records').put(rec));
  });
  if (keep !== null) await save(entity, id, { [field]: keep });
  else emit('change', { entity, id });
}
