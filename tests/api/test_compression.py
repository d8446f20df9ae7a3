"""Text responses are compressed (issue 13): the app shell and the API alike, with
Vary, the CSP and working ETags; a client that asks for nothing gets plain bytes."""
import gzip
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


@pytest.mark.parametrize("path,file", [("/", "index.html"), ("/js/main.js", "js/main.js"),
                                       ("/css/app.css", "css/app.css")])
def test_shell_files_are_gzipped_with_vary_csp_and_a_working_etag(client, path, file):
    response = client.client.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    if file == "index.html":
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    else:  # CSP binds documents and workers; on a module or stylesheet it is dead weight
        assert "Content-Security-Policy" not in response.headers
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert gzip.decompress(response.get_data()) == (FRONTEND / file).read_bytes()
    etag = response.headers["ETag"]
    again = client.client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304


def test_the_service_worker_is_compressed_and_still_revalidates(client):
    response = client.client.get("/sw.js", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"const VERSION" in gzip.decompress(response.get_data())
    again = client.client.get("/sw.js", headers={"Accept-Encoding": "gzip",
                                                 "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_api_json_is_compressed_and_keeps_no_store(client):
    response = client.client.get("/api/openapi.json", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] in ("br", "gzip")
    assert response.headers["Cache-Control"] == "no-store"


def test_without_accept_encoding_the_bytes_are_plain(client):
    response = client.client.get("/js/main.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (FRONTEND / "js/main.js").read_bytes()


def test_shell_files_come_precompressed_with_brotli_and_only_the_headers_they_need(client):
    """What a browser gets: brotli at quality 11, made once per file, not per request."""
    import brotli

    ask = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    response = client.client.get("/js/main.js", headers=ask)
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == (FRONTEND / "js/main.js").read_bytes()
    assert len(response.get_data()) <= len(brotli.compress((FRONTEND / "js/main.js").read_bytes(), quality=11))
    etag = response.headers["ETag"]
    assert etag.endswith(':br"')
    assert not {"Last-Modified", "Accept-Ranges", "Expires", "Content-Disposition",
                "Content-Security-Policy"} & set(response.headers.keys())
    again = client.client.get("/js/main.js", headers={**ask, "If-None-Match": etag})
    assert again.status_code == 304
