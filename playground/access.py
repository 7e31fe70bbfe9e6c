"""Access in the browser (``access.js``): code tokens to WCAG AA contrast, hidden helpers out of
the tab order (each figure's text summary is ``figure_export.js``'s). The focus
ring and the contrast of the theme are CSS, in ``style.py``."""

from __future__ import annotations

from pathlib import Path

SCRIPT = "<script>\n" + Path(__file__).with_name("access.js").read_text() + "</script>\n"
