"""Sessions end: Gradio's per-session state goes once no page holds it and it is idle."""

from __future__ import annotations

import time
import uuid

import httpx

from playground import sessions


def ping(url: str, session: str) -> None:
    """One call in a session of its own (as a script, or gradio_client, makes)."""
    r = httpx.post(url + "gradio_api/queue/join", timeout=30,
                   json={"data": [], "fn_index": ping_index(url), "session_hash": session,
                         "event_data": None, "trigger_id": None})
    assert r.status_code == 200
    with httpx.stream("GET", url + "gradio_api/queue/data", params={"session_hash": session},
                      timeout=30) as s:
        assert "process_completed" in "".join(s.iter_text())


def ping_index(url: str) -> int:
    config = httpx.get(url + "config").json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ping")


def test_idle_api_sessions_are_dropped_and_recent_ones_kept(app_demo, app_url):
    holder = app_demo.server_app.state_holder
    old = [f"old-{uuid.uuid4().hex[:8]}" for _ in range(5)]
    for s in old:
        ping(app_url, s)
    assert all(s in holder.session_data for s in old)
    time.sleep(0.5)
    recent = f"new-{uuid.uuid4().hex[:8]}"
    ping(app_url, recent)
    dropped = sessions.sweep(app_demo.server_app, idle_seconds=0.4)
    assert dropped >= 5
    assert not any(s in holder.session_data for s in old)
    assert recent in holder.session_data
    ping(app_url, old[0])  # a script that comes back is served, in a fresh session
    assert old[0] in holder.session_data


def test_a_session_with_a_call_waiting_is_kept(app_demo, app_url, monkeypatch):
    holder = app_demo.server_app.state_holder
    session = f"busy-{uuid.uuid4().hex[:8]}"
    ping(app_url, session)
    monkeypatch.setattr(sessions, "busy_sessions", lambda app: {session})
    sessions.sweep(app_demo.server_app, idle_seconds=0)
    assert session in holder.session_data


def test_heartbeats_are_counted_while_open():
    import asyncio

    seen = []

    async def app(scope, receive, send):
        seen.append(sessions.open_pages())

    watch = sessions.HeartbeatWatch(app)
    scope = {"type": "http", "method": "GET", "path": "/gradio_api/heartbeat/abc"}
    before = sessions.open_pages()
    asyncio.run(watch(scope, None, None))
    assert seen == [before + 1] and sessions.open_pages() == before


def test_past_the_cap_the_least_recently_used_loose_sessions_go_first(app_demo, app_url,
                                                                      monkeypatch):
    monkeypatch.setattr(sessions, "MIN_IDLE_SECONDS", 0.0)
    holder = app_demo.server_app.state_holder
    sessions.sweep(app_demo.server_app, idle_seconds=0)  # start from no loose session
    names = [f"lru{k}-{uuid.uuid4().hex[:6]}" for k in range(6)]
    for s in names:
        ping(app_url, s)
        time.sleep(0.05)
    dropped = sessions.sweep(app_demo.server_app, idle_seconds=3600, max_loose=2)
    assert dropped == 4
    assert [s in holder.session_data for s in names] == [False] * 4 + [True] * 2


def test_a_new_session_makes_no_config_of_every_block(app_demo, app_url, monkeypatch):
    """playground.gradio_internals.lazy_sessions: a session's state starts with no block's
    config (Gradio made all 357 for each new session); without the app's flag, Gradio's own
    way, and a lazy session has every attribute an eager one has."""
    from gradio.state_holder import SessionState

    session = uuid.uuid4().hex[:11]
    ping(app_url, session)
    state = app_demo.state_holder.session_data[session]
    assert len(state.config_values) <= 2  # only what the call set (Gradio fills those in)
    monkeypatch.setattr(app_demo, "unrolled_lazy_sessions", False)
    eager = SessionState(app_demo)
    assert len(eager.config_values) > 300 and set(vars(eager)) == set(vars(state))
