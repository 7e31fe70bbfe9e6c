"""Strings of the Seq2seq vs attention tab, in English and Korean (see ``playground.i18n``)."""

from __future__ import annotations

EN: dict[str, str] = {
}

KO: dict[str, str] = {
}
