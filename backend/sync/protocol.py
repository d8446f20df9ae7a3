"""The sync protocol's pure parts: request and response schemas, per-mutation
checks, error codes and the ordering of pulled changes (SPEC §5).

Nothing here touches Flask or the database, so it is tested on plain data.
"""
import uuid
from dataclasses import dataclass

import marshmallow as ma
from marshmallow import fields, validate

from ..exceptions import ApiError, Conflict, Forbidden, Gone, Invalid, NotFound, flatten

MAX_MUTATIONS = 500
MAX_LIMIT = 1000
DEFAULT_LIMIT = 500
OPS = ("upsert", "delete")


class MutationSchema(ma.Schema):
    """One item of `mutations`. Only `mutation_id` is checked for the whole request;
    every other problem is reported per mutation in `rejected`."""

    class Meta:
        unknown = ma.EXCLUDE

    mutation_id = fields.UUID(required=True, metadata={
        "description": "Client-made UUID; a mutation id already applied is not applied again."})
    entity = fields.Raw(allow_none=True, metadata={
        "type": "string", "description": "An entity name, e.g. rejections."})
    op = fields.Raw(allow_none=True, metadata={"type": "string", "enum": list(OPS)})
    id = fields.Raw(allow_none=True, metadata={
        "type": "string", "format": "uuid",
        "description": "The record's id (the client makes it on create)."})
    fields_ = fields.Raw(data_key="fields", attribute="fields", allow_none=True, metadata={
        "type": "object", "description": "upsert: the fields to set (field-level merge)."})


class SyncRequestSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    cursor = fields.Integer(strict=True, allow_none=True, load_default=None,
                            validate=validate.Range(min=0), metadata={
                                "description": "The `cursor` of the last response; null on a "
                                               "first sync. At most the user's current version."})
    mutations = fields.List(fields.Nested(MutationSchema), load_default=list,
                            validate=validate.Length(max=MAX_MUTATIONS))
    limit = fields.Integer(strict=True, load_default=DEFAULT_LIMIT,
                           validate=validate.Range(1, MAX_LIMIT))


class MutationErrorSchema(ma.Schema):
    code = fields.String(required=True, metadata={"enum": [
        "validation_error", "unknown_entity", "unknown_op", "not_found", "gone", "forbidden",
        "conflict"]})
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields", keys=fields.String(),
                          values=fields.List(fields.String()))


class RejectedSchema(ma.Schema):
    mutation_id = fields.UUID(required=True)
    error = fields.Nested(MutationErrorSchema, required=True)


class ChangeSchema(ma.Schema):
    entity = fields.String(required=True)
    id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    deleted = fields.Boolean(required=True)
    data = fields.Dict(allow_none=True, required=True, metadata={
        "description": "The record as GET /api/<entity>/<id> shows it; null for a tombstone."})


class SyncResponseSchema(ma.Schema):
    applied = fields.List(fields.UUID(), required=True)
    rejected = fields.List(fields.Nested(RejectedSchema), required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)
    cursor = fields.Integer(required=True)
    has_more = fields.Boolean(required=True)


class MutationError(Exception):
    """A mutation refused on its own; the rest of the request goes on."""

    def __init__(self, code, message, fields=None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields

    def as_dict(self):
        body = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


@dataclass(frozen=True)
class Mutation:
    mutation_id: uuid.UUID
    entity: str
    op: str
    id: uuid.UUID
    fields: dict


def check_mutation(item, entity_names):
    """The parsed mutation, or MutationError for what can be told without the database.

    `item` is one loaded MutationSchema item (its mutation_id already a UUID).
    """
    entity = item.get("entity")
    if not isinstance(entity, str) or entity not in entity_names:
        raise MutationError("unknown_entity", f"Unknown entity {entity!r}.")
    op = item.get("op")
    if not isinstance(op, str) or op not in OPS:
        raise MutationError("unknown_op", f"Unknown op {op!r}: use upsert or delete.")
    record_id = _uuid(item.get("id"))
    if record_id is None:
        raise MutationError("validation_error", "The record id must be a UUID.",
                            {"id": ["Not a valid UUID."]})
    raw = item.get("fields")
    if op == "delete":
        raw = {}
    elif raw is None:
        raw = {}
    elif not isinstance(raw, dict):
        raise MutationError("validation_error", "`fields` must be an object.",
                            {"fields": ["Not a valid mapping type."]})
    return Mutation(item["mutation_id"], entity, op, record_id, raw)


def _uuid(value):
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def error_of(exc):
    """Turn what the write service raised into a MutationError (None: not ours to turn)."""
    if isinstance(exc, MutationError):
        return exc
    if isinstance(exc, ma.ValidationError):
        return MutationError("validation_error", "Some fields need another look.",
                             flatten(exc.normalized_messages()))
    if isinstance(exc, Gone):
        return MutationError("gone", "This record was deleted; a delete wins over later edits.")
    if isinstance(exc, NotFound):
        return MutationError("not_found", "No such record.")
    if isinstance(exc, Invalid):
        return MutationError("validation_error", exc.message, exc.fields)
    if isinstance(exc, Forbidden):
        return MutationError("forbidden", exc.message, exc.fields)
    if isinstance(exc, Conflict):
        return MutationError("conflict", exc.message)
    if isinstance(exc, ApiError):
        return MutationError(exc.code, exc.message, exc.fields)
    return None


def plan_page(found, limit, upper):
    """Decide one page of a pull from the versions a probe found.

    `found` holds (entity, version) pairs with versions in (cursor, upper],
    ascending, at most limit + 1 of them. Returns (ranges, cursor, has_more):
    for each entity on the page the (lowest, highest) version it has there; the
    next cursor is the last version sent when more remain, else `upper` (the
    user's version when the pull read it), so gaps in the numbering are
    stepped over once.
    """
    ranges = {}
    for entity, version in found[:limit]:
        low, high = ranges.get(entity, (version, version))
        ranges[entity] = (min(low, version), max(high, version))
    if len(found) > limit:
        return ranges, found[limit - 1][1], True
    return ranges, upper, False


def order_changes(per_entity):
    """The changes of every entity in one list, oldest version first."""
    return sorted((c for rows in per_entity for c in rows), key=lambda c: c["version"])
