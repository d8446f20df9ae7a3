"""Serves the PWA in frontend/ at /, with index.html for the app's own routes.

sw.js is served with its shell filled in: SHELL lists every file of
frontend/ but sw.js itself (index.html as '/'), and VERSION is a hash of
their bytes and of sw.js, both computed once when the app starts. So any
change to a shell file gives browsers a new worker (and the "Update
available" banner) without a hand-bumped version. `FRONTEND_DIR` in the
config serves another copy (the browser tests ship new versions that way).
"""
import hashlib
import os
import re
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, request, send_from_directory
from werkzeug.routing import PathConverter

FRONTEND_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "frontend")
NOT_PRECACHED = {"sw.js", "index.html"}  # the worker itself; index.html is cached as '/'
PLAIN_URL = re.compile(r"/[A-Za-z0-9._/-]*")  # fits in sw.js between quotes as it is
VERSION_PLACEHOLDER = "'__SHELL_VERSION__'"
FILES_PLACEHOLDER = "/* __SHELL_FILES__ */"

blueprint = Blueprint("frontend", __name__)


@dataclass(frozen=True)
class Shell:
    root: str
    files: tuple  # URL paths, '/' first
    version: str


def read_shell(root):
    """The files the service worker precaches and a hash of their content
    (none without a frontend: an install of the API alone still starts)."""
    if not os.path.isfile(os.path.join(root, "sw.js")):
        return Shell(root=root, files=(), version="")
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            if not name.startswith(".") and rel not in NOT_PRECACHED:
                found.append("/" + rel)
    files = ("/", *sorted(found))
    digest = hashlib.sha256()
    for url in (*files, "/sw.js"):
        if not PLAIN_URL.fullmatch(url):
            raise ValueError(f"frontend/{url[1:]}: a shell file name may hold only "
                             "letters, digits and ._-/")
        with open(os.path.join(root, "index.html" if url == "/" else url[1:]), "rb") as f:
            data = f.read()
        digest.update(f"{url}\0{len(data)}\0".encode() + data)
    return Shell(root=root, files=files, version=digest.hexdigest()[:16])


def render_service_worker(source, shell):
    """sw.js as served: the placeholders replaced by the version and the list."""
    listed = "".join(f"\n  '{url}'," for url in shell.files) + "\n"
    versioned = source.replace(VERSION_PLACEHOLDER, f"'{shell.version}'", 1)
    return versioned.replace(FILES_PLACEHOLDER, listed, 1)


class NotApiPath(PathConverter):
    """Any path except /api/...: those must stay 404 or 405 from the API itself."""

    regex = r"(?!api(?:/|$))[^/].*?"


@blueprint.record_once
def _set_up(state):
    app = state.app
    app.url_map.converters["not_api"] = NotApiPath
    app.extensions["rebound_shell"] = read_shell(app.config.get("FRONTEND_DIR") or FRONTEND_DIR)


def _shell():
    return current_app.extensions["rebound_shell"]


@blueprint.get("/")
def index():
    return _send("index.html")


@blueprint.get("/sw.js")
def service_worker():
    shell = _shell()
    if not shell.files:
        abort(404)
    # Read on each request (it is small): the browser tests write new ones.
    with open(os.path.join(shell.root, "sw.js"), encoding="utf-8") as f:
        body = render_service_worker(f.read(), shell)
    response = current_app.response_class(body, mimetype="text/javascript")
    # no-cache: the browser asks every time whether a new worker is out.
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    return response.make_conditional(request)


@blueprint.get("/<not_api:path>")
def asset(path):
    if os.path.isfile(os.path.join(_shell().root, path)):
        return _send(path)
    if "." in os.path.basename(path):
        abort(404)  # a missing file, not an app route
    return _send("index.html")


def _send(path):
    # max_age=0: browsers revalidate (ETag); the service worker keeps the offline copy.
    response = send_from_directory(_shell().root, path, max_age=0)
    if path.endswith(".webmanifest"):
        response.mimetype = "application/manifest+json"
    if response.status_code == 200:
        # Read the (small) file into the response instead of streaming it, so it is
        # compressed as one piece with its Content-Length and ETag (config COMPRESS_*).
        response.direct_passthrough = False
        response.make_sequence()
    return response
