"""Shared fixtures: fixed seeds, and the app served on a free port for end-to-end tests."""

from __future__ import annotations

import os
import socket

import pytest
import torch

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_demo():
    """The whole app, launched in this process on a free port (Gradio's own test pattern)."""
    from playground.app import build_demo, launch_options

    demo = build_demo()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=free_port(),
                quiet=True, **launch_options())
    yield demo
    demo.close()


@pytest.fixture(scope="session")
def app_url(app_demo):
    return app_demo.local_url


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


@pytest.fixture
def thread_jobs():
    """The tabs' jobs on a job manager of their own, in threads of this process."""
    from engine import JobManager
    from playground import serving

    manager = JobManager(max_running=1, backend="thread")
    with serving.use_jobs(manager):
        yield manager
    manager.shutdown()
