"""Serves the PWA in frontend/ at /, with index.html for the app's own routes.

sw.js is served with its shell filled in: SHELL lists every file of
frontend/ but sw.js itself (index.html as '/'), and VERSION is a hash of
their bytes and of sw.js, both computed once when the app starts. So any
change to a shell file gives browsers a new worker (and the "Update
available" banner) without a hand-bumped version. `FRONTEND_DIR` in the
config serves another copy (the browser tests ship new versions that way).
"""
import hashlib
import mimetypes
import os
import posixpath
import re
from dataclasses import dataclass

import brotli

from flask import Blueprint, abort, current_app, request
from werkzeug.security import safe_join
from werkzeug.routing import PathConverter

FRONTEND_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "frontend")
# The worker itself; index.html (cached as '/'); and the large install icons, which
# only the browser fetches, online, when the app is installed (SPEC §7 budget).
NOT_PRECACHED = {"sw.js", "index.html", "icons/icon-512.png", "icons/icon-maskable-512.png"}
PLAIN_URL = re.compile(r"/[A-Za-z0-9._/-]*")  # fits in sw.js between quotes as it is
VERSION_PLACEHOLDER = "'__SHELL_VERSION__'"
FILES_PLACEHOLDER = "/* __SHELL_FILES__ */"
HASHES_PLACEHOLDER = "/* __SHELL_HASHES__ */"
LATER_PLACEHOLDER = "/* __SIGNED_IN_FILES__ */"
# Module specifiers, as the app writes them: static (`from './x.js'`) and import().
STATIC_IMPORT = re.compile(r"""\bfrom\s*['"](\.{1,2}/[^'"]+)['"]""")
DYNAMIC_IMPORT = re.compile(r"""\bimport\(""")
# routes.js: `const todayView = lazy(() => import('./views/today.js'), 'todayView');`,
# `import { welcomeView } from './views/welcome.js';` and `{ path: '/', view: welcomeView, ... }`.
LAZY_VIEW = re.compile(r"""const (\w+) = lazy\(\(\) => import\('(\./[^']+)'\), '\w+'\);""")
NAMED_IMPORT = re.compile(r"""import \{([^}]*)\} from '(\./[^']+)';""")
ROUTE = re.compile(r"""\{ path: '[^']*', view: (\w+)([^}]*)\}""")

blueprint = Blueprint("frontend", __name__)


@dataclass(frozen=True)
class Shell:
    root: str
    files: tuple  # URL paths, '/' first
    version: str
    hashes: dict = None  # URL -> content hash (the ETag a file is served with)
    later: tuple = ()  # modules only a signed-in person needs: cached when a session starts


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
    hashes = {}
    for url in (*files, "/sw.js"):
        if not PLAIN_URL.fullmatch(url):
            raise ValueError(f"frontend/{url[1:]}: a shell file name may hold only "
                             "letters, digits and ._-/")
        with open(os.path.join(root, "index.html" if url == "/" else url[1:]), "rb") as f:
            data = f.read()
        digest.update(f"{url}\0{len(data)}\0".encode() + data)
        hashes[url] = content_digest(data)
    del hashes["/sw.js"]
    start = signed_out_modules(root)
    later = tuple(url for url in files if url.endswith(".js") and url not in start)
    return Shell(root=root, files=files, version=digest.hexdigest()[:16], hashes=hashes,
                 later=later)


def _read(root, url):
    path = os.path.join(root, url[1:])
    if not os.path.isfile(path):
        raise ValueError(f"frontend/{url[1:]} is imported but missing")
    with open(path, encoding="utf-8") as f:
        return f.read()


def _static_closure(root, modules):
    """`modules` and every module they import statically (`from '...'`)."""
    seen, todo = set(), list(modules)
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        for spec in STATIC_IMPORT.findall(_read(root, url)):
            todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(url), spec)))
    return seen


def signed_out_modules(root):
    """The modules a signed-out start can run: main.js's static imports and the
    screens open signed out (`signedOutOnly` or `everyone` in routes.js), with
    theirs. The rest (import() for a session's screens and parts) is signed-in
    only. A screen of routes.js this cannot read is an error, not a guess."""
    if not os.path.isfile(os.path.join(root, "js", "routes.js")):
        return _static_closure(root, ["/js/main.js"]) if os.path.isfile(
            os.path.join(root, "js", "main.js")) else set()
    routes = _read(root, "/js/routes.js")
    modules = {name: "/js/" + spec[2:] for name, spec in LAZY_VIEW.findall(routes)}
    if len(modules) != len(DYNAMIC_IMPORT.findall(routes)):
        raise ValueError("frontend/js/routes.js: every import() there must read "
                         "`const nameView = lazy(() => import('./views/x.js'), 'nameView');`")
    for names, spec in NAMED_IMPORT.findall(routes):
        for name in names.split(","):
            modules[name.strip()] = "/js/" + spec[2:]
    open_signed_out = set()
    for name, flags in ROUTE.findall(routes):
        if "signedOutOnly: true" in flags or "everyone: true" in flags:
            if name in modules:
                open_signed_out.add(modules[name])
            elif not re.search(rf"function {name}\b", routes):
                raise ValueError(f"frontend/js/routes.js: where does {name} come from?")
    return _static_closure(root, ["/js/main.js", *open_signed_out])


def render_service_worker(source, shell):
    """sw.js as served: the placeholders replaced by the version, the list (a
    file a line), each file's hash and the signed-in modules (one line each)."""
    listed = "".join(f"\n  '{url}'," for url in shell.files) + "\n"
    hashes = ",".join(f"'{url}':'{tag}'" for url, tag in (shell.hashes or {}).items())
    later = ",".join(f"'{url}'" for url in shell.later)
    versioned = source.replace(VERSION_PLACEHOLDER, f"'{shell.version}'", 1)
    return (versioned.replace(FILES_PLACEHOLDER, listed, 1)
            .replace(HASHES_PLACEHOLDER, hashes, 1).replace(LATER_PLACEHOLDER, later, 1))


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
    full = safe_join(_shell().root, path)
    if full is not None and os.path.isfile(full):
        return _send(path)
    if "." in os.path.basename(path):
        abort(404)  # a missing file, not an app route
    return _send("index.html")


# Shell files are text but for the images; those are sent as they are.
PRECOMPRESSED = (".js", ".css", ".html", ".webmanifest", ".svg", ".ico")
BROTLI_QUALITY = 11  # the best ratio for small text (its built-in dictionary); paid once per file


@dataclass(frozen=True)
class Blob:
    data: bytes
    digest: str  # the content's hash: the ETag, and what the worker checks (sw.js FILES)
    brotli: bytes | None


_blobs = {}


def _blob(full):
    """A shell file's bytes, hash and brotli form, kept while the file is unchanged
    (size and mtime): compressed once at the highest quality, not on every request."""
    stat = os.stat(full)
    key = (full, stat.st_size, stat.st_mtime_ns)
    blob = _blobs.get(key)
    if blob is None:
        with open(full, "rb") as f:
            data = f.read()
        text = full.endswith(PRECOMPRESSED)
        packed = brotli.compress(data, quality=BROTLI_QUALITY) if text else None
        blob = Blob(data=data, digest=content_digest(data),
                    brotli=packed if packed is not None and len(packed) < len(data) else None)
        _blobs[key] = blob
    return blob


def content_digest(data):
    return hashlib.sha256(data).hexdigest()[:16]


def _accepts_brotli():
    return any(part.split(";")[0].strip() == "br" and not part.replace(" ", "").endswith(";q=0")
               for part in request.headers.get("Accept-Encoding", "").split(","))


def _send(path):
    full = safe_join(_shell().root, path)
    if full is None or not os.path.isfile(full):
        abort(404)
    blob = _blob(full)
    mimetype = ("application/manifest+json" if path.endswith(".webmanifest")
                else mimetypes.guess_type(path)[0] or "application/octet-stream")
    response = current_app.response_class(mimetype=mimetype)
    # no-cache: browsers revalidate (ETag); the service worker keeps the offline copy.
    # Only the headers a file needs: no Last-Modified beside the ETag, no Accept-Ranges.
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Encoding")
    if blob.brotli is not None and _accepts_brotli():
        response.set_data(blob.brotli)
        response.headers["Content-Encoding"] = "br"
        response.set_etag(f"{blob.digest}:br")  # Flask-Compress's form: hash:encoding
    else:
        response.set_data(blob.data)  # Flask-Compress compresses it (zstd, gzip) if asked
        response.set_etag(blob.digest)
    response = response.make_conditional(request)
    response.headers.pop("Date", None)  # every server adds its own (werkzeug's would be a second)
    return response
