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
"""
