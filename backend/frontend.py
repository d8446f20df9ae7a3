"""Serves the PWA in frontend/ at /, with index.html for the app's own routes."""
import os

from flask import Blueprint, abort, send_from_directory

FRONTEND_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "frontend")

blueprint = Blueprint("frontend", __name__)


@blueprint.get("/")
def index():
    return _send("index.html")


@blueprint.get("/<path:path>")
def asset(path):
    if path == "api" or path.startswith("api/"):
        abort(404)
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
