"""Rebound's Flask app: `create_app` wires the parts together and does nothing else."""
from flask import Flask

from . import config


def create_app(overrides=None):
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    config.load(app, overrides)
    register_extensions(app)
    register_blueprints(app)
    register_handlers(app)
    register_commands(app)
    return app


def register_extensions(app):
    from . import models  # noqa: F401  (the models must be known to Alembic)
    from .auth import init_login
    from .database import configure_engine
    from .extensions import api, db, limiter, migrate

    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=_migrations_dir())
    init_login(app)
    limiter.init_app(app)
    api.init_app(app, spec_kwargs=_spec_kwargs())


def register_blueprints(app):
    from .api import register as register_api
    from .frontend import blueprint as frontend

    register_api(app)
    app.register_blueprint(frontend)


def register_handlers(app):
    from .errors import register_error_handlers
    from .security import register_security

    register_error_handlers(app)
    register_security(app)


def register_commands(app):
    from .cli import register

    register(app)


def _migrations_dir():
    import os

    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def _spec_kwargs():
    from .schemas import schema_name_resolver

    return {"marshmallow_plugin": _marshmallow_plugin(schema_name_resolver)}


def _marshmallow_plugin(resolver):
    from apispec.ext.marshmallow import MarshmallowPlugin

    return MarshmallowPlugin(schema_name_resolver=resolver)
