"""A week in Berlin on a frozen clock (SPEC §6): the nudges one low rejection plans,
and how outreach, a break and its end change them. Writes go through the API (which
plans on commit at the real time); reconcile then runs at the frozen moment."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.extensions import db
from backend.models import Nudge
from backend.nudges import reconcile
from tests.helpers import ApiClient

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


def plan_at(app, user_id, moment):
    """Reconcile at a frozen moment; returns {dedupe key: (status, due in Berlin)}."""
    with app.app_context():
        reconcile.reconcile(user_id, now=moment)
        db.session.commit()
        rows = db.session.execute(select(Nudge).where(Nudge.user_id == user_id)).scalars()
        return {n.dedupe_key: (n.status, n.due_at.astimezone(BERLIN)) for n in rows}


def scheduled(plan):
    return {key: due for key, (status, due) in plan.items() if status == "scheduled"}


def test_a_low_rejection_on_a_tuesday_afternoon_in_berlin(app):
    me = ApiClient(app.test_client()).register(timezone="Europe/Berlin")
    user_id = uuid.UUID(me.user["id"])
    # Tuesday 2026-12-08, 15:00 in Berlin: a "no" after the first application, mood 2.
    rejection = me.post("/api/rejections", {"company": "Acme", "stage": "application",
                                            "mood": 2, "received_on": "2026-12-08"}).get_json()
    r = rejection["id"]
    plan = plan_at(app, user_id, berlin(8, 15))
    assert scheduled(plan) == {
        f"support:{r}": berlin(9, 12),        # next day 12:00 (mood <= 3)
        f"break:{r}": berlin(9, 18),          # next day 18:00 (mood <= 2)
        f"reflect:{r}": berlin(10, 19),       # two days after, 19:00
        f"apply:{r}": berlin(11, 10),         # three days after, 10:00
        "big_picture:2026-12-13": berlin(13, 18),  # Sunday 18:00, the week had activity
    }

    # Reaching out that afternoon: the support nudge is no longer wanted.
    sam = me.post("/api/contacts", {"name": "Sam"}).get_json()
    me.post("/api/outreach", {"contact_id": sam["id"], "at": "2026-12-08T16:00:00+01:00"})
    plan = plan_at(app, user_id, berlin(8, 16, 5))
    assert plan[f"support:{r}"][0] == "cancelled"
    assert set(scheduled(plan)) == {f"break:{r}", f"reflect:{r}", f"apply:{r}",
                                    "big_picture:2026-12-13"}

    # Starting a break at 17:00: job-search nudges stop; only the weekly summary stays.
    started = me.post("/api/breaks", {"started_at": "2026-12-08T17:00:00+01:00",
                                      "activities": ["walk"], "mood_before": 2}).get_json()
    plan = plan_at(app, user_id, berlin(8, 17, 5))
    assert scheduled(plan) == {"big_picture:2026-12-13": berlin(13, 18)}
    assert plan[f"apply:{r}"][0] == plan[f"break:{r}"][0] == "cancelled"

    # Ending it on Wednesday evening plans the welcome back for the next morning, and
    # the reflection prompt comes back; a break nudge is not wanted after a break.
    assert me.patch(f"/api/breaks/{started['id']}", {"ended_at": "2026-12-09T20:00:00+01:00",
                                                    "mood_after": 4}).status_code == 200
    plan = plan_at(app, user_id, berlin(9, 20, 5))
    assert scheduled(plan) == {
        f"apply:break:{started['id']}": berlin(10, 10),  # the morning after, 10:00
        f"reflect:{r}": berlin(10, 19),
        "big_picture:2026-12-13": berlin(13, 18),
    }
    assert plan[f"break:{r}"][0] == "cancelled" and plan[f"apply:{r}"][0] == "cancelled"
