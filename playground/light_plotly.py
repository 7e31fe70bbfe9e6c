"""Plotly with only the kinds of trace the app draws: the page's largest script runs in half
the time.

Gradio's module for ``gr.Plot`` (``PlotlyPlot-<hash>.js``) holds all of Plotly (4.6 MB: every
kind of trace, maps, 3D and WebGL ones included), and a browser runs the whole of it before it
draws the first figure. That run was the largest single task on the way to the first plot:
~1.1 s of the main thread on this machine, out of ~2.4 s, in one piece (a module runs in one
task). The app's figures use four kinds of trace (scatter, bar, heatmap, histogram), all in
Plotly's own "cartesian" partial bundle of the same version (``assets/plotly/``, from the
plotly.js npm package's ``dist/``: :data:`TRACES`), which runs in ~0.5 s.

:func:`light_module` makes Gradio's module again with that bundle in place of the whole of
Plotly: the same Svelte component, the same imports and export, the same Plotly version, so the
page and Gradio's code cannot tell the difference, except that fewer kinds of trace are
registered. :class:`LightPlotly` (plain ASGI middleware, as ``playground.guard``) answers
Gradio's URL of that module with it; ``playground.static_cache``, outside it, keeps it
compressed (426 KB in brotli, against 1.1 MB). With another Gradio (a module of another shape,
or another Plotly version in it) nothing is changed and the page gets Gradio's own module.

Measured side by side in Chromium (a fresh context per page, 10 pages each, alternating; load
~2): first plot 2.42 s with Gradio's module, 1.68 s with this one; a bare Gradio page with one
static figure (``bench/bench_class.py``'s floor, Gradio's module) 1.89 s. As a phone (390x844,
Chromium's CPU 4x slower, 6 pages each): 8.76 s, 5.96 s, and the bare page 6.82 s. Running the
two bundles alone in a blank page: 1.13-1.26 s and 0.44-0.53 s.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from .early_page import ASSETS, plotly_module
from .first_views import answer

BUNDLE = Path(__file__).resolve().parent.parent / "assets" / "plotly" / "plotly-cartesian.min.js"
# the kinds of trace in the cartesian bundle (its dist/README.md); tests check the page's
# Plotly registers exactly these, and that the app draws no other
TRACES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d",
                    "histogram2dcontour", "image", "pie", "scatter", "scatterternary", "violin"})

# Gradio's module wraps Plotly's UMD file as a CommonJS module: ((exports, module) => { UMD }).
# The UMD starts by testing `typeof module == "object" && module.exports` and ends by
# returning window.Plotly; its first statement after the helpers sets Plotly's version.
START = re.compile(r"\(\((\w+),(\w+)\)=>\{"
                   r"(?=\(function\(\w+,\w+\)\{typeof \2==`object`&&\2\.exports\?)")
END = re.compile(r"return window\.Plotly=(\w+),\1\}\)(?=\}\)\)\(\))")
VERSION = re.compile(r"\.version=`(\d+\.\d+\.\d+)`")
BUNDLE_VERSION = re.compile(r"plotly\.js \(cartesian - minified\) v(\d+\.\d+\.\d+)")

log = logging.getLogger(__name__)


def light_module(gradio_module: str | None = None, bundle: str | None = None) -> str | None:
    """Gradio's Plotly module (its text) with the cartesian bundle in place of Plotly's whole
    UMD file, or None if the module is not of the shape checked here or holds another version
    of Plotly than the bundle."""
    if gradio_module is None:
        name = plotly_module()
        if name is None:
            return None
        gradio_module = (ASSETS / name).read_text(encoding="utf-8")
    if bundle is None:
        bundle = BUNDLE.read_text(encoding="utf-8")
    starts, ends = list(START.finditer(gradio_module)), list(END.finditer(gradio_module))
    if len(starts) != 1 or len(ends) != 1 or starts[0].end() >= ends[0].start():
        return None
    begin, end = starts[0].end(), ends[0].end()
    version = VERSION.search(gradio_module, begin, end)
    wanted = BUNDLE_VERSION.search(bundle[:500])
    if version is None or wanted is None or version.group(1) != wanted.group(1):
        return None
    exports, module = starts[0].group(1), starts[0].group(2)
    # the bundle is the same UMD file, its own names for CommonJS's two
    return (gradio_module[:begin] + f"var exports={exports},module={module};\n" + bundle
            + "\n" + gradio_module[end:])


class LightPlotly:
    """Answers ``GET .../assets/<Gradio's Plotly module>`` with :func:`light_module` (made on
    the first such request, in a worker thread; kept); anything else, or everything if the
    module cannot be made, goes to the app."""

    def __init__(self, app: Any):
        self.app = app
        name = plotly_module()
        self.path = f"/assets/{name}" if name else None
        self.made: tuple[bytes, bytes] | None = None  # the module and its ETag
        self.failed = False
        self.lock = asyncio.Lock()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if (self.path is None or self.failed or scope["type"] != "http"
                or scope.get("method") not in ("GET", "HEAD")
                or not scope.get("path", "").endswith(self.path)):
            await self.app(scope, receive, send)
            return
        made = self.made or await self._make()
        if made is None:
            await self.app(scope, receive, send)
            return
        body, etag = made
        headers = {b"etag": etag, b"cache-control": b"no-cache"}
        kind = b"text/javascript; charset=utf-8"
        match = dict(scope.get("headers") or []).get(b"if-none-match")
        if match is not None and etag in [m.strip() for m in match.split(b",")]:
            await answer(send, 304, b"", headers, content_type=kind)
            return
        await answer(send, 200, b"" if scope["method"] == "HEAD" else body, headers,
                     length=len(body), content_type=kind)

    async def _make(self) -> tuple[bytes, bytes] | None:
        async with self.lock:  # a class asking at once: made once
            if self.made is None and not self.failed:
                try:
                    text = await asyncio.to_thread(light_module)
                    if text is None:
                        log.warning("Gradio's Plotly module is not the one checked here: "
                                    "the page gets all of Plotly")
                except OSError:  # a file missing or unreadable
                    log.exception("the light Plotly module could not be made")
                    text = None
                if text is None:
                    self.failed = True
                else:
                    body = text.encode("utf-8")
                    self.made = body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'.encode()
        return self.made
