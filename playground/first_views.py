"""First views with no computing call: a class opening the page costs a static file.

Each tab's ``build()`` returns the events that draw its first view. ``install`` records them;
the page, on load, fetches ``first-views/<lang>.json`` (an event with no Python function: it
runs in the browser) and shows what it holds. That file is every first-view event run once, as
a call would run it (the controls' defaults, no session's model), and its outputs as Gradio
would send them, computed on the first request for each language and then kept: sixty
students opening the app cost one computation per language and sixty copies of bytes.

If the file cannot be had, the page falls back to computing its views itself (the hidden
"relang" button, which draws every view with the page's current settings).

Served by :class:`FirstViewsRoute`, plain ASGI middleware (as ``playground.guard``), so it
takes no place in Gradio's queue.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
from typing import Any

import gradio as gr
import orjson

from .gradio_internals import block_function, event_io, page_value, run_event, served_blocks
from .i18n import LANGS

ROUTE = "/first-views/"  # + "<lang>.json"
log = logging.getLogger(__name__)


class FirstViews:
    """The first-view events of one app, and their outputs per language once computed."""

    def __init__(self, blocks: gr.Blocks, events: list[Any], lang_box: gr.Textbox):
        self.blocks, self.lang_box = blocks, lang_box
        self.fns = [block_function(blocks, e) for e in events]
        outputs: dict[int, Any] = {}  # the last event to draw a component decides what it shows
        for fn in self.fns:
            for c in event_io(fn)[1]:
                if not getattr(c, "stateful", False):
                    outputs[c._id] = c
        self.outputs = list(outputs.values())
        self._done: dict[str, tuple[bytes, bytes, str]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def payload(self, lang: str) -> tuple[bytes, bytes, str]:
        """The JSON of every first-view output in ``lang`` (a list in ``self.outputs``'
        order), gzipped too, and its ETag; computed once per language, by one request while
        the others wait for it."""
        if lang not in self._done:
            async with self._locks.setdefault(lang, asyncio.Lock()):
                if lang not in self._done:
                    body = orjson.dumps(await self.compute(lang),
                                        option=orjson.OPT_SERIALIZE_NUMPY, default=str)
                    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                    self._done[lang] = body, gzip.compress(body, 6, mtime=0), etag
        return self._done[lang]

    async def compute(self, lang: str) -> list:
        """Every first-view event, run as a fresh page's call in ``lang`` would run it."""
        shown: dict[int, Any] = {}
        for fn in self.fns:
            inputs, outputs = event_io(fn)
            values = [lang if c is self.lang_box else page_value(c) for c in inputs]
            for c, value in zip(outputs, await run_event(self.blocks, fn, values)):
                shown[c._id] = value
        return [shown[c._id] for c in self.outputs]

    def load_js(self, lang_js: str) -> str:
        """The page's load event: the language (``lang_js``), then every first-view output
        from the file; if it cannot be had, the page computes its views (``#relang``)."""
        n = len(self.outputs)
        return f"""
async () => {{
  const lang = ({lang_js})();
  try {{
    const root = (window.gradio_config && window.gradio_config.root) || '.';
    const early = window.__unrolledFirstViews;  // asked for as the page began (HEAD)
    window.__unrolledFirstViews = null;
    const response = (early && early.lang === lang && await early.response)
      || await fetch(`${{root.replace(/\\/$/, '')}}{ROUTE}${{lang}}.json`);
    if (!response.ok) throw new Error(String(response.status));
    const views = await response.json();
    if (views.length !== {n}) throw new Error('first views of another version');
    return [lang, ...views];
  }} catch (error) {{
    const relang = document.querySelector('#relang button, button#relang');
    if (relang) setTimeout(() => relang.click(), 0);
    return [lang, ...Array({n}).fill(undefined)];
  }}
}}
"""


# In the page's head: ask for the first views of the browser's language at once, while Gradio's
# own scripts load (the load event, which knows the page's language for sure, takes the answer
# if it is of that language, and asks again otherwise).
HEAD = """
<script>
(() => {
  const lang = (navigator.language || 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en';
  const url = new URL('first-views/' + lang + '.json', document.baseURI);
  window.__unrolledFirstViews = {lang, response: fetch(url).catch(() => null)};
})();
</script>
"""


def install(blocks: gr.Blocks, events: list[Any], lang_box: gr.Textbox,
            lang_js: str) -> FirstViews:
    """Draw the page's first views from the file on load (call inside the ``gr.Blocks``,
    after every event of ``events`` exists)."""
    views = FirstViews(blocks, events, lang_box)
    # then, once Gradio has shown them (the tab titles among them: a link's tab is opened
    # after, not before, they are set), the link the page was opened with (playground.links)
    blocks.load(None, None, [lang_box, *views.outputs], js=views.load_js(lang_js),
                api_visibility="private").then(
        None, js="() => { if (window.unrolledLinks) window.unrolledLinks.open(); }",
        api_visibility="private")
    blocks.first_views = views  # for FirstViewsRoute
    return views


class FirstViewsRoute:
    """Answers ``GET .../first-views/<lang>.json`` from the served app's :class:`FirstViews`."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        _, route, name = path.rpartition(ROUTE)
        lang = name.removesuffix(".json")
        if (not route or scope.get("method") not in ("GET", "HEAD") or lang not in LANGS
                or name != lang + ".json"):
            await self.app(scope, receive, send)
            return
        views = getattr(served_blocks(scope.get("app")), "first_views", None)
        if views is None:
            await answer(send, 404, b'{"detail": "no first views here"}', {})
            return
        try:
            body, zipped, etag = await views.payload(lang)
        except Exception as exc:  # a bug: logged; the page computes its views itself
            log.exception("computing the first views failed")
            detail = json.dumps({"detail": f"first views failed: {type(exc).__name__}"})
            await answer(send, 503, detail.encode(), {})
            return
        asked = dict(scope.get("headers") or [])
        headers = {b"etag": etag.encode(), b"cache-control": b"no-cache",
                   b"vary": b"accept-encoding"}
        if asked.get(b"if-none-match") == etag.encode():
            await answer(send, 304, b"", headers)
            return
        if b"gzip" in asked.get(b"accept-encoding", b""):
            body, headers[b"content-encoding"] = zipped, b"gzip"
        await answer(send, 200, b"" if scope["method"] == "HEAD" else body, headers,
                      length=len(body))


async def answer(send: Any, status: int, body: bytes, headers: dict[bytes, bytes],
                 length: int | None = None, content_type: bytes = b"application/json") -> None:
    """One whole ASGI answer: ``length`` is the content-length to state (a HEAD's empty body
    states the length of the body it stands for)."""
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", content_type),
        (b"content-length", str(len(body) if length is None else length).encode()),
        *headers.items()]})
    await send({"type": "http.response.body", "body": body})
