"""A demo account with about three months of realistic activity (`flask demo create`).

Every record goes through the write service, as a person's would, with dates
relative to today so the charts are full whenever it runs. The few things a
person cannot write (how long ago a status changed, nudges already sent or
read) are set on the fresh rows directly, with their versions stamped. The
caller commits; reconcile then plans the nudges that are still ahead.
"""
import random
import secrets
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..extensions import db
from ..models import Nudge, utcnow
from ..versions import stamp
from . import accounts, records

DEMO_EMAIL = "demo@rebound.example"
DAYS = 91
ROLES = ["Product designer", "UX researcher", "Service designer", "Design lead",
         "Content designer", "Interaction designer"]
COMPANIES = ["Northwind", "Globex", "Initech", "Umbrella Health", "Stark Mobility", "Wayne Foods",
             "Hooli", "Vandelay", "Soylent Labs", "Cyberdyne", "Tyrell Studio", "Aperture",
             "Monarch Bank", "Oscorp Energy", "Gringotts", "Pied Piper", "Dunder Paper",
             "Acme Travel", "Blue Sun", "Massive Dynamic", "Wonka Retail", "Zorg Logistics",
             "Virtucon", "Nakatomi"]
# Rejections logged without an application of their own:
UNTRACKED = ["Lumon", "Vehement", "Prestige Worldwide", "Bluth Co"]
SOURCES = ["LinkedIn", "company site", "referral", "recruiter", "job board"]
EMOTIONS = ["disappointed", "frustrated", "sad", "anxious", "numb", "relieved", "hopeful",
            "motivated", "embarrassed", "angry"]
FEELINGS = [
    "I really wanted this one. It stings more than I expected.",
    "Honestly a bit relieved; the commute would have been long.",
    "Tired of waiting weeks just to hear no.",
    "I thought the interview went well, so this came out of nowhere.",
    "It’s fine. I’ll get there.",
]
REFLECTIONS = [
    ("I explained my research process clearly.", "Bring one portfolio piece I can go deep on.",
     "Ask what success looks like in the first 90 days."),
    ("The take-home was solid work.", "Time-box the take-home to what they asked for.",
     "A smaller, finished piece beats a big, rushed one."),
    ("I stayed calm when the panel pushed back.", "Prepare a short story about a failure.",
     "They want to hear how I handle disagreement."),
    ("Good rapport with the hiring manager.", "Research the team’s recent launches first.",
     "Specific questions show real interest."),
]
CONTACTS = [
    {"name": "Maya", "relationship": "friend", "channel": "sms", "handle": "+44 7700 900123",
     "check_in_every_days": 7},
    {"name": "Dad", "relationship": "family", "channel": "phone", "handle": "+44 20 7946 0958"},
    {"name": "Priya (mentor)", "relationship": "mentor", "channel": "email",
     "handle": "priya@example.org", "check_in_every_days": 14},
    {"name": "Job club", "relationship": "peer", "channel": "other"},
]


def create(email=DEMO_EMAIL, password=None, timezone="Europe/London", seed=7):
    """Make (or make again) the demo account; returns (user, password)."""
    existing = accounts.find_by_email(email)
    if existing is not None:
        accounts.remove(existing)
        db.session.flush()
    password = password or secrets.token_urlsafe(12)
    user = accounts.register(email, password, "Alex", timezone)
    accounts.update_profile(user, {"settings": {"weekly_application_goal": 4}})
    builder = _Builder(user, random.Random(seed))
    builder.all()
    return user, password


def _slug(name):
    return name.lower().replace(" ", "-")


class _Builder:
    def __init__(self, user, rng):
        self.user, self.rng = user, rng
        self.zone = ZoneInfo(user.timezone)
        self.today = datetime.now(self.zone).date()

    def day(self, days_ago):
        return self.today - timedelta(days=days_ago)

    def moment(self, days_ago, hour, minute=0):
        local = datetime.combine(self.day(days_ago), time(hour, minute), self.zone)
        return min(local, datetime.now(self.zone) - timedelta(minutes=5))

    def add(self, entity, **values):
        return records.create(self.user, entity, values)

    def all(self):
        applications = self.applications()
        self.rejections(applications)
        self.breaks()
        contacts = [self.add("contacts", **contact) for contact in CONTACTS]
        self.outreach(contacts)
        self.checkins()
        self.nudges()

    def applications(self):
        rng, made = self.rng, []
        for n, company in enumerate(COMPANIES):
            days_ago = DAYS - 3 - n * 3 - rng.randint(0, 2)
            if days_ago < 1:
                break
            status = ("ghosted" if days_ago > 60 and n % 4 == 0 else
                      "applied" if days_ago < 20 or n % 5 == 1 else
                      rng.choice(["screening", "interviewing", "withdrawn", "applied"]))
            made.append((self.add("applications", company=company, role=rng.choice(ROLES),
                                  source=rng.choice(SOURCES), applied_on=self.day(days_ago),
                                  url=f"https://jobs.example.org/{_slug(company)}",
                                  status=status), days_ago))
        for (row, _ago), status in zip([made[-4], made[-9]], ["offer", "accepted"]):
            records.update(self.user, "applications", row.id, {"status": status})
        for row, days_ago in made:
            if row.status != "applied":
                # How long ago the status changed: a person's history, not today's edit.
                row.status_changed_on = self.day(max(0, days_ago - self.rng.randint(4, 12)))
        return made

    def rejections(self, applications):
        rng = self.rng
        stages = ["application", "screening", "interview", "final_round", "interview",
                  "screening", "application", "interview", "final_round", "offer"]
        linked = [(row, ago) for row, ago in applications if row.status in ("applied", "screening",
                                                                             "interviewing")]
        for n, stage in enumerate(stages):
            row, applied_ago = linked[n % len(linked)] if n < 7 else (None, None)
            received_ago = (max(1, applied_ago - rng.randint(7, 20)) if row
                            else DAYS - 10 - n * 8)
            mood = [2, 3, 1, 2, 4, 3, 2, 3, 2, 4][n]
            well, differently, lessons = REFLECTIONS[n % len(REFLECTIONS)]
            reflected = n % 3 != 2
            feedback = ["received", "requested", "not_requested", "declined"][n % 4]
            values = dict(
                company=row.company if row else rng.choice(UNTRACKED),
                role=row.role if row else rng.choice(ROLES), stage=stage,
                received_on=self.day(received_ago), mood=mood,
                emotions=rng.sample(EMOTIONS, 2), feelings=rng.choice(FEELINGS),
                feedback_status=feedback,
                went_well=well if reflected else None,
                do_differently=differently if reflected else None,
                lessons=lessons if reflected else None,
                thinking_traps=(["personalizing", "overgeneralizing"] if n % 2 == 0 else []),
                reframe=("One no is about one role at one moment, not about me."
                         if n % 2 == 0 else None))
            if feedback in ("requested", "received", "declined"):
                values["feedback_requested_on"] = self.day(max(0, received_ago - 1))
            if feedback == "received":
                values["feedback"] = ("They went with someone who had more fintech experience; "
                                      "they liked my research work.")
            if row is not None:
                values["application_id"] = row.id
            rejection = self.add("rejections", **values)
            if row is not None:
                row.status_changed_on = rejection.received_on

    def breaks(self):
        plans = [(80, 2, ["walk", "friends"], 2, 4), (55, 1, ["sleep", "reading"], 2, 3),
                 (33, 3, ["nature", "walk", "family"], 1, 4), (12, 1, ["hobby", "walk"], 2, 4)]
        for days_ago, length, activities, before, after in plans:
            self.add("breaks", started_at=self.moment(days_ago, 9),
                     planned_end_on=self.day(days_ago - length),
                     ended_at=self.moment(days_ago - length, 18),
                     activities=activities, mood_before=before, mood_after=after,
                     note="Phone off, outside as much as I could.")

    def outreach(self, contacts):
        channels = {c.id: c.channel for c in contacts}
        for n, days_ago in enumerate([84, 78, 70, 61, 54, 47, 40, 31, 24, 17, 10, 4]):
            contact = contacts[n % 3]
            self.add("outreach", contact_id=contact.id, at=self.moment(days_ago, 19),
                     channel=channels[contact.id], mood_after=self.rng.choice([3, 4, 4, 5]),
                     note=self.rng.choice(["Talked it through.", "Coffee, felt lighter after.",
                                           "Quick call, good to hear a voice."]))

    def checkins(self):
        for days_ago in range(DAYS - 1, 0, -3):
            trend = 2 + (DAYS - days_ago) / DAYS * 1.5
            mood = max(1, min(5, round(trend + self.rng.choice([-1, 0, 0, 1]))))
            self.add("checkins", at=self.moment(days_ago, 8, 30), mood=mood,
                     emotions=self.rng.sample(EMOTIONS, 1),
                     note=None if days_ago % 2 else "Slept okay.")

    def nudges(self):
        """Reminders already behind the person, in every state the inbox shows."""
        past = [("reflect", "A moment to reflect?", "What went well, and what would you "
                 "keep for next time?", "/rejections", 40, "sent", True, False),
                ("support", "Someone to talk to?", "A quick message to someone who cares "
                 "can help.", "/support", 30, "sent", False, True),
                ("apply", "Ready for one more application?", "When you feel ready, one "
                 "small step is enough.", "/applications", 20, "sent", False, False),
                ("big_picture", "Your week, in numbers", "3 applications, 1 interview "
                 "reached, 1 break, 2 conversations.", "/insights", 9, "sent", True, False),
                ("feedback", "Ask for feedback?", "A short, friendly email often gets an "
                 "answer.", "/rejections", 25, "failed", False, False),
                ("break", "Time for a break?", "Rest is part of the search.", "/breaks", 15,
                 "cancelled", False, False)]
        for kind, title, body, url, days_ago, status, read, dismissed in past:
            due = self.moment(days_ago, 10).astimezone(ZoneInfo("UTC"))
            nudge = Nudge(user_id=self.user.id, dedupe_key=f"demo:{uuid.uuid4()}", kind=kind,
                          title=title, body=body, url=url, due_at=due, status=status,
                          attempts=1 if status != "cancelled" else 0, created_at=due,
                          sent_at=due if status == "sent" else None,
                          read_at=due + timedelta(hours=2) if read else None,
                          dismissed_at=due + timedelta(hours=1) if dismissed else None)
            stamp(nudge, utcnow())
            db.session.add(nudge)
        db.session.flush()
