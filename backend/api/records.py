"""REST resources of the synced records: one blueprint per entity, all the same shape.

Views only parse, call the write service (services.records) and commit. Lists are
read by services.lists, already in the shape the schema documents.
"""
from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_required
from .blueprint import Blueprint

from ..extensions import db
from ..services import lists, nudge_marks, records

PAGING = {"page_size": 50, "max_page_size": 500}


def blueprint_for(ent):
    if not ent.client_writes:
        return _marks_blueprint(ent)
    blp = Blueprint(ent.name, __name__, url_prefix=f"/api/{ent.name}",
                    description=f"The user's {ent.name}")
    schema_cls = type(ent.schema)
    label = ent.name.replace("_", " ")

    @blp.route("")
    class Collection(MethodView):
        decorators = [login_required]

        @blp.doc(summary=f"List {label}, newest first")
        @blp.response(200, schema_cls(many=True))
        @blp.paginate(**PAGING)
        def get(self, pagination_parameters):
            return _page(ent, pagination_parameters)

        @blp.doc(summary=f"Create one of the {label}")
        @blp.arguments(schema_cls())
        @blp.response(201, schema_cls())
        def post(self, values):
            record_id = values.pop("id", None)
            row = records.create(current_user, ent.name, values, record_id)
            db.session.commit()
            return row

    @blp.route("/<uuid:record_id>")
    class Item(MethodView):
        decorators = [login_required]

        @blp.doc(summary=f"Show one of the {label}")
        @blp.response(200, schema_cls())
        def get(self, record_id):
            return records.get_owned(ent.model, current_user.id, record_id)

        @blp.doc(summary=f"Change some fields of one of the {label}")
        @blp.arguments(schema_cls(partial=True, exclude=("id",)))
        @blp.response(200, schema_cls())
        def patch(self, values, record_id):
            row = records.update(current_user, ent.name, record_id, values)
            db.session.commit()
            return row

        @blp.doc(summary=f"Delete one of the {label} (it leaves a tombstone for sync)")
        @blp.response(204)
        def delete(self, record_id):
            records.delete(current_user, ent.name, record_id, twice_ok=False)
            db.session.commit()

    return blp


def _marks_blueprint(ent):
    """Nudges: written by the server; clients list, read and mark them."""
    blp = Blueprint("nudges", __name__, url_prefix="/api/nudges",
                    description="Reminders the server plans; clients read and mark them")
    schema_cls = type(ent.schema)

    @blp.route("")
    class Collection(MethodView):
        decorators = [login_required]

        @blp.response(200, schema_cls(many=True))
        @blp.paginate(**PAGING)
        def get(self, pagination_parameters):
            """List nudges, newest first"""
            return _page(ent, pagination_parameters)

    @blp.route("/<uuid:record_id>")
    class Item(MethodView):
        decorators = [login_required]

        @blp.response(200, schema_cls())
        def get(self, record_id):
            """Show one nudge"""
            return records.get_owned(ent.model, current_user.id, record_id)

        @blp.arguments(type(nudge_marks.MARKS)())
        @blp.response(200, schema_cls())
        def patch(self, marks, record_id):
            """Mark a nudge read or dismissed, or snooze it 1-7 days"""
            row = nudge_marks.mark(current_user, record_id, marks)
            db.session.commit()
            return row

    return blp


def _page(ent, paging):
    """The page as a response of its own: the records come as the schema dumps them
    (services.lists), and flask-smorest passes a response through without a second
    dump; its pagination header is added all the same."""
    items, paging.item_count = lists.page(ent.name, current_user.id, paging.first_item,
                                          paging.page_size)
    return current_app.json.response(items)
