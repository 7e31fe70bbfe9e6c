"""A call with the wrong number of values gets a message that says so, before Gradio sees it.

Gradio 6.31 answers a ``data`` list with too few values with ``{"error": null}``: its
``Blocks.validate_inputs`` raises a ValueError, and ``utils.error_payload`` hides the text of
any exception that is not a ``gr.Error`` (``show_error`` is off). Extra values it drops without
a word (``preprocess_data`` reads one per input), so a script that passes one value too many
may run with its values in the wrong places. An unknown endpoint name (``/call/<name>``) and an
unknown or missing keyword (``/call/v2/<name>``) are HTTP 500 with no text.

:class:`ArityGuard` reads those requests' JSON (small: ``playground.guard`` bounds bodies, and
this class reads at most ``max_body`` bytes itself) and answers them itself when the count or
the names are wrong, in the language of the request's ``Accept-Language`` (English otherwise):

- ``POST .../gradio_api/call/<api_name>``: ``data`` must hold one value per API parameter, or
  one per input with a ``null`` in the place of each session state (what Gradio accepts);
  else 422 ``{"detail": "..."}``; an unknown name is 404.
- ``POST .../gradio_api/call/v2/<api_name>``: every key must be a parameter, and parameters
  without a default must be there; else 422.
- ``POST .../gradio_api/queue/join`` (gradio_client, the page): one value per input of the
  event ``fn_index``; else 422 in the shape gradio_client reads as a validation error (a list
  of ``{"__type__": "validate", ...}``), so its exception carries the message.

The counts come from the app's own events (``gradio_internals.event``: each event's inputs,
which of them are session states, and the handler's parameter names), read from
``scope["app"]``, the Gradio app the request is for. Anything else (another path or method,
a body that is not the expected JSON, an event that takes a batch or cancels others) passes
through unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .gradio_internals import event, served_blocks
from .guard import MAX_BODY
from .i18n import count, lang_of, tr

_CALL = re.compile(r"/gradio_api/call/(?:(v2)/)?([^/]+)/?$")
_JOIN = re.compile(r"/gradio_api/queue/join/?$")


class ArityGuard:
    """ASGI middleware: see the module's docstring. Install it inside ``RequestGuard``."""

    def __init__(self, app: Any, max_body: int = MAX_BODY):
        self.app, self.max_body = app, max_body
        self._api: tuple[int, dict] | None = None  # (id of the Blocks, its API info)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        call, join = _CALL.search(path), _JOIN.search(path)
        if scope.get("method") != "POST" or not (call or join):
            await self.app(scope, receive, send)
            return
        messages, body = await _read(receive, self.max_body)

        async def replay() -> dict:
            return messages.pop(0) if messages else await receive()

        problem = None
        if body is not None:
            try:
                problem = self.problem(scope, call, json.loads(body))
            except Exception:  # not the JSON these routes take: Gradio says what is wrong
                problem = None
        if problem is None:
            await self.app(scope, replay, send)
            return
        status, detail = problem
        await _respond(send, status, detail)

    # -- the checks ---------------------------------------------------------------------------
    def problem(self, scope: dict, call: re.Match | None, body: Any) -> tuple[int, Any] | None:
        """(HTTP status, detail) for a request to refuse, or None to let it through."""
        if not isinstance(body, dict):
            return None
        blocks = _blocks(scope)
        if blocks is None:
            return None
        lang = _lang(scope)
        if call is None:  # queue/join
            return self._join(scope, blocks, body, lang)
        v2, api_name = call.group(1), call.group(2)
        fn = event(blocks, api_name=api_name)
        if fn is None:
            return 404, tr(lang, "err_endpoint", endpoint="/" + api_name,
                           names=", ".join(self._api_info(blocks)["named_endpoints"]))
        if not fn.checkable:
            return None
        if v2:
            return self._keywords(blocks, api_name, body, lang)
        data = body.get("data")
        if not isinstance(data, list):
            return None  # FastAPI's own 422 names the field
        stateful = fn.stateful
        if len(data) in (len(stateful), stateful.count(False)):
            return None
        names = [n for n, s in zip(fn.names, stateful) if not s]
        return 422, _arity(lang, "err_arity", "/" + api_name, names, len(data))

    def _join(self, scope: dict, blocks: Any, body: dict, lang: str) -> tuple[int, Any] | None:
        fn = event(blocks, index=body.get("fn_index"))
        data = body.get("data")
        if fn is None or not fn.checkable or not isinstance(data, list):
            return None
        stateful = fn.stateful
        if len(data) == len(stateful):
            return None
        endpoint, names = fn.endpoint, fn.names
        if _header(scope, b"x-gradio-user") == "api":
            # gradio_client: it put a null in place of each state; count what its caller passed
            api = [n for n, s in zip(names, stateful) if not s]
            text = _arity(lang, "err_arity", endpoint, api, len(data) - stateful.count(True))
        else:
            shown = [f"{n} (null)" if s else n for n, s in zip(names, stateful)]
            text = _arity(lang, "err_arity_state" if any(stateful) else "err_arity", endpoint,
                          shown, len(data))
        # gradio_client raises its ValidationError with this message (utils.
        # extract_validation_message); Gradio's own validators answer in the same shape
        return 422, [{"__type__": "validate", "is_valid": False, "parameter_name": "data",
                      "message": text}]

    def _keywords(self, blocks: Any, api_name: str, body: dict, lang: str
                  ) -> tuple[int, Any] | None:
        info = self._api_info(blocks)["named_endpoints"].get("/" + api_name)
        if info is None:
            return None
        params = info["parameters"]
        names = [p.get("parameter_name") for p in params]
        bad = [k for k in body if k not in names and k != "oauth_token"]
        if bad:
            return 422, tr(lang, "err_kwargs", endpoint="/" + api_name,
                           bad=", ".join(_short(k) for k in bad[:3]),
                           names=", ".join(n for n in names if n) or "-")
        missing = [p["parameter_name"] for p in params
                   if not p.get("parameter_has_default") and p.get("parameter_name") not in body]
        if missing:
            return 422, tr(lang, "err_kwargs_missing", endpoint="/" + api_name,
                           missing=", ".join(missing))
        return None

    def _api_info(self, blocks: Any) -> dict:
        """The app's API description (its public endpoints and their parameters), made once."""
        if self._api is None or self._api[0] != id(blocks):
            self._api = (id(blocks), blocks.get_api_info())
        return self._api[1]


def _arity(lang: str, key: str, endpoint: str, names: list[str], got: int) -> str:
    """"/x takes 2 values: a, b; got 3." (or "takes no values")."""
    if not names:
        return tr(lang, "err_arity_none", endpoint=endpoint, got=got)
    return tr(lang, key, endpoint=endpoint, count=count(lang, "n_values", len(names)),
              names=", ".join(names), got=got)


def _short(key: object, limit: int = 40) -> str:
    text = repr(key)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _blocks(scope: dict) -> Any:
    """The Blocks served by the Gradio app of this request (None if there is none)."""
    return served_blocks(scope.get("app"))


def _header(scope: dict, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _lang(scope: dict) -> str:
    """The request's language: its ``Accept-Language``'s first tag ("ko-KR,ko;q=0.9" is
    Korean), English otherwise."""
    first = _header(scope, b"accept-language").split(",")[0].split(";")[0].strip()
    return lang_of(first)


async def _read(receive: Any, limit: int) -> tuple[list[dict], bytes | None]:
    """The request's messages as received, and its body (None past ``limit`` bytes: then
    only what was read so far is kept, for the app to read on)."""
    messages, chunks, size = [], [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return messages, None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return messages, b"".join(chunks)


async def _respond(send: Any, status: int, detail: Any) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
