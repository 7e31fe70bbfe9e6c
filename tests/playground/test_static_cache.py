"""playground.static_cache: Gradio's page files compressed once, answered from memory after."""

from __future__ import annotations

import asyncio
import gzip
import re

import brotli
import httpx
import pytest

from playground.static_cache import CompressedStatic

BODY = b"console.log('unrolled');\n" * 400


class Files:
    """A stand-in for Gradio's file routes: counts what it is asked."""

    def __init__(self, status: int = 200):
        self.calls, self.status = 0, status

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"application/javascript"),
                                (b"content-length", str(len(BODY)).encode()),
                                (b"etag", b'"abc"')]})
        for k in range(0, len(BODY), 4096):  # in chunks, as a FileResponse sends
            await send({"type": "http.response.body", "body": BODY[k:k + 4096],
                        "more_body": k + 4096 < len(BODY)})


def get(app, path: str = "/assets/index-1234.js", method: str = "GET", **headers):
    """One request through ``app``: (status, headers, body)."""
    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}
    out = {"body": b""}

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
            message["headers"].append((b"x-edited", b"by the next middleware"))  # as gzip does
        else:
            out["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return out["status"], out["headers"], out["body"]


@pytest.mark.parametrize("accept,decode", [("br", brotli.decompress),
                                           ("gzip, deflate", gzip.decompress)])
def test_a_file_is_compressed_once_and_then_answered_from_memory(accept, decode):
    files = Files()
    app = CompressedStatic(files)
    for _ in range(3):
        status, headers, body = get(app, accept_encoding=accept)
        assert status == 200 and decode(body) == BODY
        assert headers["content-encoding"] == accept.split(",")[0]
        assert int(headers["content-length"]) == len(body) < len(BODY) / 4
        assert headers["etag"] == '"abc"' and "x-edited" not in headers
    assert files.calls == 1


@pytest.mark.parametrize("path,method,headers", [
    ("/assets/index-1234.js", "GET", {}),                            # no compression asked
    ("/assets/index-1234.js", "GET", {"accept_encoding": "gzip", "range": "bytes=0-9"}),
    ("/assets/index-1234.js", "GET", {"accept_encoding": "gzip", "if_none_match": '"abc"'}),
    ("/assets/index-1234.js", "HEAD", {"accept_encoding": "gzip"}),
    ("/assets/font.woff2", "GET", {"accept_encoding": "gzip"}),      # compressed already
    ("/gradio_api/info", "GET", {"accept_encoding": "gzip"}),        # not a page file
])
def test_anything_else_goes_through_untouched(path, method, headers):
    files = Files()
    app = CompressedStatic(files)
    for _ in range(2):
        status, got, body = get(app, path, method, **headers)
        assert status == 200 and body == BODY and "content-encoding" not in got
    assert files.calls == 2


def test_an_error_is_passed_on_and_not_kept():
    files = Files(status=404)
    app = CompressedStatic(files)
    for _ in range(2):
        status, headers, body = get(app, accept_encoding="gzip")
        assert status == 404 and body == BODY
    assert files.calls == 2 and not app.kept


@pytest.mark.slow
def test_the_apps_page_files_arrive_whole_in_each_encoding(app_url):
    page = httpx.get(app_url, timeout=60).text
    path = re.search(r"/assets/[\w.-]+\.js", page).group(0)
    plain = httpx.get(app_url.rstrip("/") + path, headers={"accept-encoding": "identity"},
                      timeout=60)
    assert plain.status_code == 200 and len(plain.content) > 1000
    for encoding in ("br", "gzip", "br"):
        r = httpx.get(app_url.rstrip("/") + path, headers={"accept-encoding": encoding},
                      timeout=60)
        assert r.headers["content-encoding"] == encoding
        assert r.content == plain.content  # httpx decoded it
