"""playground.light_plotly: Gradio's Plotly module made again with Plotly's cartesian bundle, and
served in its place; the app draws no kind of trace the bundle lacks."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from pathlib import Path

import httpx
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType

from playground import light_plotly
from playground.early_page import ASSETS, plotly_module
from playground.light_plotly import BUNDLE, END, START, TRACES, VERSION, LightPlotly, light_module

from .test_static_cache import BODY, Files, get

ROOT = Path(__file__).parents[2]
GRADIOS = (ASSETS / plotly_module()).read_text(encoding="utf-8")
BUNDLE_TEXT = BUNDLE.read_text(encoding="utf-8")
ALL_TRACES = {name.lower() for name in dir(go) if isinstance(getattr(go, name), type)
              and issubclass(getattr(go, name), BaseTraceType)}


def test_the_bundle_is_plotlys_own_cartesian_bundle_of_gradios_plotly_version():
    """The shipped file is the one its README names, of the version Gradio's module holds (a
    new Gradio with a new Plotly fails here: the bundle must follow it)."""
    readme = (BUNDLE.parent / "README.md").read_text()
    assert hashlib.sha256(BUNDLE.read_bytes()).hexdigest() in readme
    assert (BUNDLE.parent / "LICENSE").read_text().startswith("MIT License")
    (gradios_version,) = set(VERSION.findall(GRADIOS))
    assert f"plotly.js (cartesian - minified) v{gradios_version}" in BUNDLE_TEXT[:200]
    assert f"plotly.js@{gradios_version}" in readme


def test_gradios_module_is_made_again_with_the_bundle_in_place_of_plotly():
    light = light_module()
    assert light is not None
    begin, end = START.search(GRADIOS).end(), END.search(GRADIOS).end()
    # Gradio's imports, Svelte component and export are untouched, around the bundle
    assert light.startswith(GRADIOS[:begin]) and light.endswith(GRADIOS[end:])
    assert light[begin:].startswith("var exports=e,module=t;\n" + BUNDLE_TEXT[:100])
    assert BUNDLE_TEXT in light and "export{" in GRADIOS[end:]
    assert len(light) < len(GRADIOS) / 3
    # the kinds of trace it registers: TRACES, where Gradio's module had 49 (3D, maps, WebGL)
    gradios = set(re.findall(r"moduleType:`trace`,name:`(\w+)`", GRADIOS))
    lights = set(re.findall(r'moduleType:"trace",name:"(\w+)"', light))
    assert lights == TRACES and gradios > TRACES and len(gradios) == 49


@pytest.mark.parametrize("edit", [
    lambda m: m.replace("version=`3.3.1`", "version=`3.4.0`"),       # another Plotly
    lambda m: m.replace("return window.Plotly=", "return self.Plotly="),  # no end found
    lambda m: m.replace("&&t.exports?", "&&t.exportz?", 1),           # no start found
    lambda m: m + m,                                                  # two of each
])
def test_a_module_of_another_shape_or_plotly_is_left_alone(edit):
    other = edit(GRADIOS)
    assert other != GRADIOS
    assert light_module(other) is None
    assert light_module(GRADIOS) is not None


def test_the_bundle_must_say_its_version():
    assert light_module(GRADIOS, BUNDLE_TEXT.replace("v3.3.1", "v3.3.2", 1)) is None


PATH = f"/assets/{plotly_module()}"


def test_the_module_is_answered_in_gradios_place_with_an_etag():
    files = Files()
    served = LightPlotly(files)
    status, headers, body = get(served, PATH)
    assert status == 200 and body.decode() == light_module() and files.calls == 0
    assert int(headers["content-length"]) == len(body)
    assert headers["content-type"].startswith("text/javascript")
    # under a root path (a Space's proxy), too; the same bytes, made once
    made = served.made
    assert get(served, "/some/root" + PATH)[2] == body and served.made is made
    # a browser that has it is told so
    status, _, body = get(served, PATH, if_none_match=headers["etag"])
    assert status == 304 and body == b""
    status, _, body = get(served, PATH, if_none_match='"another"')
    assert status == 200 and body.decode() == light_module()
    status, headers, body = get(served, PATH, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1_000_000
    assert files.calls == 0


@pytest.mark.parametrize("path,method", [("/assets/index-1234.js", "GET"), (PATH, "POST"),
                                         (PATH + ".map", "GET")])
def test_anything_else_goes_to_gradio(path, method):
    files = Files()
    status, _, _ = get(LightPlotly(files), path, method=method)
    assert status == 200 and files.calls == 1


def test_without_a_module_to_make_gradios_own_is_sent(monkeypatch):
    monkeypatch.setattr(light_plotly, "light_module", lambda: None)
    files = Files()
    served = LightPlotly(files)
    assert get(served, PATH)[2] == BODY
    assert files.calls == 1 and served.failed
    get(served, PATH)
    assert files.calls == 2  # not tried again


def test_a_class_asking_at_once_makes_it_once(monkeypatch):
    made = []
    real = light_plotly.light_module

    def counted():
        made.append(1)
        return real()

    monkeypatch.setattr(light_plotly, "light_module", counted)
    served = LightPlotly(Files())
    bodies = []

    async def one():
        out = {"body": b""}

        async def send(message):
            out["body"] += message.get("body", b"")

        async def receive():
            return {"type": "http.request", "body": b""}

        await served({"type": "http", "method": "GET", "path": PATH, "headers": []},
                     receive, send)
        bodies.append(out["body"])

    async def crowd():
        await asyncio.gather(*(one() for _ in range(8)))

    asyncio.run(crowd())
    assert made == [1] and len(set(bodies)) == 1 and len(bodies[0]) > 1_000_000


# -- the app draws only what the bundle has -------------------------------------------------
TRACE_IN_SOURCE = re.compile(r"\bgo\.(\w+)\(|\btype=\"(\w+)\"|\"type\":\s*\"(\w+)\"")


def test_the_apps_code_makes_no_trace_the_bundle_lacks():
    """Every kind of trace named in the app's code (``go.Bar(...)``, ``dict(type="heatmap")``)
    is in the bundle: the page would draw another wrongly (Plotly makes a kind of trace it has
    no module for a scatter)."""
    named = set()
    for source in [*ROOT.glob("playground/**/*.py"), *ROOT.glob("engine/**/*.py")]:
        for groups in TRACE_IN_SOURCE.findall(source.read_text()):
            named |= {g.lower() for g in groups if g and g.lower() in ALL_TRACES}
    assert {"scatter", "bar", "heatmap", "histogram"} <= named  # the pattern still finds them
    assert named <= TRACES, named - TRACES


@pytest.mark.slow
def test_every_first_view_draws_only_traces_the_bundle_has(app_url):
    seen = set()
    for lang in ("en", "ko"):
        views = httpx.get(app_url.rstrip("/") + f"/first-views/{lang}.json", timeout=120).json()
        for value in views:
            if isinstance(value, dict) and value.get("type") == "plotly":
                seen |= {trace.get("type", "scatter")
                         for trace in json.loads(value["plot"])["data"]}
    assert {"scatter", "bar", "heatmap", "histogram"} <= seen
    assert seen <= TRACES, seen - TRACES


@pytest.mark.slow
def test_the_app_serves_the_light_module(app_url):
    module = httpx.get(app_url.rstrip("/") + PATH, headers={"accept-encoding": "br"},
                       timeout=60)
    assert module.status_code == 200 and module.headers["content-encoding"] == "br"
    assert module.text == light_module()
    assert int(module.headers["content-length"]) < 600_000  # 1.1 MB for Gradio's own
