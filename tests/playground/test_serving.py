"""What the tabs share (playground.serving): the cache of recent job results."""

from __future__ import annotations

from playground.serving import Recent


def test_recent_keeps_the_last_few_and_makes_each_once():
    made = []
    recent = Recent(2)

    def maker(key):
        return lambda: made.append(key) or key.upper()

    assert recent.get("a", maker("a")) == "A"
    assert recent.get("a", maker("a")) == "A" and made == ["a"]  # kept: made once
    recent.get("b", maker("b"))
    recent.get("a", maker("a"))  # a is now the most recent
    recent.get("c", maker("c"))  # past the size: b, the least recent, goes
    recent.get("b", maker("b"))
    assert made == ["a", "b", "c", "b"]
