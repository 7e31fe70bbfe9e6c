"""Sessions: one job per session and tab, whoever presses Train how often; a closed page stops
its jobs at once."""

from __future__ import annotations

import pytest

from playground import serving

pytestmark = pytest.mark.slow


def train(client, seed: int) -> str:
    ticket, *_ = client.predict("many_to_many", "rnn", 1, 0.0, False, 3000, seed, "en",
                                api_name="/train_topology")
    return ticket


def known(client, ticket: str) -> bool:
    try:
        client.predict(ticket, "en", api_name="/training_status")
        return True
    except Exception as e:  # noqa: BLE001
        assert "no longer known" in str(e)
        return False


def test_a_session_holds_one_job_per_tab(app_url):
    from gradio_client import Client

    alice, bob = Client(app_url, verbose=False), Client(app_url, verbose=False)
    first = train(alice, 101)
    spam = [train(alice, 102 + k) for k in range(5)]  # a script pressing Train again and again
    theirs = train(bob, 200)
    try:
        assert not known(alice, first) and not any(known(alice, t) for t in spam[:-1])
        assert known(alice, spam[-1]) and known(bob, theirs)
        # alice's five replaced runs are gone from the queue: hers and bob's are all that's left
        counts = serving.jobs().counts()
        assert counts["queued"] + counts["running"] <= 2 + 1  # (+1: one still stopping)
    finally:
        for t in (spam[-1], theirs):
            serving.release_ticket(t)
