"""marshmallow schemas: request validation and the OpenAPI document."""
from .common import ErrorSchema


def schema_name_resolver(schema):
    """Name schema variants apart (partial, excluded fields) so apispec does not warn."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type):
        if schema.partial:
            name += "Patch"
        elif schema.exclude:
            name += "Fields"
    return name


__all__ = ["ErrorSchema", "schema_name_resolver"]
