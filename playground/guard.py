"""A gate in front of the web server: bounded request bodies, and no file uploads.

The app takes no file, and its largest legitimate request (a call with a 64-character text and
a dozen settings) is well under a kilobyte. So before a request reaches Gradio:

- ``POST .../gradio_api/upload`` is refused (403): Gradio would store any file under its temp
  folder, for anyone to download, and never delete it;
- a body over ``max_body`` bytes is refused (413), whether it announces its length or not: no
  input, however large, reaches a handler, a cache or the queue;
- Gradio's routes for features the app does not use answer 404 (:data:`CLOSED`): deep links
  (which write a file per call into the upload folder), the run history, media streams, screen
  recordings, upload progress, the vibe editor and the development reloader (a stream held
  open). ``launch(run_history=False)`` turns the run history off as well.

It is plain ASGI middleware, passed to Gradio's FastAPI app through ``launch(app_kwargs=...)``.
"""

from __future__ import annotations

import json
from typing import Any

MAX_BODY = 64 * 1024  # bytes of one request's body
CLOSED = ("/deep_link", "/dev/reload", "/runs", "/run-history", "/stream/", "/process_recording",
          "/vibe", "/upload_progress")  # under /gradio_api/


class RequestGuard:
    def __init__(self, app: Any, max_body: int = MAX_BODY):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _closed(scope["path"]):
            await _refuse(send, 404, "This app does not use this route.")
            return
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/").endswith("/upload"):
            await _refuse(send, 403, "This app takes no file uploads.")
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _refuse(send, 413, f"A request body may have at most {self.max_body} bytes.")
            return
        # Read the whole (small) body first, counting: a chunked body has no length to check.
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_body:
                await _refuse(send, 413, f"A request body may have at most {self.max_body} bytes.")
                return
            if not message.get("more_body", False):
                break

        async def replay() -> dict:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _closed(path: str) -> bool:
    _, api, rest = path.partition("/gradio_api")
    return bool(api) and rest.startswith(CLOSED)


async def _refuse(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
