"""The look: projector-friendly type and contrast, and a colour-blind-safe palette.

The course notes' convention, in shades that stay apart for every common form of colour
blindness: input red (vermillion), hidden blue, output orange. They began as Okabe-Ito's and
were darkened until every pair a figure draws together lies at least 20 apart (CAM02-UCS)
under simulated protanopia, deuteranopia and tritanopia, and every series colour has at least
3:1 contrast on white, the WCAG minimum for lines and bars: tests/playground/test_palette.py
measures both. Text in a series colour lighter than 4.5:1 takes ``text_shade(colour)``.
"""

from __future__ import annotations

import gradio as gr

INPUT = "#A03707"     # vermillion, darkened (Okabe-Ito's #D55E00 sat 15 from orange, deutan)
HIDDEN = "#203D6D"    # blue, darkened (Okabe-Ito's #0072B2 sat 12 from the green, tritan)
OUTPUT = "#CD7D1E"    # orange (Okabe-Ito's #E69F00 had 2.25:1 contrast on white)
CONTEXT = "#277D64"   # bluish green, darkened (from #009E73): the encoder-decoder's context
INK = "#1a1a1a"
MUTED = "#6b6b6b"


def luminance(color: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour ``#rrggbb``."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2's contrast ratio, (L1 + 0.05) / (L2 + 0.05), from 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_shade(color: str, ratio: float = 4.5) -> str:
    """``color``, darkened (the same hue, each channel scaled) until text in it has ``ratio``
    contrast on white: WCAG AA for text of ordinary size."""
    if contrast(color) >= ratio:
        return color
    rgb = [int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    shade = color
    for k in range(99, 0, -1):
        shade = "#" + "".join(f"{round(c * k / 100):02x}" for c in rgb)
        if contrast(shade) >= ratio:
            break
    return shade


def label_ink(fill: str) -> str:
    """White or ink, whichever reads better on a box filled with ``fill``."""
    return "white" if contrast("#ffffff", fill) >= contrast(INK, fill) else INK


FONT = "Noto Sans, NanumGothic, Nanum Gothic, Malgun Gothic, Apple SD Gothic Neo, sans-serif"
FONT_SIZE = 16

THEME = gr.themes.Default(
    primary_hue=gr.themes.colors.blue,
    text_size=gr.themes.sizes.text_lg,
    font=["Noto Sans", "NanumGothic", "sans-serif"],  # local fonts only: no web font fetch
).set(
    # WCAG AA (4.5:1) for text: the default's subdued grey (a slider's min and max, info
    # text, code line numbers) had 1.9:1 on white, white on the primary blue 3.7:1
    body_text_color_subdued="*neutral_600",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_text_color="white",
)

CSS = """
.gradio-container { max-width: 1500px !important; }
#lang-probe, .visually-hidden, .sr-only { position: absolute !important; width: 1px; height: 1px;
  overflow: hidden !important; clip: rect(0 0 0 0); white-space: nowrap; }
#lang-probe * { overflow: hidden !important; }
/* Keyboard: every control shows where the focus is (sliders, radios, checkboxes, buttons, tab
   titles, number and text boxes, links, a plot's toolbar): a 3px ring in the primary blue
   (6.7:1 on white), outside the control so that it never hides its value. Plotly shows its
   toolbar on hover only: on focus too */
:focus-visible, .gradio-container :focus-visible, input[type=range]:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
.dark :focus-visible, .dark .gradio-container :focus-visible,
.dark input[type=range]:focus-visible {
  outline-color: #93c5fd !important; }  /* 10:1 on Gradio's dark background */
.js-plotly-plot .plotly .modebar--hover:focus-within > .modebar-group { opacity: 1 !important;
  transition: none !important; }
.js-plotly-plot .modebar-btn:focus-visible { outline-offset: 0 !important; }
/* code wraps rather than scrolling sideways in a box a keyboard cannot reach (CodeMirror's own
   lineWrapping, as CSS) */
.cm-content { white-space: pre-wrap !important; overflow-wrap: anywhere; flex-shrink: 1; }
.prose, .prose p, .prose li { font-size: 1.05rem; line-height: 1.55; }
/* Korean wraps between words, as it is written (not 정확/도); a word longer than its line
   (a formula, a URL) may still break anywhere rather than overflow */
body { word-break: keep-all; overflow-wrap: anywhere; }
/* ... but a slider's ends are numbers: never "0." over "9" */
.slider_input_container .min_value, .slider_input_container .max_value {
  overflow-wrap: normal !important; white-space: nowrap !important; flex-shrink: 0; }
/* a control a teacher's link locked (playground.links): disabled, and kept so */
.locked { pointer-events: none; opacity: 0.65; }
.link-hidden { display: none !important; }
#link-notice:empty, .link-copied:empty { display: none; }
.link-row { align-items: center; gap: 0.5rem; }
/* a lesson's step points at one figure (links.js: go) */
.lesson-focus { outline: 4px solid #b45309 !important; outline-offset: 4px;
  border-radius: 8px; }
#lesson-head { font-weight: 600; }
/* during a lesson its card is a drawer at the bottom of the window: the figure it points at
   stays in view above it */
html.in-lesson #lesson-card { position: fixed !important; left: 0; right: 0; bottom: 0;
  z-index: 50; max-height: 42vh; overflow-y: auto; background: var(--background-fill-primary);
  border-top: 3px solid #1d4ed8; box-shadow: 0 -4px 16px rgba(0, 0, 0, 0.15);
  padding: 10px max(16px, calc((100vw - 1500px) / 2)) 12px; margin: 0; }
html.in-lesson #lesson-card > * { flex-shrink: 0; }
/* (presenter mode: the card's buttons stay in a row, and the card may take more of the
   screen, for the class poll's counts) */
html.present #lesson-card .row { flex-direction: row !important; flex-wrap: wrap; }
html.present #lesson-card .row > * { min-width: 0 !important; width: auto !important; }
html.present.in-lesson #lesson-card { max-height: 55vh; }
html.in-lesson body { padding-bottom: 46vh; }
/* Folded explanations (html.fold: presenter mode, phones; playground/page.js). Gradio adds a
   copy of each rule under its container's classes, which outweighs html.fold: hence
   !important where a rule under html.fold must win over one without */
.fold-more { display: none; }
html.fold .fold-rest { display: none; }
html.fold .unfolded > .fold-rest { display: inline !important; }
html.fold .fold-more { display: inline !important; margin-left: 0.4em; padding: 0 0.6em;
  font-size: 0.85em; border: 1px solid #9ca3af; border-radius: 999px; background: none;
  color: #1d4ed8; cursor: pointer; }
.subtitle-row { align-items: center; }
/* Presenter mode (html.present): for a projector seen from the back of the room */
html.present { font-size: 125%; }
html.present .gradio-container { --text-xxs: 13px; --text-xs: 15px; --text-sm: 17px;
  --text-md: 20px; --text-lg: 23px; --text-xl: 28px; --text-xxl: 34px; }
html.present .row { flex-direction: column !important; }
html.present .row > .column { min-width: 100% !important; width: 100% !important; }
html.present footer { opacity: 0.35; }
html.present .row > .column.figures { order: -1; }
html.present .figures-first > .choices, html.present .figures-first > #s2s-caption { order: 1; }
#present-toggle[aria-pressed="true"] { outline: 3px solid #1d4ed8; }
/* Phones: a tab's figures come before its controls (the first screen shows a figure), and a
   figure keeps a width it is legible at, scrolling sideways as a whole in its own box rather
   than crushing its numbers or widening the page */
@media (max-width: 640px) {
  .row > .column.figures { order: -1; }
  .figures-first > .choices, .figures-first > #s2s-caption { order: 1; }
  #topology-diagram .js-plotly-plot, #st-hidden .js-plotly-plot, #s2s-heat .js-plotly-plot,
  #s2s-step-plot .js-plotly-plot, #s2s-step-states .js-plotly-plot, #bp-race-heat .js-plotly-plot,
  #st-prediction .js-plotly-plot { min-width: 560px; }
  #st-equation .js-plotly-plot { min-width: 720px; }
  div:has(> .js-plotly-plot) { overflow-x: auto; }
  .subtitle-row { flex-direction: column; align-items: flex-start !important; }
}
/* On a phone a figure's title is text above it, wrapping to the screen (page.js) */
.figure-caption { display: none; }
html.phone .figure-caption { display: block !important; margin: 0.25rem 0 0; font-weight: 600;
  font-size: 0.95rem; line-height: 1.35; }
html.phone .figure-caption:empty { display: none !important; }
html.phone .js-plotly-plot .gtitle { display: none; }
"""
