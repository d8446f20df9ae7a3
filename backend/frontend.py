"""Serves the PWA in frontend/ at /, with index.html for the app's own routes."""
import os

from flask import Blueprint, abort, send_from_directory
from werkzeug.routing import PathConverter

FRONTEND_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "frontend")

blueprint = Blueprint("frontend", __name__)


class NotApiPath(PathConverter):
    """Any path except /api/...: those must stay 404 or 405 from the API itself."""

    regex = r"(?!api(?:/|$))[^/].*?"


@blueprint.record_once
def _add_converter(state):
    state.app.url_map.converters["not_api"] = NotApiPath


@blueprint.get("/")
def index():
    return _send("index.html")


@blueprint.get("/<not_api:path>")
def asset(path):
    if os.path.isfile(os.path.join(FRONTEND_DIR, path)):
        return _send(path)
    if "." in os.path.basename(path):
        abort(404)  # a missing file, not an app route
    return _send("index.html")


def _send(path):
    # max_age=0: browsers revalidate (ETag); the service worker keeps the offline copy.
    response = send_from_directory(FRONTEND_DIR, path, max_age=0)
    if path == "sw.js":
        response.headers["Cache-Control"] = "no-cache"
    if path.endswith(".webmanifest"):
        response.mimetype = "application/manifest+json"
    return response
