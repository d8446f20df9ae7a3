"""A fast serializer for records read back out of the database (already validated).

marshmallow's dump costs far more than the rest of a list or a sync pull (FACTS.md),
so those select only the columns the entity schema sends and convert each value
with a plain function chosen once per field from the schema: the schema stays the
contract, only its dump is skipped. A test checks that the result equals
`entity.schema.dump(row)` for every entity (tests/sync/test_serialize.py).
"""
from datetime import timezone

from marshmallow import fields


def _same(value):
    return value


def _text(value):
    return None if value is None else str(value)


def _moment(value):
    if value is None:
        return None
    if value.tzinfo is not timezone.utc:  # UTCDateTime already reads them back in UTC
        value = value.astimezone(timezone.utc)
    return value.isoformat()


def _day(value):
    return None if value is None else value.isoformat()


def _integer(value):
    return None if value is None else int(value)


def _boolean(value):
    return None if value is None else bool(value)


def _listing(value):
    return None if value is None else list(value)


def converter_for(field):
    """A plain function that turns a column value into what `field` dumps."""
    if isinstance(field, fields.UUID):
        return _text
    if isinstance(field, fields.DateTime):
        if field.format not in (None, "iso", "iso8601"):
            raise TypeError(f"No fast path for {field!r}")
        return _moment
    if isinstance(field, fields.Date):
        if field.format not in (None, "iso", "iso8601"):
            raise TypeError(f"No fast path for {field!r}")
        return _day
    if isinstance(field, fields.Integer):
        return _integer
    if isinstance(field, fields.Boolean):
        return _boolean
    if isinstance(field, fields.String):
        return _same
    if isinstance(field, fields.List) and isinstance(field.inner, (fields.String,)):
        return _listing
    raise TypeError(f"No fast path for {field!r}; add one (and let the test cover it)")


# What the column types already read back as the schema dumps it (str, int, bool, a
# list of strings): those values are taken as they are; only ids and times become text.
AS_READ = (_same, _integer, _boolean, _listing)


class RecordSerializer:
    """Columns to select and a function from a row tuple to the schema's dict."""

    def __init__(self, entity):
        schema = entity.schema
        dumped = [(name, field) for name, field in schema.fields.items() if not field.load_only]
        self.entity = entity.name
        self.names = [field.data_key or name for name, field in dumped]
        self.columns = [getattr(entity.model, field.attribute or name) for name, field in dumped]
        self.converters = [converter_for(field) for _, field in dumped]
        self.version_index = self.names.index("version")
        self.converted = [(index, name, convert) for index, (name, convert)
                          in enumerate(zip(self.names, self.converters))
                          if convert not in AS_READ]

    def data(self, values):
        record = dict(zip(self.names, values))
        for index, name, convert in self.converted:
            record[name] = convert(values[index])
        return record
