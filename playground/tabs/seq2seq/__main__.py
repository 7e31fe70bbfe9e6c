"""``python -m playground.tabs.seq2seq``: serve this tab alone (for working on it)."""

from playground.app import main

main(("seq2seq",))
