"""The app shell: one ``gr.Blocks`` with a tab per package of ``playground.tabs``."""

from __future__ import annotations

import functools
import os

import gradio as gr
from starlette.middleware import Middleware

from . import access, controls, fairness, first_views, links, stepping, tabs
from .arity import ArityGuard
from .early_page import EarlyPage
from .first_views import FirstViewsRoute
from .gradio_internals import calm_queue, lazy_sessions
from .guard import RequestGuard
from .i18n import I18N, lang_of, tr
from .lessons import panel as lessons_panel
from .light_plotly import LightPlotly
from .serving import end_session, training_status
from .sessions import HeartbeatWatch
from .static_cache import CompressedStatic
from .style import CSS, THEME

# Read the language the page is showing (the browser's, or the one picked in Settings) from a
# hidden probe whose text gradio translates, so server-made text follows the same language.
LANG_JS = """
() => {
  const el = document.querySelector('#lang-probe');
  const code = el ? el.textContent.trim() : '';
  return code === 'ko' || code === 'en' ? code : (navigator.language || 'en').slice(0, 2);
}
"""

# Watch the probe: when the language is switched in Settings, press the hidden relang button.
HEAD = """
<script>
(() => {
  let last = null;
  setInterval(() => {
    const el = document.querySelector('#lang-probe');
    if (!el) return;
    const code = el.textContent.trim();
    if (last !== null && code !== last) {
      const b = document.querySelector('#relang button, button#relang');
      if (b) b.click();
    }
    last = code;
  }, 700);
})();
</script>
"""


def ping() -> dict:
    """A no-op endpoint: for uptime checks, and the baseline of ``bench/bench_step.py``."""
    return {"ok": True}


def tab_titles(lang: str, ids: tuple[str, ...] = tabs.TABS) -> list | gr.Tab:
    """The titles of the tabs ``ids`` in the page's language (one output each; with one tab,
    Gradio takes the value itself, not a list of one)."""
    titles = [gr.Tab(label=tr(lang_of(lang), tab.TITLE)) for tab in tabs.load(ids)]
    return titles[0] if len(titles) == 1 else titles


def build_demo(ids: tuple[str, ...] = tabs.TABS) -> gr.Blocks:
    """The app, with the tabs ``ids`` (all of them by default)."""
    shown = tabs.load(ids)
    with gr.Blocks(title="Unrolled") as demo:
        gr.Markdown(I18N("lang_code"), elem_id="lang-probe")
        lang_box = gr.Textbox("en", visible=True, elem_classes="visually-hidden",
                              label="lang", show_label=False, interactive=False,
                              container=False)
        relang = gr.Button("relang", elem_id="relang", visible="hidden")  # pressed by the page
        gr.Markdown(I18N("title"))
        with gr.Row(elem_classes="subtitle-row"):
            gr.Markdown(I18N("subtitle"))
            links.present_button()
        notice = gr.Markdown(elem_id="link-notice")  # what a link could not set
        lesson_slot = gr.Column()  # the lessons' card, above the tabs (filled below)
        draws, titles, linked = [], [], []
        # every tab's title shown on a phone too (not behind a "..." menu)
        with gr.Tabs(overflow_behavior="wrap") as tabs_box:
            for tab in shown:
                with gr.Tab(I18N(tab.TITLE), id=tab.ID) as title:
                    links.copy_button(LANG_JS)
                    with controls.collect() as found:  # the controls of its settings
                        tab_draws = tab.build(lang_box)  # and the events of its first view
                draws += tab_draws
                titles.append(title)
                linked.append(links.TabLinks(tab.ID, title, tuple(found), tuple(tab_draws)))
        demo.unload(end_session)  # a closed page stops its jobs at once
        gr.api(training_status, api_name="training_status")
        gr.api(ping, api_name="ping")
        # Gradio 6.31 translates only the selected tab's title after a switch in Settings
        draws.append(dict(fn=functools.partial(tab_titles, ids=ids), inputs=[lang_box],
                          outputs=titles))
        # The language switched in Settings (or the first views' file missing): learn the
        # page's language, then draw every tab's view with its current settings.
        ev = relang.click(None, None, lang_box, js=LANG_JS, api_visibility="private")
        events = []
        for d in draws:
            ev = ev.then(**d, api_visibility="private")
            events.append(ev)
        # First views: the same events, run once per language on the server and sent as a
        # file (playground.first_views): opening the page runs no handler.
        first_views.install(demo, events, lang_box, LANG_JS)
        # The URL holds the view: opening a link sets a tab's controls, changes are written
        # back to the address bar (playground.links).
        links.install(demo, linked, notice, tabs_box, LANG_JS)
        stepping.install(demo)  # the time sliders draw their plots from their own input
        # The lessons: a card that opens each step of a lesson as a link (playground.lessons);
        # they walk through every tab, so a tab served alone has none
        if set(ids) == set(tabs.TABS):
            with lesson_slot:
                lessons_panel.build(linked, lang_box, LANG_JS)
    # Handlers share one Python process (one core's worth under the GIL), so slots don't add
    # throughput; enough of them keeps one endpoint's crowd from starving the others
    # (bench_burst: p95 5.9 s with 2 slots on /show_topology, 3.5 s with 8). The heavy work
    # (BPTT profiles) is one narrower group (playground.bptt). playground.fairness caps what
    # one session and one group may have waiting and serves sessions in rounds; max_size is
    # the last bound on the whole queue's memory (bodies are at most 64 KB, playground.guard).
    # Gradio's queue summarises its recorded events (a pandas groupby over up to 10000 of them)
    # after every event by default: a cost that grows with the class's history, under the
    # handlers' lock. Its monitoring page is all that reads the summary: refresh it rarely.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "5000")
    demo.queue(default_concurrency_limit=8, max_size=2048)
    calm_queue(demo)  # an idle server polled its queue 1,000 times a second
    lazy_sessions(demo)  # a new session made the config of all 357 blocks (20-80 ms)
    fairness.install(demo)
    return demo


def launch_options() -> dict:
    """What ``launch()`` needs besides host and port (the tests launch with the same)."""
    return dict(theme=THEME, css=CSS, head=links.SCRIPT + first_views.HEAD + HEAD
                + stepping.SCRIPT + access.SCRIPT, i18n=I18N,
                footer_links=["api", "settings"],
                run_history=False,  # nothing recorded per call; its routes closed (guard)
                # no uploads, bounded bodies (playground.guard); max_file_size is a second lock;
                # the page compressed, Plotly asked for first (playground.early_page);
                # the page's files compressed once (playground.static_cache), Plotly with
                # only the traces the app draws among them (playground.light_plotly);
                # then a wrong number of values gets a message (playground.arity); sessions no
                # page holds open are dropped when idle (playground.sessions)
                max_file_size=1, app_kwargs={"middleware": [Middleware(RequestGuard),
                                                            Middleware(EarlyPage),
                                                            Middleware(CompressedStatic),
                                                            Middleware(LightPlotly),
                                                            Middleware(ArityGuard),
                                                            Middleware(HeartbeatWatch),
                                                            Middleware(FirstViewsRoute)]})


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread that allocates under contention an arena of its own and keeps
    what is freed there: eight handler threads computing the largest BPTT profiles held 2.4 GB
    even when only two ran at once; with two arenas, 1.0 GB. A no-op off glibc."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def main(ids: tuple[str, ...] = tabs.TABS) -> None:
    """Serve the app (or only the tabs ``ids``) on GRADIO_SERVER_NAME:GRADIO_SERVER_PORT."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    limit_malloc_arenas()  # before the server starts its threads
    import torch

    torch.set_num_threads(1)  # one core answers requests; training jobs get their own
    build_demo(ids).launch(server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        server_port=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
                        **launch_options())
