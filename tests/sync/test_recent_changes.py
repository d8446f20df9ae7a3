"""A pull answers from the process's recent changes when it can (issue 14): the same
bytes as reading the rows, never a stale record, tombstones and edits included."""
import uuid

from datetime import timedelta

from sqlalchemy import event, select, update

from backend.sync import service
from backend.sync.service import RecentChanges
from tests.factories import mutation

from .helpers import sync


def fresh_pull(client):
    """A pull from a null cursor with the process's recent changes forgotten first."""
    service.RECENT.entries.clear()
    return sync(client)


def test_a_second_pull_answers_from_memory_with_what_the_rows_say(app, signed_in):
    from backend.extensions import db

    ids = [uuid.uuid4() for _ in range(3)]
    sync(signed_in, [mutation("rejections", record_id=i, fields={"company": f"Co {n}"})
                     for n, i in enumerate(ids)])
    sync(signed_in, [mutation("rejections", record_id=ids[1], op="delete")])
    read = fresh_pull(signed_in)  # read from the rows, and kept
    full_reads = []

    def count(_conn, _cursor, statement, *_):
        if "rejections.company" in statement:
            full_reads.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        again = sync(signed_in)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert again == read
    assert full_reads == []  # answered from the recent changes: no full row was read
    tombstone = next(c for c in again["changes"] if c["id"] == str(ids[1]))
    assert tombstone["deleted"] is True and tombstone["data"] is None


def test_an_edit_is_never_answered_with_the_record_as_it_was(signed_in):
    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Sam"})])
    sync(signed_in)  # kept as it is now
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"notes": "from phone"})])
    [contact] = contacts(sync(signed_in))
    assert contact["data"]["notes"] == "from phone"
    assert [contact] == contacts(fresh_pull(signed_in))
    sync(signed_in, [mutation("contacts", record_id=rid, op="delete")])
    [gone] = contacts(sync(signed_in))
    assert gone["deleted"] is True and gone["data"] is None


def test_a_version_reused_after_a_restore_is_read_again(app, signed_in):
    # A database restored from a backup can give a version out again to other content:
    # its updated_at differs, so the kept change does not answer for it.
    from backend.extensions import db
    from backend.models import Contact

    rid = uuid.uuid4()
    sync(signed_in, [mutation("contacts", record_id=rid, fields={"name": "Sam"})])
    sync(signed_in)
    with app.app_context():
        stored = db.session.execute(select(Contact.updated_at).where(Contact.id == rid)).scalar()
        db.session.execute(update(Contact).where(Contact.id == rid).values(
            name="Alex", updated_at=stored + timedelta(seconds=1)))
        db.session.commit()
    [contact] = contacts(sync(signed_in))
    assert contact["data"]["name"] == "Alex"


def test_the_oldest_change_goes_first_when_it_is_full():
    recent = RecentChanges(2)
    recent.put("a", 1)
    recent.put("b", 2)
    recent.put("b", 3)  # a key already kept takes no more room
    recent.put("c", 4)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (None, 3, 4)


def contacts(answer):
    return [c for c in answer["changes"] if c["entity"] == "contacts"]
