"""The migrations are the schema: they must match the models exactly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, db.metadata) == []


def test_every_synced_table_has_its_sync_columns_and_user_version_index(app):
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db.engine)
        for table in ("applications", "rejections", "breaks", "contacts", "outreach",
                      "checkins", "nudges"):
            columns = {c["name"] for c in inspector.get_columns(table)}
            assert {"id", "user_id", "created_at", "updated_at", "version",
                    "deleted_at"} <= columns, table
            indexes = [tuple(i["column_names"]) for i in inspector.get_indexes(table)]
            assert ("user_id", "version") in indexes, table
