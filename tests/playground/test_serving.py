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


def test_a_shared_view_peeks_without_computing():
    """``peek`` answers from the cache or not at all: a class's repeated question is told
    apart from a new one without computing it."""
    from playground.serving import shared_view

    made = []

    @shared_view(maxsize=2)
    def view(x):
        made.append(x)
        return (x * 10,)

    assert view.peek(1) is None and made == []  # nothing computed to answer
    first = view(1)
    assert view.peek(1) is first and made == [1]  # the same object, not made again
    view(2)
    view(3)  # 1 is the least recently used of three: dropped, as lru_cache drops it
    assert view.peek(1) is None and view.peek(3) == (30,) and made == [1, 2, 3]
    assert view.cache_info().currsize == 2
    view.cache_clear()
    assert view.peek(3) is None and view.cache_info().currsize == 0
