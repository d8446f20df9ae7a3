"""sw.js as the server fills it in: its VERSION is a hash of the shell's
content (the same content, the same version; any change, a new one) and its
SHELL lists every file the app loads. All but the last test run without a
browser, on the Flask test client."""
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest

from backend import create_app

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
VERSION = re.compile(r"const VERSION = '([^']+)';")
LISTED = re.compile(r"^\s+'(/[^']*)',$", re.M)
# the 512 px install icons: the browser fetches them, online, when it installs the app
INSTALL_ONLY = {"/icons/icon-512.png", "/icons/icon-maskable-512.png"}


def served(frontend_dir):
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": "sqlite://", "FRONTEND_DIR": str(frontend_dir)})
    return app.test_client().get("/sw.js")


def version_of(frontend_dir):
    return VERSION.search(served(frontend_dir).get_data(as_text=True)).group(1)


@pytest.fixture
def two_copies(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(FRONTEND, a)
    shutil.copytree(FRONTEND, b)
    return a, b


def test_the_same_shell_gives_the_same_version(two_copies):
    a, b = two_copies
    assert re.fullmatch(r"[0-9a-f]{16}", version_of(a))
    assert version_of(a) == version_of(b) == version_of(FRONTEND)


@pytest.mark.parametrize("change", ["js/views/today.js", "css/app.css", "icons/badge-96.png", "index.html",
                                    "manifest.webmanifest", "sw.js", "js/new-module.js"])
def test_any_change_to_the_shell_gives_a_new_version(two_copies, change):
    a, b = two_copies
    path = b / change
    path.write_bytes((path.read_bytes() if path.exists() else b"") + b"\n")
    assert version_of(a) != version_of(b)


def test_the_version_is_computed_when_the_app_starts(tmp_path):
    copy = tmp_path / "frontend"
    shutil.copytree(FRONTEND, copy)
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": "sqlite://", "FRONTEND_DIR": str(copy)})
    client = app.test_client()
    first = VERSION.search(client.get("/sw.js").get_data(as_text=True)).group(1)
    (copy / "css" / "app.css").write_text("/* changed while running */")
    assert VERSION.search(client.get("/sw.js").get_data(as_text=True)).group(1) == first
    assert version_of(copy) != first  # the next start sees it


def test_sw_js_is_revalidated_every_time_and_answers_304_when_unchanged():
    response = served(FRONTEND)
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "__SHELL" not in response.get_data(as_text=True)
    app = create_app({"REBOUND_ENV": "testing", "DATABASE_URL": "sqlite://"})
    again = app.test_client().get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == "no-cache"


def test_the_shell_is_every_file_of_the_frontend_but_the_worker(tmp_path):
    copy = tmp_path / "frontend"
    shutil.copytree(FRONTEND, copy)
    (copy / "js" / "views" / "breaks.js").write_text("export {};\n")
    listed = LISTED.findall(served(copy).get_data(as_text=True))
    files = sorted("/" + p.relative_to(copy).as_posix() for p in copy.rglob("*")
                   if p.is_file() and p.name not in ("sw.js", "index.html")
                   and "/" + p.relative_to(copy).as_posix() not in INSTALL_ONLY)
    assert listed == ["/", *files]
    assert "/js/views/breaks.js" in listed


def what_the_app_loads():
    """Every file index.html, the manifest, the stylesheet and the module
    graph from main.js ask for (static imports and import())."""
    html = (FRONTEND / "index.html").read_text()
    wanted = {u for u in re.findall(r'(?:src|href)="(/[^"]+)"', html) if "." in u.rsplit("/", 1)[-1]}
    wanted |= {icon["src"] for icon in json.loads((FRONTEND / "manifest.webmanifest").read_text())["icons"]}
    wanted |= set(re.findall(r"url\(['\"]?(/[^'\")]+)", (FRONTEND / "css" / "app.css").read_text()))
    todo = [u for u in wanted if u.endswith(".js")]
    while todo:
        module = todo.pop()
        source = (FRONTEND / module[1:]).read_text()
        for spec in re.findall(r"""(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""", source):
            url = posixpath.normpath(posixpath.join(posixpath.dirname(module), spec))
            if url not in wanted:
                wanted.add(url)
                todo.append(url)
    return wanted


def test_the_shell_holds_every_file_the_app_loads_and_every_module_is_used():
    listed = set(LISTED.findall(served(FRONTEND).get_data(as_text=True)))
    loads = what_the_app_loads()
    assert {"/js/main.js", "/js/routes.js", "/js/views/rejection.js", "/css/app.css", "/icons/icon-192.png"} <= loads
    assert loads - listed == INSTALL_ONLY
    assert {u for u in listed if u.startswith("/js/")} - loads == set(), "a module nothing imports"


def test_every_file_a_session_requests_is_in_the_shell(rebound, live_server):
    tab = rebound.tab()
    page = tab.page
    asked = set()
    page.on("request", lambda r: asked.add(r.url[len(live_server):].split("?")[0])
            if r.url.startswith(live_server) and r.resource_type != "document" else None)
    rebound.sign_up(tab)
    rebound.log_rejection(tab, "Shell Co")
    page.get_by_role("link", name="Reflect on it").click()
    for tab_name in ("Journal", "Lessons", "You", "Today"):
        page.get_by_role("link", name=tab_name, exact=True).click()
    page.get_by_role("link", name="Need to talk to someone now?").click()
    tab.wait_synced()
    files = {path for path in asked if not path.startswith("/api/") and path != "/sw.js"}
    listed = set(LISTED.findall(tab.page.request.get(live_server + "/sw.js").text()))
    assert files and files - listed == set()
