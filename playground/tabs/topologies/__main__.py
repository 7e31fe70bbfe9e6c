"""``python -m playground.tabs.topologies``: serve this tab alone (for working on it)."""

from playground.app import main

main(("topologies",))
