"""Reproduce in PyTorch, on every tab alike: an accordion with a button that makes a script for
the tab's current settings, the script shown as code, and two downloads (.py, .ipynb) made in
the browser from the text already on the page, so the server keeps no files.

The script comes from the tab's own ``reproduce`` function (``playground.tabs.<tab>.reproduce``),
which reads every value through the tab's settings as its view's handler does; its event is a
public endpoint (``/reproduce_<tab>``) returning the script, the notebook and the file name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from .i18n import I18N, register

register(
    en={"repro_title": "Reproduce in PyTorch",
        "repro_text": "A standalone script for the settings above: it builds the same model "
                      "with standard PyTorch modules, computes what this view shows (by hand "
                      "where the view explains an equation, and checks it against the module), "
                      "and prints the numbers. Run it with `python`, or open the notebook.",
        "repro_make": "Make the script",
        "repro_py": "Download .py",
        "repro_ipynb": "Download .ipynb",
        "repro_code": "Script"},
    ko={"repro_title": "PyTorch로 재현하기",
        "repro_text": "위 설정 그대로의 독립 실행 스크립트입니다. 표준 PyTorch 모듈로 같은 모델을 "
                      "만들고, 이 화면이 보여 주는 값을 계산해(화면이 식을 설명하는 곳은 손으로도 "
                      "계산해 모듈과 맞는지 확인합니다) 숫자를 출력합니다. `python`으로 실행하거나 "
                      "노트북으로 여세요.",
        "repro_make": "스크립트 만들기",
        "repro_py": ".py 내려받기",
        "repro_ipynb": ".ipynb 내려받기",
        "repro_code": "스크립트"},
)

MIME = {".py": "text/x-python", ".ipynb": "application/x-ipynb+json"}
# A Blob of the text, saved through a temporary <a download>: no request, no file on the server.
DOWNLOAD_JS = """(text, name) => {{
  if (!text) return;
  const a = document.createElement("a");
  if (!text.endsWith("\\n")) text += "\\n";  // (the code box drops the file's last newline)
  a.href = URL.createObjectURL(new Blob([text], {{type: "{mime}"}}));
  a.download = (name || "unrolled") + "{ext}";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}}"""


def download_js(ext: str) -> str:
    """The browser-side download of a text as ``<name><ext>``."""
    return DOWNLOAD_JS.format(mime=MIME[ext], ext=ext)


@dataclass(frozen=True)
class Panel:
    """The accordion's parts; :meth:`connect` wires them once the tab's controls exist."""

    tab: str
    button: gr.Button
    code: gr.Code
    notebook: gr.Textbox
    name: gr.Textbox

    def connect(self, make: Callable, inputs: list, lang_box: gr.Textbox) -> dict:
        """``make(*inputs, lang)`` returns (script, notebook, file name); its event is the
        public endpoint ``reproduce_<tab>``. Returns the event's arguments."""
        event = dict(fn=make, inputs=[*inputs, lang_box],
                     outputs=[self.code, self.notebook, self.name], preprocess=False)
        self.button.click(**event, api_name=f"reproduce_{self.tab}")
        return event


def reproduce_panel(tab: str) -> Panel:
    """The accordion, closed (call inside the tab's layout), with its downloads wired."""
    with gr.Accordion(I18N("repro_title"), open=False, elem_id=f"{tab}-repro",
                      elem_classes="reproduce"):
        gr.Markdown(I18N("repro_text"))
        button = gr.Button(I18N("repro_make"), elem_id=f"{tab}-repro-make")
        code = gr.Code(language="python", interactive=False, label=I18N("repro_code"),
                       elem_id=f"{tab}-repro-code", max_lines=30)
        notebook = gr.Textbox(visible=False, label="notebook")  # nbformat 4 JSON
        name = gr.Textbox(visible=False, label="file_name")     # without .py / .ipynb
        with gr.Row():
            py = gr.Button(I18N("repro_py"), size="sm", elem_id=f"{tab}-repro-py")
            ipynb = gr.Button(I18N("repro_ipynb"), size="sm", elem_id=f"{tab}-repro-ipynb")
    py.click(None, [code, name], None, js=download_js(".py"), api_visibility="private")
    ipynb.click(None, [notebook, name], None, js=download_js(".ipynb"), api_visibility="private")
    return Panel(tab, button, code, notebook, name)
