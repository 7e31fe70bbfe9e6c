"""``python -m playground.tabs.step``: serve this tab alone (for working on it)."""

from playground.app import main

main(("step",))
