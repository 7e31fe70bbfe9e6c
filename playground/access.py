"""Access in the browser: code tokens darkened to WCAG AA, hidden helpers out of the tab order
(``access.js``; the focus ring and the contrast of the theme are CSS, in ``style.py``)."""

from __future__ import annotations

from pathlib import Path

SCRIPT = "<script>\n" + Path(__file__).with_name("access.js").read_text() + "</script>\n"
