"""Engine settings per database."""
from sqlalchemy import event

from .extensions import db


def configure_engine(app):
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record):
    # Foreign keys are off by default in SQLite; WAL lets the web and worker
    # processes read while one of them writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
