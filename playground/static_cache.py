"""Gradio's page files, compressed once instead of for every student.

Opening the page fetches ~90 files of Gradio's frontend (6.7 MB, Plotly alone 4.6 MB). Gradio
compresses every response as it goes out (brotli, or gzip), so each student's page open cost
the server about 140 ms of a core, most of it compressing the same unchanging files again
(py-spy: 44% of a page open's samples in the compressor). Those files never change while the
server runs (their names carry a hash of their content), so :class:`CompressedStatic` keeps
each one compressed in memory, per encoding, after its first request, and answers later ones
with those bytes; Gradio's own compressor passes on a response that is already encoded.

Plain ASGI middleware (as ``playground.guard``). Only whole, unconditional ``GET``s of
``/assets/`` and ``/static/`` that answer 200 are kept, within :data:`MAX_BYTES` in all;
anything else goes through untouched.
"""

from __future__ import annotations

import gzip
import threading
from typing import Any

try:  # Gradio depends on it; without it, gzip alone
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

PREFIXES = ("/assets/", "/static/")
MAX_BYTES = 64 * 1024 * 1024  # compressed bytes kept, all files and encodings together
MIN_SIZE = 1024  # smaller files are not worth compressing
SKIP = (".woff2", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".mp3", ".mp4", ".wasm")


def _encoding(accept: str) -> str | None:
    """The encoding to send for an ``Accept-Encoding`` header: br, gzip or none."""
    offered = {part.split(";")[0].strip() for part in accept.lower().split(",")}
    if "br" in offered and brotli is not None:
        return "br"
    return "gzip" if "gzip" in offered else None


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=6)
    return gzip.compress(body, 6, mtime=0)


class CompressedStatic:
    def __init__(self, app: Any):
        self.app = app
        self.kept: dict[tuple[str, str], tuple[list, bytes]] = {}
        self.size = 0
        self.lock = threading.Lock()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        encoding = self._wanted(scope)
        if encoding is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1"), encoding)
        kept = self.kept.get(key)
        if kept is None:
            kept = await self._fetch(scope, receive, send, encoding)
            if kept is None:  # already answered as it was
                return
        headers, body = kept
        # a copy: Gradio's compressor edits the headers of a message in place
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body})

    def _wanted(self, scope: dict) -> str | None:
        """The encoding to keep this request's answer in, or None to let it through."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            return None
        path = scope.get("path", "")
        if not path.startswith(PREFIXES) or path.lower().endswith(SKIP):
            return None
        headers = dict(scope.get("headers") or [])
        if any(h in headers for h in (b"range", b"if-none-match", b"if-modified-since")):
            return None  # the app answers these (206, 304) cheaply
        return _encoding(headers.get(b"accept-encoding", b"").decode("latin-1"))

    async def _fetch(self, scope: dict, receive: Any, send: Any,
                     encoding: str) -> tuple[list, bytes] | None:
        """Ask the app; keep a whole 200 answer compressed (and return it), or pass on
        anything else as it comes (and return None)."""
        start: dict = {}
        parts: list[bytes] = []
        passing = False

        async def capture(message: dict) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                if message["status"] != 200 or b"content-encoding" in names:
                    passing = True
                    await send(message)
                    return
                start.update(message)
            elif passing:
                await send(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            else:  # e.g. a pathsend: not ours to keep
                passing = True
                await send(start)
                await send(message)

        await self.app(scope, receive, capture)
        if passing or not start:
            return None
        body = b"".join(parts)
        headers = [(k, v) for k, v in start.get("headers", [])
                   if k.lower() not in (b"content-length", b"vary")]
        if len(body) >= MIN_SIZE:
            body = _compress(body, encoding)
            headers.append((b"content-encoding", encoding.encode()))
        headers += [(b"content-length", str(len(body)).encode()),
                    (b"vary", b"accept-encoding")]
        kept = headers, body
        with self.lock:
            key = (scope["path"] + "?" + scope.get("query_string", b"").decode("latin-1"),
                   encoding)
            if key not in self.kept and self.size + len(body) <= MAX_BYTES:
                self.kept[key] = kept
                self.size += len(body)
        return kept
