"""Opening the page in Chromium runs no handler: every tab's first view comes from one file
(playground.first_views), in English and Korean; without that file, the page draws its views
itself."""

from __future__ import annotations

import re

import pytest

from playground.early_page import ASSETS, core_module, plotly_module
from playground.light_plotly import TRACES

from .test_browser import (  # noqa: F401  (browser is a fixture)
    browser,
    expect,
    opened,
    quiet,
    settled,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TABS = {"en-US": ("Step through time", "BPTT gradients", "Seq2seq vs attention"),
        "ko-KR": ("시간 따라가기", "BPTT 기울기", "Seq2seq와 어텐션")}
MODEL = {"en-US": "Pretrained", "ko-KR": "사전 학습된"}
FIRST_PLOTS = ("#st-equation", "#bp-profile", "#s2s-by-length")


def _calls(sent: list[str]) -> list[str]:
    return [url for url in sent if "/queue/join" in url or "/run/" in url or "/call/" in url]


@pytest.mark.parametrize("locale", list(TABS))
def test_opening_the_page_and_every_tab_runs_no_handler(browser, app_url, locale):  # noqa: F811
    sent: list[str] = []
    with opened(browser, app_url, locale, lambda r: sent.append(r.url)) as page:
        expect(page.locator("#topology-model")).to_contain_text(MODEL[locale], timeout=60_000)
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible()
        for name, plot in zip(TABS[locale], FIRST_PLOTS):
            page.get_by_role("tab", name=re.compile(name)).click()
            expect(page.locator(f"{plot} .js-plotly-plot")).to_be_visible(timeout=30_000)
        quiet(page, sent)
        assert any(url.endswith(f"/first-views/{locale[:2]}.json") for url in sent), sent
        assert _calls(sent) == []
        # Plotly's module (playground.early_page) was asked for once, before Gradio's scripts
        # had even read the page's config (which holds the first views' request)
        plotly = [k for k, url in enumerate(sent) if f"/assets/{plotly_module()}" in url]
        views = next(k for k, url in enumerate(sent) if "/first-views/" in url)
        assert len(plotly) == 1 and plotly[0] < views, sent


# every figure shown: the kinds of trace it asks for, and those Plotly made of them (Plotly
# makes a kind it has no module for a scatter, or hides it)
DRAWN_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter((gd) => gd.offsetParent)
  .map((gd) => ({
    asked: (gd.data || []).map((t) => t.type || 'scatter'),
    made: (gd._fullData || []).map((t) => (t._module && t.visible !== false ? t.type : null)),
  }))"""


def test_the_page_draws_every_tab_with_plotlys_cartesian_bundle(browser, app_url):  # noqa: F811
    """playground.light_plotly: the page's Plotly is the bundle (Gradio's version, the kinds of
    trace in TRACES only), and every figure of every tab has each of its traces drawn."""
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=60_000)
        gradios = re.search(r"\.version=`([\d.]+)`", (ASSETS / plotly_module()).read_text())
        assert page.evaluate("Plotly.version") == gradios.group(1)
        assert set(page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")) == TRACES
        seen = set()
        for name, plot in zip(("Topologies", *TABS["en-US"]), ("#topology-diagram",
                                                               *FIRST_PLOTS)):
            page.get_by_role("tab", name=name, exact=True).click()
            expect(page.locator(f"{plot} .js-plotly-plot")).to_be_visible(timeout=30_000)
            settled(page)  # the plots below the fold too
            # the tab's other figures, each drawn (as many traces made as asked for)
            page.wait_for_function(f"() => ({DRAWN_JS})().length >= 2 && ({DRAWN_JS})()"
                                   ".every((f) => f.made.length === f.asked.length)",
                                   timeout=30_000)
            figures = page.evaluate(DRAWN_JS)
            assert len(figures) >= 2, name
            for figure in figures:
                assert figure["made"] == figure["asked"], (name, figure)
                seen |= set(figure["asked"])
        assert {"scatter", "bar", "heatmap", "histogram"} <= seen


def test_without_the_file_the_page_draws_its_views_itself(browser, app_demo,  # noqa: F811
                                                          app_url, monkeypatch):
    async def broken(lang: str):
        raise RuntimeError("no first views today")

    monkeypatch.setattr(app_demo.first_views, "payload", broken)
    sent: list[str] = []
    with opened(browser, app_url, "ko-KR", lambda r: sent.append(r.url)) as page:
        expect(page.locator("#topology-model")).to_contain_text(MODEL["ko-KR"],
                                                                timeout=60_000)
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible()
        page.get_by_role("tab", name=re.compile(TABS["ko-KR"][0])).click()
        expect(page.locator("#st-equation .js-plotly-plot")).to_be_visible(timeout=30_000)
        assert _calls(sent)  # drawn by the handlers


# In the page: Gradio's find_attached_events and playground/gradio_lookups.js's, on the page's
# own config (every component, every event).
COMPARE = """async (core) => {
  const { AppTree } = await import(core);
  const indexed = AppTree.prototype.find_attached_events;
  const config = window.gradio_config;
  const out = { patched: !!indexed.unrolled, ids: 0, same: 0, events: 0, differ: [] };
  if (!out.patched) return out;
  for (const c of config.components) {
    const a = { id: c.id, props: { shared_props: {} } };
    const b = { id: c.id, props: { shared_props: {} } };
    indexed.call(null, a, config.dependencies);
    indexed.original.call(null, b, config.dependencies);
    const x = JSON.stringify(a.props.shared_props.attached_events);
    const y = JSON.stringify(b.props.shared_props.attached_events);
    out.ids += 1;
    out.events += b.props.shared_props.attached_events.length;
    if (x === y) out.same += 1; else out.differ.push([c.id, x, y]);
  }
  return out;
}"""


def _core(app_url: str) -> str:
    """Gradio's core module at the URL the page imports it from (so the very same module)."""
    return f"{app_url.rstrip('/')}/assets/{core_module()}"


def test_the_page_finds_each_components_events_as_gradio_does(browser, app_url):  # noqa: F811
    """playground/gradio_lookups.js replaces one of Gradio's functions in the page (the events
    of each component, found once rather than once per component): it is in place, and gives
    every component of this app's config the very list Gradio's own gives."""
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=60_000)
        out = page.evaluate(COMPARE, _core(app_url))
        assert out["patched"], "gradio_lookups.js is not in place"
        assert out["ids"] > 300 and out["differ"] == [] and out["same"] == out["ids"]
        assert out["events"] > 100  # not a comparison of empty lists (158 events today)


# In the page: the app's own tree (Gradio's AppTree, caught as an event gathers its inputs: a
# time step, which runs in the page), then each component's state from Gradio's get_state and
# from gradio_lookups.js's, called together (one walk) and one at a time (a walk each).
STATES = """async (core) => {
  const { AppTree } = await import(core);
  const proto = AppTree.prototype;
  const walked = proto.get_state;
  const out = { patched: !!walked.unrolled && !!proto.update_state.unrolled };
  if (!out.patched) return out;
  // (Gradio holds get_state bound to the tree: caught by the tree's first read of its root)
  const root = Object.getOwnPropertyDescriptor(proto, "root");
  const caught = new Promise((resolve, reject) => {
    Object.defineProperty(proto, "root", { configurable: true, set: root.set, get() {
      Object.defineProperty(proto, "root", root);
      resolve(this);
      return root.get.call(this);
    } });
    setTimeout(() => reject(new Error("no event read the tree")), 10000);
  });
  const input = document.querySelector("#topology-step input[type=range]");
  input.value = "2";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const app = await caught;
  await new Promise((resolve) => setTimeout(resolve, 1000));  // the step shown, its text set
  const ids = [...window.gradio_config.components.map((c) => c.id), 10 ** 6];
  const plain = (v) => JSON.stringify(v === undefined ? null : v);
  const together = (await Promise.all(ids.map((id) => walked.call(app, id)))).map(plain);
  const alone = [];
  for (const id of ids) alone.push(plain(await walked.call(app, id)));
  const gradio = [];
  for (const id of ids) gradio.push(plain(await walked.original.call(app, id)));
  out.ids = ids.length;
  out.found = gradio.filter((v) => v !== "null").length;
  out.differ = ids.filter((id, k) => together[k] !== gradio[k] || alone[k] !== gradio[k])
    .map((id) => [id, ...[together, alone, gradio].map((v) => v[ids.indexOf(id)].slice(0, 80))]);
  // nothing left armed: two reads of the root agree, and it is the layout's root
  out.root = app.root === app.root && app.root.id === window.gradio_config.layout.id;
  out.diagram = gradio[ids.indexOf(window.gradio_config.components.find(
    (c) => c.props.elem_id === "topology-diagram").id)].length;
  return out;
}"""


def test_the_page_finds_each_components_state_as_gradio_does(browser, app_url):  # noqa: F811
    """gradio_lookups.js also replaces the walk from the tree's root that Gradio's get_state
    and update_state begin with: each component's state (every component of the config, and
    an id that is none) is the one Gradio's own get_state gives, asked for together or one by
    one, and the tree's root is the tree's root after."""
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=60_000)
        out = page.evaluate(STATES, _core(app_url))
        assert out["patched"], "gradio_lookups.js is not in place"
        assert out["ids"] > 300 and out["differ"] == []
        assert out["found"] > 200 and out["diagram"] > 10_000  # states, the diagram's figure
        assert out["root"]
