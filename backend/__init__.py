"""Rebound's Flask app: `create_app` wires the parts together and does nothing else."""
import os

from flask import Flask

from . import config, models  # noqa: F401  (models: the tables must be known to Alembic)
from .api import register as register_api
from .auth import init_login
from .cli import register as register_cli
from .database import configure_engine
from .errors import register_error_handlers
from .extensions import compress, db, limiter, migrate
from .frontend import blueprint as frontend
from .json_provider import init_json
from .nudges import reconcile
from .security import register_security

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")


def create_app(overrides=None):
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    config.load(app, overrides)
    register_extensions(app)
    register_blueprints(app)
    register_handlers(app)
    register_commands(app)
    return app


def register_extensions(app):
    init_json(app)
    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    init_login(app)
    limiter.init_app(app)
    compress.init_app(app)
    reconcile.init_app(app)


def register_blueprints(app):
    register_api(app)
    app.register_blueprint(frontend)


def register_handlers(app):
    register_error_handlers(app)
    register_security(app)


def register_commands(app):
    register_cli(app)
