"""The local store upgrades in numbered steps: a device still holding a
version 1 database (no outbox index) opens it, keeps its records and its
pending change, and sends that change."""

from playwright.sync_api import expect

MAKE_V1 = """async ({ user, id }) => {
  await new Promise((ok, fail) => {
    const r = indexedDB.deleteDatabase('rebound');
    r.onsuccess = ok; r.onerror = fail; r.onblocked = () => fail(new Error('blocked'));
  });
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('rebound', 1);
    r.onupgradeneeded = () => {  // exactly the app's step 1
      const d = r.result;
      d.createObjectStore('records', { keyPath: 'key' }).createIndex('entity', 'entity');
      d.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      d.createObjectStore('meta');
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const key = `rejections:${id}`;
  const fields = { company: 'Kept From V1', received_on: '2026-11-20', emotions: [] };
  const tx = db.transaction(['records', 'outbox', 'meta'], 'readwrite');
  tx.objectStore('meta').put(user, 'user');
  tx.objectStore('records').put({ key, entity: 'rejections', id, base: null, version: 0, data: fields,
                                  rejected: [], removed: false, created: new Date().toISOString() });
  tx.objectStore('outbox').add({ mutation_id: crypto.randomUUID(), entity: 'rejections', op: 'upsert',
                                 id, fields, record: key });
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
}"""

STORE_SHAPE = """async () => {
  const db = await new Promise((ok) => { const r = indexedDB.open('rebound'); r.onsuccess = () => ok(r.result); });
  const shape = { version: db.version, outboxIndexes: [...db.transaction('outbox').objectStore('outbox').indexNames] };
  db.close();
  return shape;
}"""

def test_a_version_1_store_is_upgraded_and_its_pending_change_sent(rebound):
    tab = rebound.tab(service_workers="block")  # so a non-app URL is not answered with the shell
    page = tab.page
    rebound.sign_up(tab)
    tab.wait_synced()
    user = page.evaluate("async () => (await import('/js/store.js')).getMeta('user')")
    page.goto(tab.base_url + "/manifest.webmanifest")  # same origin, no app running
    record_id = "6f1c0f7e-3c2a-4a7e-9d1b-2f0a5c1e9b00"
    page.evaluate(MAKE_V1, {"user": user, "id": record_id})

    tab.goto("/rejections")
    expect(page.get_by_role("list", name="Your rejections")).to_contain_text("Kept From V1")
    assert page.evaluate(STORE_SHAPE) == {"version": 2, "outboxIndexes": ["record"]}
    tab.wait_synced()
    [saved] = tab.api("/api/rejections")
    assert (saved["id"], saved["company"]) == (record_id, "Kept From V1")
    assert not tab.errors
