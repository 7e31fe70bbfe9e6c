"""The app's tabs, in the order the page shows them: one package each, with the same shape.

``tabs/<tab>/__init__.py`` has ``ID`` (the URL's ``?tab=``), ``TITLE`` (its title's string key)
and ``build(lang_box)``, which lays the tab out inside a ``gr.Blocks`` and returns the events
that draw its first view; ``handlers.py`` has its event handlers and API endpoints,
``figures.py`` its figure builders, ``strings.py`` its text in English and Korean. Each runs
alone: ``python -m playground.tabs.<tab>``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

TABS = ("topologies", "step", "bptt", "seq2seq")


def load(ids: tuple[str, ...] = TABS) -> list[ModuleType]:
    """The tab packages ``ids``, imported."""
    return [importlib.import_module(f"{__name__}.{tab}") for tab in ids]
