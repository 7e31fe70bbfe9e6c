"""The page itself, sent sooner: compressed, with Plotly asked for in its first lines.

Gradio sends the page's HTML (the whole app's config and API description in it: ~650 KB for
the four tabs) uncompressed: its compressor only looks at paths with a file extension. And what
``launch(head=...)`` adds is inserted by Gradio's own script, after that script has loaded and
read the config (~0.5 s after navigation), so the page could not ask for anything sooner.
Every tab's first view is a Plotly figure, and Plotly is the page's largest file (4.6 MB,
1.1 MB compressed); Gradio asks for it only when the first figure arrives, after every other
component's code has loaded, so that its download came last on the way to the first plot.

:class:`EarlyPage` (plain ASGI middleware, as ``playground.guard``) edits Gradio's app page as
it goes out: it inserts :func:`early_head` at the top of ``<head>`` (Plotly's module preloaded:
fetched and compiled while Gradio's own scripts load, found ready when Gradio imports it) and
compresses the page for a browser that accepts it (brotli or gzip, as
``playground.static_cache``): 650 KB become 97 KB, which a class on one school network
fetches sixty times.

And Gradio builds the page anew for every request: ~50 ms of the server's one core for this
app's 357 components (the config copied, then written out as JSON), so sixty students opening
the page together waited 2.4-3.1 s for it (p95) and cost the server 2.8 s of CPU. The page is
the same for every one of them (only the address the browser used changes it: the config holds
the app's root URL), so it is kept, made once per address and encoding and answered from memory
after that, for :data:`FRESH` seconds: the same 57 opening at once, 0.01-0.05 s and 0.02-0.04 s
of CPU (57 threads, one ``GET /`` each, released at once by one barrier).

Measured side by side in Chromium (six pages each, alternating, quiet machine): first plot
2.61 s before, 2.47 s preloaded, with the tabs shown as soon as before (1.1-1.2 s). Importing
Plotly at once instead (running it, ~0.6 s of the main thread, before Gradio shows anything)
drew the first plot at 2.39-2.45 s but the tabs only at 2.1 s: a blank page for a second
longer, so not done. What remains is the main thread's work: Plotly's run, Gradio reading a
config of 357 components, the first draw. (Plotly's run is now half as long: the module is sent
with Plotly's cartesian bundle only, ``playground.light_plotly``.)

Of Gradio reading its config, its lookups (each component's events, each component's node,
once per component, through Svelte's proxies) were the part that grew as components times
events: ``gradio_lookups.js``, put in the head here as a module over Gradio's own core module,
makes them in one pass. Side by side (Chromium, a fresh context per page, two runs of 8 and 12
pages each, alternating; the machine's load 1-2): first plot, Gradio's lookups 2.83 s and
3.02 s, events indexed 2.67 s and 2.97 s, both lookups 2.59 s and 2.82 s; the bare page 2.01 s
and 2.36 s, so 1.41x and 1.28x became 1.29x and 1.20x.
"""

from __future__ import annotations

import asyncio
import gzip
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio

from .static_cache import _encoding

try:  # Gradio depends on it; without it, gzip alone
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

ASSETS = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
MAX_PAGE = 8 * 1024 * 1024  # bytes: a larger HTML answer passes through untouched


def plotly_module() -> str | None:
    """The file name of Gradio's module that holds Plotly (its name carries a hash), if this
    Gradio has exactly one."""
    found = sorted(p.name for p in ASSETS.glob("PlotlyPlot-*.js"))
    return found[0] if len(found) == 1 else None


def core_module() -> str | None:
    """The file name of Gradio's module that reads the config (``AppTree``), if this Gradio
    has exactly one."""
    found = sorted(p.name for p in ASSETS.glob("core-*.js")
                   if "find_attached_events" in p.read_text(errors="replace"))
    return found[0] if len(found) == 1 else None


LOOKUPS = Path(__file__).with_name("gradio_lookups.js").read_text()


def early_head(module: str | None, core: str | None = None) -> bytes:
    """What goes first in ``<head>``: Plotly's module, fetched and compiled at once, and
    ``gradio_lookups.js``, run before Gradio reads its config (both relative to the page, as
    Gradio's own ``assets/`` URLs are, so that Gradio's imports find the same modules)."""
    head = ""
    if module is not None:
        head += f'<link rel="modulepreload" href="./assets/{module}">'
    if core is not None:
        head += ('<script type="module">\n'
                 + LOOKUPS.replace('"__CORE__"', f'"./assets/{core}"') + "</script>\n")
    return head.encode()


def _compress(body: bytes, encoding: str) -> bytes:
    """Fast settings: a page is compressed once per address and encoding, but by the request
    that found it missing, while others wait (brotli at quality 1: 650 KB to 97 KB in 1.8 ms;
    quality 4: 81 KB, 4.5 ms)."""
    if encoding == "br":
        return brotli.compress(body, quality=1)
    return gzip.compress(body, 1, mtime=0)


# What Gradio builds the page from, besides the app: the address the browser used (the config
# holds the app's root URL, from these headers, the scheme and the root path). The query does
# not change the page (a link's settings are read by the page's script), but is kept apart all
# the same: a class opening one link shares one page. (An app launched with ``auth`` would
# hold the user's name in its page: this one has no login.)
ADDRESS = (b"host", b"x-forwarded-host", b"x-forwarded-proto", b"x-forwarded-port",
           b"x-forwarded-prefix", b"forwarded")
KEEP = 32  # pages kept (each ~100 KB compressed, 650 KB not)
FRESH = 600.0  # seconds a kept page is answered from memory


class EarlyPage:
    def __init__(self, app: Any, keep: int = KEEP, fresh: float = FRESH,
                 clock: Callable[[], float] = time.monotonic):
        self.app, self.keep, self.fresh, self.clock = app, keep, fresh, clock
        self.head = early_head(plotly_module(), core_module())
        self.kept: OrderedDict[tuple, tuple[float, list, bytes]] = OrderedDict()
        self.locks: dict[tuple, asyncio.Lock] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        encoding = _encoding(headers.get(b"accept-encoding", b"").decode("latin-1"))
        if scope.get("path") != "/":  # not the app's page: edited if it is one, never kept
            await self._answer(scope, receive, send, encoding, None)
            return
        key = (scope.get("query_string", b""), encoding, scope.get("scheme"),
               scope.get("root_path"), *(headers.get(name, b"") for name in ADDRESS))
        if await self._kept(key, send):
            return
        # the first request for this page makes it, the others that came meanwhile wait
        lock = self.locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                if await self._kept(key, send):
                    return
                await self._answer(scope, receive, send, encoding, key)
        finally:
            if not lock.locked() and self.locks.get(key) is lock:
                del self.locks[key]

    async def _kept(self, key: tuple, send: Any) -> bool:
        """Answer from memory, if this page is kept and fresh."""
        kept = self.kept.get(key)
        if kept is None or self.clock() - kept[0] > self.fresh:
            return False
        self.kept.move_to_end(key)
        await send({"type": "http.response.start", "status": 200, "headers": list(kept[1])})
        await send({"type": "http.response.body", "body": kept[2]})
        return True

    async def _answer(self, scope: dict, receive: Any, send: Any, encoding: str | None,
                      key: tuple | None) -> None:
        """Ask Gradio; an app page gets the preload and is compressed (and kept, under
        ``key``); anything else goes out as it came."""
        start: dict = {}
        parts: list[bytes] = []
        passing = False

        async def edit(message: dict) -> None:
            nonlocal passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                names = {k.lower(): v for k, v in message.get("headers", [])}
                if (message["status"] != 200 or b"content-encoding" in names
                        or not names.get(b"content-type", b"").startswith(b"text/html")):
                    passing = True
                    await send(message)
                    return
                start.update(message)
                return
            if message["type"] != "http.response.body":
                passing = True
                await send(start)
                await send(message)
                return
            parts.append(message.get("body", b""))
            if sum(map(len, parts)) > MAX_PAGE:  # not a page of ours: let it go as it is
                passing = True
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(parts),
                            "more_body": message.get("more_body", False)})
                return
            if message.get("more_body", False):
                return
            body = b"".join(parts)
            at = body.find(b"<head>")
            page = at >= 0 and b"window.gradio_config" in body  # an app's page, not another
            if page:
                body = body[:at + 6] + self.head + body[at + 6:]
            out = [(k, v) for k, v in start.get("headers", [])
                   if k.lower() not in (b"content-length", b"vary")]
            if encoding is not None and len(body) >= 1024:
                body = _compress(body, encoding)
                out += [(b"content-encoding", encoding.encode()), (b"vary", b"accept-encoding")]
            out.append((b"content-length", str(len(body)).encode()))
            if page and key is not None:
                self.kept[key] = (self.clock(), list(out), body)
                self.kept.move_to_end(key)
                while len(self.kept) > self.keep:
                    self.kept.popitem(last=False)
            await send({**start, "headers": out})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, edit)
