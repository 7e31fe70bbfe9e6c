"""``python -m playground.tabs.bptt``: serve this tab alone (for working on it)."""

from playground.app import main

main(("bptt",))
