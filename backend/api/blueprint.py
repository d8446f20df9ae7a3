"""flask-smorest's Blueprint with its per-request schema objects made once.

A paginated list made two marshmallow schemas on every request (the page
parameters' and the `X-Pagination` metadata's): building one costs about as much
as reading the page from an index. The parameters, the header and the OpenAPI
document stay exactly as flask-smorest makes them.
"""
import flask_smorest
import marshmallow as ma
from flask_smorest.pagination import PaginationMetadataSchema
from webargs.flaskparser import FlaskParser


class _OneSchemaPerClass(FlaskParser):
    """Parses with one instance per schema class (they keep no state between loads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas = {}

    def _get_schema(self, argmap, req):
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)


_METADATA = PaginationMetadataSchema()


class Blueprint(flask_smorest.Blueprint):
    PAGINATION_ARGUMENTS_PARSER = _OneSchemaPerClass()

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        """flask-smorest's metadata (total, pages, first/last/previous/next), dumped by
        one schema instance."""
        metadata = {"total": item_count}
        if item_count == 0:
            metadata["total_pages"] = 0
            return _METADATA.dump(metadata)
        last_page = (item_count - 1) // page_size + 1
        metadata.update(total_pages=last_page, first_page=1, last_page=last_page)
        if page <= last_page:
            metadata["page"] = page
            if page > 1:
                metadata["previous_page"] = page - 1
            if page < last_page:
                metadata["next_page"] = page + 1
        return _METADATA.dump(metadata)
