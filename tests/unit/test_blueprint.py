"""Our Blueprint makes its pagination schemas once; what it answers must not change."""
import flask_smorest

from backend.api.blueprint import Blueprint


def test_the_pagination_metadata_is_flask_smorests():
    for item_count in (0, 1, 2, 49, 50, 51, 100, 101, 5_000):
        for page_size in (1, 3, 50, 500):
            for page in (1, 2, 3, 99, 100, 101, 10_000):
                ours = Blueprint._make_pagination_metadata(page, page_size, item_count)
                theirs = flask_smorest.Blueprint._make_pagination_metadata(
                    page, page_size, item_count)
                assert ours == theirs, (page, page_size, item_count)


def test_one_parameters_schema_serves_every_request():
    parser = Blueprint.PAGINATION_ARGUMENTS_PARSER
    schema_class = flask_smorest.pagination._pagination_parameters_schema_factory(1, 50, 500)
    assert parser._get_schema(schema_class, None) is parser._get_schema(schema_class, None)
