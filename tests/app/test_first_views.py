"""First views with no computing call (playground.first_views): the page's default views,
computed once per language and served as one JSON file that the page's load event shows."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest

from playground.tabs.step import handlers as step
from playground.tabs.topologies import handlers as topologies

pytestmark = pytest.mark.slow


def _get(app_url: str, path: str, **headers) -> httpx.Response:
    return httpx.get(app_url.rstrip("/") + path, headers=headers, timeout=120)


def _by_elem_id(app_demo, views: list) -> dict:
    """The file's values by the elem_id of the component each is for."""
    outputs = app_demo.first_views.outputs
    assert len(views) == len(outputs)
    return {c.elem_id: v for c, v in zip(outputs, views) if c.elem_id}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_file_holds_each_tabs_default_view_as_a_call_would_send_it(app_demo, app_url,
                                                                        lang):
    r = _get(app_url, f"/first-views/{lang}.json")
    assert r.status_code == 200 and r.headers["etag"]
    views = _by_elem_id(app_demo, r.json())
    # the Topologies tab's defaults, as /show_topology draws them
    shown = topologies.show("many_to_many", "rnn", 1, 0.0, False, "31524", 1, None, lang)
    assert json.loads(views["topology-diagram"]["plot"]) == json.loads(shown[0].to_json())
    assert views["topology-model"] == shown[3]
    assert views["topology-step"]["maximum"] == 5 and views["topology-step"]["value"] == 1
    # the Step tab's, as /step_through_time draws them
    drawn = step.show_step("hello", "rnn", 4, 1, "pretrained", False, 1, None, lang)
    assert json.loads(views["st-equation"]["plot"]) == json.loads(drawn[0].to_json())
    assert views["st-step-text"] == drawn[3]
    # every tab has its first plot
    for elem_id in ("bp-profile", "bp-sv", "s2s-by-length", "s2s-heat", "s2s-step-plot",
                    "s2s-step-states", "s2s-step-probs"):
        assert views[elem_id]["type"] == "plotly", elem_id


def test_the_file_is_sent_once_per_version_and_gzipped(app_url):
    first = _get(app_url, "/first-views/en.json", **{"accept-encoding": "identity"})
    again = _get(app_url, "/first-views/en.json", **{"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    raw = httpx.get(app_url.rstrip("/") + "/first-views/en.json", timeout=60,
                    headers={"accept-encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.json() == first.json()  # httpx unzipped it
    assert len(gzip.compress(first.content)) < len(first.content) / 3
    ko = _get(app_url, "/first-views/ko.json")
    assert ko.headers["etag"] != first.headers["etag"] and ko.json() != first.json()


@pytest.mark.parametrize("path", ["/first-views/de.json", "/first-views/ko",
                                  "/first-views/en.jsonx"])
def test_another_name_is_not_a_first_view(app_url, path):
    assert _get(app_url, path).status_code == 404


def test_a_crowd_asking_at_once_gets_one_computation_and_the_same_bytes(monkeypatch):
    """Sixty pages opening together: the first views of a language are computed once, and
    every page gets the same bytes (a class must not see different numbers, nor cost 60x)."""
    import asyncio

    from playground.app import build_demo

    views = build_demo().first_views
    computed = []
    real = views.compute

    async def counted(lang):
        computed.append(lang)
        return await real(lang)

    monkeypatch.setattr(views, "compute", counted)

    async def crowd():
        return await asyncio.gather(*(views.payload("ko") for _ in range(8)))

    answers = asyncio.run(crowd())
    assert computed == ["ko"]
    assert len({body for body, _, _ in answers}) == 1
    assert json.loads(answers[0][0])  # a real file, not an empty one
