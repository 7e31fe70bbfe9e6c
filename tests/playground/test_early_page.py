"""playground.early_page: the app's page compressed, with Plotly's module asked for first."""

from __future__ import annotations

import asyncio
import gzip

import brotli
import httpx
import pytest

from playground.early_page import ASSETS, LOOKUPS, EarlyPage, core_module, early_head, plotly_module

from .test_static_cache import get

PAGE = (b"<!doctype html><html><head><meta charset='utf-8'></head><body>"
        b"<script>window.gradio_config = {};</script>" + b"<div>unrolled</div>" * 2000
        + b"</body></html>")
OTHER = b"<!doctype html><html><head></head><body>" + b"<p>docs</p>" * 2000 + b"</body></html>"


class Page:
    """A stand-in for Gradio's page route (and its others): one answer, in chunks."""

    def __init__(self, body: bytes = PAGE, status: int = 200,
                 content_type: bytes = b"text/html; charset=utf-8"):
        self.body, self.status, self.content_type = body, status, content_type
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await asyncio.sleep(0.01)  # Gradio builds the page (~50 ms of CPU for this app)
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", self.content_type),
                                (b"content-length", str(len(self.body)).encode())]})
        for k in range(0, len(self.body), 4096):
            await send({"type": "http.response.body", "body": self.body[k:k + 4096],
                        "more_body": k + 4096 < len(self.body)})


def test_gradio_has_one_plotly_module_and_the_head_preloads_it():
    name = plotly_module()
    assert name is not None and (ASSETS / name).is_file()
    assert early_head(name).decode() == f'<link rel="modulepreload" href="./assets/{name}">'
    assert early_head(None) == b""


def test_gradio_has_one_core_module_and_the_head_patches_it_first():
    """gradio_lookups.js goes in as a module that imports Gradio's own core module (by the
    page's relative URL, as Gradio's scripts do, so that both get the one module)."""
    core = core_module()
    assert core is not None and "AppTree" in (ASSETS / core).read_text()
    head = early_head(None, core).decode()
    assert head.startswith('<script type="module">') and head.endswith("</script>\n")
    assert f'import {{ AppTree }} from "./assets/{core}";' in head
    assert "__CORE__" not in head and "find_attached_events" in head
    assert head == f'<script type="module">\n{LOOKUPS}</script>\n'.replace(
        '"__CORE__"', f'"./assets/{core}"')
    both = early_head(plotly_module(), core).decode()
    assert both.startswith("<link rel=\"modulepreload\"") and both.endswith(head)


@pytest.mark.parametrize("accept,encoding,decode", [
    ("gzip, deflate, br, zstd", "br", brotli.decompress),  # what Chromium asks for
    ("gzip", "gzip", gzip.decompress),
    ("", None, lambda body: body),
])
def test_the_page_gets_the_preload_first_in_its_head_and_is_compressed(accept, encoding, decode):
    status, headers, body = get(EarlyPage(Page()), "/", accept_encoding=accept)
    head = early_head(plotly_module(), core_module())
    assert status == 200 and decode(body) == PAGE.replace(b"<head>", b"<head>" + head, 1)
    assert int(headers["content-length"]) == len(body)
    assert headers.get("content-encoding") == encoding
    assert len(body) < len(PAGE) / 10 if encoding else len(body) > len(PAGE)


@pytest.mark.parametrize("app,path", [
    (Page(OTHER), "/gradio_api/docs"),                                # another HTML page
    (Page(PAGE, status=404), "/"),                                    # an error
    (Page(b"{}" * 1000, content_type=b"application/json"), "/config"),  # not HTML
])
def test_anything_else_is_not_edited(app, path):
    status, headers, body = get(EarlyPage(app), path, accept_encoding="gzip")
    body = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
    assert status == app.status and body == app.body
    assert b"modulepreload" not in body


@pytest.mark.slow
def test_the_apps_page_arrives_compressed_with_the_preload(app_url):
    plain = httpx.get(app_url, headers={"accept-encoding": "identity"}, timeout=60)
    zipped = httpx.get(app_url, headers={"accept-encoding": "br"}, timeout=60)
    assert zipped.headers["content-encoding"] == "br"
    assert zipped.content == plain.content  # httpx decoded it
    assert int(zipped.headers["content-length"]) < len(plain.content) / 5
    name = plotly_module()
    assert plain.text.index(f'href="./assets/{name}"') < plain.text.index("<meta")
    assert plain.text.index(f'from "./assets/{core_module()}"') < plain.text.index("<meta")
    module = httpx.get(app_url.rstrip("/") + f"/assets/{name}", timeout=60)
    assert module.status_code == 200 and len(module.content) > 1_000_000


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_page_is_made_once_per_address_and_encoding_and_kept():
    gradio, clock = Page(), Clock()
    app = EarlyPage(gradio, clock=clock)
    first = get(app, "/", accept_encoding="br", host="127.0.0.1:7860")
    for _ in range(3):
        assert get(app, "/", accept_encoding="br", host="127.0.0.1:7860") == first
    assert gradio.calls == 1
    # another address (the config holds the root URL), another encoding: made anew
    get(app, "/", accept_encoding="br", host="localhost:7860")
    get(app, "/", accept_encoding="gzip", host="127.0.0.1:7860")
    get(app, "/", host="127.0.0.1:7860", x_forwarded_host="unrolled.hf.space")
    assert gradio.calls == 4
    clock.now += 601  # no longer fresh: made again
    assert get(app, "/", accept_encoding="br", host="127.0.0.1:7860") == first
    assert gradio.calls == 5


def test_a_class_opening_the_page_at_once_makes_it_once():
    gradio = Page()
    app = EarlyPage(gradio)
    out = []

    async def one():
        async def receive():
            return {"type": "http.request", "body": b""}

        body = []

        async def send(message):
            body.append(message.get("body", b""))

        scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"",
                 "headers": [(b"accept-encoding", b"br"), (b"host", b"a")]}
        await app(scope, receive, send)
        out.append(b"".join(body))

    async def class_of(n):
        await asyncio.gather(*(one() for _ in range(n)))

    asyncio.run(class_of(30))
    assert gradio.calls == 1 and len(out) == 30 and len(set(out)) == 1
    assert brotli.decompress(out[0]).startswith(b"<!doctype html><html><head><link")
    assert not app.locks


def test_only_the_app_page_is_kept_and_only_so_many():
    other = Page()
    app = EarlyPage(other)
    for _ in range(2):
        get(app, "/gradio_api/docs", accept_encoding="br")
    assert other.calls == 2 and not app.kept
    gradio = Page()
    app = EarlyPage(gradio, keep=2)
    for host in ("a", "b", "c", "a"):  # "a" was dropped for "c"
        get(app, "/", accept_encoding="br", host=host)
    assert gradio.calls == 4 and len(app.kept) == 2
