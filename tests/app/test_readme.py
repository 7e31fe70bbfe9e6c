"""The README's notebook examples run as written (so the documentation can't drift from the
engine)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def engine_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    part = text[text.index("## The engine, from a notebook"):text.index("## Scripting the app")]
    return re.findall(r"```python\n(.*?)```", part, re.S)


def test_the_readme_engine_examples_run(monkeypatch):
    blocks = engine_examples()
    assert len(blocks) >= 5  # unroll, hidden_grad_norms, the profile, the race, seq2seq, tasks
    monkeypatch.chdir(README.parent)  # the examples load assets/ by relative path
    namespace: dict = {}
    for code in blocks:
        exec(compile(code, str(README), "exec"), namespace)
    # what the comments promise
    assert tuple(namespace["trace"].hidden.shape) == (2, 2, 2, 5, 3)
    assert namespace["out"].tokens.tolist() == [[6, 2, 9, 5, 1, 4, 1, 3]]
