"""The one query for "this user's live rows" of a synced table (tombstones left out)."""
from sqlalchemy import select


def live(model, user_id, *columns):
    """`SELECT <columns or the model> FROM <model>` of the user's rows that are not deleted."""
    what = [getattr(model, name) for name in columns] if columns else [model]
    return select(*what).where(model.user_id == user_id, model.deleted_at.is_(None))
