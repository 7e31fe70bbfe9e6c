"""The look: projector-friendly type and contrast, and a colour-blind-safe palette.

The course notes' convention, in Okabe-Ito shades that stay apart for every common form of
colour blindness: input red (vermillion), hidden blue, output orange.
"""

from __future__ import annotations

import gradio as gr

INPUT = "#D55E00"     # vermillion
HIDDEN = "#0072B2"    # blue
OUTPUT = "#E69F00"    # orange
CONTEXT = "#009E73"   # bluish green: the encoder-decoder's context vector
INK = "#1a1a1a"
MUTED = "#6b6b6b"
FONT = "Noto Sans, NanumGothic, Nanum Gothic, Malgun Gothic, Apple SD Gothic Neo, sans-serif"
FONT_SIZE = 16

THEME = gr.themes.Default(
    primary_hue=gr.themes.colors.blue,
    text_size=gr.themes.sizes.text_lg,
    font=["Noto Sans", "NanumGothic", "sans-serif"],  # local fonts only: no web font fetch
)

CSS = """
.gradio-container { max-width: 1500px !important; }
#lang-probe, .visually-hidden { position: absolute !important; width: 1px; height: 1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.prose, .prose p, .prose li { font-size: 1.05rem; line-height: 1.55; }
/* Korean wraps between words, as it is written (not 정확/도); a word longer than its line
   (a formula, a URL) may still break anywhere rather than overflow */
body { word-break: keep-all; overflow-wrap: anywhere; }
/* a control a teacher's link locked (playground.links): disabled, and kept so */
.locked { pointer-events: none; opacity: 0.65; }
.link-hidden { display: none !important; }
#link-notice:empty, .link-copied:empty { display: none; }
.link-row { align-items: center; gap: 0.5rem; }
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
  #s2s-step-plot .js-plotly-plot, #bp-race-heat .js-plotly-plot,
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
