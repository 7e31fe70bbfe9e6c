"""The gate in front of the server: no uploads, bounded request bodies, normal calls pass."""

from __future__ import annotations

import httpx
import pytest


def test_uploads_are_refused_and_nothing_is_stored(app_url):
    r = httpx.post(app_url + "gradio_api/upload", files={"files": ("a.txt", b"x" * 1000)})
    assert r.status_code == 403 and "no file uploads" in r.json()["detail"]


@pytest.mark.parametrize("chunked", [False, True])
def test_a_large_body_is_refused_before_gradio_reads_it(app_url, chunked):
    data = {"data": ["x" * 200_000, "rnn", 4, 1, "pretrained", False, 1, None, "en"]}
    body = httpx.Request("POST", "http://x", json=data).content
    content = (body[k:k + 8192] for k in range(0, len(body), 8192)) if chunked else body
    r = httpx.post(app_url + "gradio_api/call/step_through_time", content=content,
                   headers={"content-type": "application/json"})
    assert r.status_code == 413 and "at most" in r.json()["detail"]


def test_normal_calls_still_pass(app_url):
    r = httpx.post(app_url + "gradio_api/call/ping", json={"data": []})
    assert r.status_code == 200 and "event_id" in r.json()
    with httpx.stream("GET", app_url + "gradio_api/call/ping/" + r.json()["event_id"]) as s:
        text = "".join(s.iter_text())
    assert text == 'event: complete\ndata: [{"ok": true}]\n\n'


@pytest.mark.parametrize("method,path", [
    ("GET", "gradio_api/deep_link?session_hash=abc"), ("GET", "gradio_api/dev/reload"),
    ("GET", "gradio_api/runs"), ("POST", "gradio_api/run-history/connect"),
    ("POST", "gradio_api/stream/abc"), ("POST", "gradio_api/process_recording"),
    ("POST", "gradio_api/vibe-edit"), ("GET", "gradio_api/upload_progress?upload_id=x")])
def test_routes_the_app_does_not_use_are_closed(app_url, method, path):
    r = httpx.request(method, app_url + path, timeout=10)
    assert r.status_code == 404 and "does not use" in r.json()["detail"]


def test_the_routes_the_page_and_scripts_use_stay_open(app_url):
    for path in ("", "config", "gradio_api/info", "gradio_api/startup-events", "theme.css"):
        assert httpx.get(app_url + path, timeout=10).status_code == 200, path
