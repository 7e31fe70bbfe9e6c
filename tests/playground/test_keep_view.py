"""``serving.keep_view``: bad input keeps the last good view on the page, scripts get an error.

Handler level (the request gradio sets around an event, faked), then the running app through
gradio_client and plain HTTP. The page itself is checked in
tests/browser/test_browser_topologies.py.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from types import SimpleNamespace

import gradio as gr
import httpx
import pytest
from gradio.context import LocalContext

from playground import serving
from playground.tabs.topologies import handlers as tab

BAD = ("many_to_one", "rnn", 1, 0.0, False, "<b>x</b>", 1)  # the brackets task reads only ( )
NEEDLE = {"en": "cannot be read by this task", "ko": "이 과제가 읽을 수 없는"}


@contextmanager
def called_by(user: str | None):
    """Run as gradio runs an event whose request carries ``x-gradio-user: user``."""
    headers = {} if user is None else {"x-gradio-user": user}
    token = LocalContext.request.set(SimpleNamespace(headers=headers))
    try:
        yield
    finally:
        LocalContext.request.reset(token)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_on_the_page_bad_input_skips_every_output_and_warns_in_the_users_language(lang):
    with called_by("app"), pytest.warns(UserWarning, match=NEEDLE[lang]):
        out = tab.show(*BAD, None, lang)
    assert out == gr.skip()  # one skip: every output keeps what it showed
    with called_by("app"), pytest.warns(UserWarning, match="steps"):
        out = tab.start_training("many_to_one", "rnn", 1, 0.0, False, 10**7, 0, None, lang)
    assert out == gr.skip()


@pytest.mark.parametrize("user", [None, "api", "mcp"])
def test_scripts_still_get_an_error_with_the_message(user):
    for lang in ("en", "ko"):
        with called_by(user), pytest.raises(gr.Error, match=NEEDLE[lang]):
            tab.show(*BAD, None, lang)
    with pytest.raises(gr.Error, match=NEEDLE["en"]):  # a direct call: no request at all
        tab.step(*BAD, None, "en")


def test_a_good_call_is_untouched_on_the_page():
    with called_by("app"):
        out = tab.show("many_to_one", "rnn", 1, 0.0, False, "(())", 1, None, "en")
    assert len(out) == 7 and "Pretrained" in out[3]


@pytest.fixture
def broken(monkeypatch):
    """A bug deep in the view: an exception no user could cause."""
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals 0xdeadbeef")
    monkeypatch.setattr(tab, "compute_view", boom)
    tab._show_shared.cache_clear()
    yield
    tab._show_shared.cache_clear()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_unexpected_errors_are_logged_and_shown_generically(broken, caplog, lang):
    generic = serving.tr(lang, "err_unexpected")
    with caplog.at_level(logging.ERROR, logger="unrolled"), pytest.raises(gr.Error) as e:
        tab.show("many_to_one", "rnn", 1, 0.0, False, "(())", 1, None, lang)
    assert e.value.message == generic and "deadbeef" not in e.value.message
    record = caplog.records[-1]
    assert record.name == "unrolled" and record.exc_info[0] is RuntimeError  # with traceback
    with called_by("app"), pytest.warns(UserWarning) as w:
        assert tab.show("many_to_one", "rnn", 1, 0.0, False, "(())", 1, None, lang) == gr.skip()
    assert [str(x.message) for x in w] == [generic]


# -- the running app ---------------------------------------------------------------------------
@pytest.mark.slow
def test_gradio_client_gets_the_message(client):
    for lang in ("en", "ko"):
        with pytest.raises(Exception) as e:
            client.predict(*BAD, lang, api_name="/show_topology")
        assert NEEDLE[lang] in str(e.value)


@pytest.mark.slow
def test_plain_http_gets_the_message(app_url):
    """The two-step HTTP API (``/call/<api_name>``, what curl users follow): an error event
    whose data is the message."""
    base = app_url.rstrip("/") + "/gradio_api/call/show_topology"
    with httpx.Client(timeout=60) as http:
        event_id = http.post(base, json={"data": [*BAD, "ko"]}).json()["event_id"]
        stream = http.get(f"{base}/{event_id}").text
    events = [line.split(":", 1)[1].strip() for line in stream.splitlines()
              if line.startswith("event:")]
    data = [line.split(":", 1)[1].strip() for line in stream.splitlines()
            if line.startswith("data:")]
    assert events[-1] == "error", stream
    assert NEEDLE["ko"] in json.loads(data[-1])["error"], stream
