"""One flask-smorest blueprint per resource, all under /api."""
from apispec.ext.marshmallow import MarshmallowPlugin

from ..errors import JsonApi
from ..schemas import schema_name_resolver
from ..services.entities import ENTITIES
from ..sync import api as sync_api
from . import accounts, health, insights, me, push, records

api = JsonApi()


def register(app):
    api.init_app(app, spec_kwargs={
        "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name_resolver)})
    api.spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"],
                    "description": "The session cookie set by register or login."})
    api.spec.components.security_scheme(
        "csrf", {"type": "apiKey", "in": "header", "name": "X-Requested-With",
                 "description": "Must be `rebound` on every POST, PUT, PATCH and DELETE."})
    for blueprint in (health.blp, accounts.blp, me.blp, insights.blp, push.blp):
        api.register_blueprint(blueprint)
    for ent in ENTITIES.values():
        api.register_blueprint(records.blueprint_for(ent))
    api.register_blueprint(sync_api.blp)
