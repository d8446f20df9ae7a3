"""A user's settings (SPEC §4): the defaults and the key-by-key merge.

Pure: no Flask, no database. `User.settings` stores only what the user
changed; reading merges it over the defaults, so a new setting gets its
default for everyone.
"""
import copy

DEFAULT_SETTINGS = {
    "quiet_start": "21:00",
    "quiet_end": "08:00",
    "max_nudges_per_day": 2,
    "max_nudges_per_week": 6,
    "weekly_application_goal": 5,
    "ghost_after_days": 30,
    "nudge_kinds": {"break": True, "support": True, "apply": True, "feedback": True,
                    "reflect": True, "big_picture": True},
    "detailed_notifications": False,
}


def merge_settings(current, changes):
    """`changes` over `current`, key by key (and one level down: `nudge_kinds` kind by kind)."""
    merged = copy.deepcopy(current)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def settings_of(user):
    """The user's settings over the defaults (new keys get their default)."""
    return merge_settings(DEFAULT_SETTINGS, user.settings or {})
