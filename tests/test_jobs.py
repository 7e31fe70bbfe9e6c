"""Background jobs: start, progress, cancel, shared runs, the queue, abandoned sessions."""

from __future__ import annotations

import time

import pytest

from engine import TASKS, JobManager, ModelConfig, QueueFull, TrainConfig, train_job

CFG = ModelConfig.for_task(TASKS["parens"], cell="gru", hidden_size=8)


def job_args(steps: int, seed: int = 0) -> tuple:
    return (train_job, "parens", CFG, TrainConfig(steps=steps, batch_size=8, seed=seed), 0)


def wait(jm: JobManager, ticket: str, status: set[str], timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        snap = jm.snapshot(ticket)
        if snap.status in status:
            return snap
        time.sleep(0.02)
    raise AssertionError(f"job still {jm.snapshot(ticket).status} after {timeout} s")


@pytest.fixture(params=["thread", "process"])
def jm(request):
    manager = JobManager(max_running=1, max_queued=2, backend=request.param)
    yield manager
    manager.shutdown()


@pytest.mark.slow
def test_start_progress_and_result(jm):
    t = jm.submit(*job_args(30))
    snap = wait(jm, t, {"done"})
    assert [m.step for m in snap.progress] == list(range(1, 31))
    assert 0 <= snap.result["accuracy"] <= 100 and isinstance(snap.result["state_dict"], bytes)


@pytest.mark.slow
def test_cancel_within_two_seconds(jm):
    t = jm.submit(*job_args(3000))
    wait(jm, t, {"running"})
    wait_for_progress = time.monotonic() + 30
    while not jm.snapshot(t).progress and time.monotonic() < wait_for_progress:
        time.sleep(0.05)
    start = time.monotonic()
    jm.cancel(t)
    snap = wait(jm, t, {"cancelled"}, timeout=2.0)
    assert time.monotonic() - start < 2.0
    assert len(snap.progress) < 3000
    assert jm.counts()["running"] == 0


@pytest.mark.slow
def test_identical_settings_share_one_run(jm):
    tickets = [jm.submit(*job_args(40)) for _ in range(60)]
    assert len(set(tickets)) == 60
    assert jm.counts()["queued"] + jm.counts()["running"] == 1
    snap = wait(jm, tickets[0], {"done"})
    assert snap.shared_with == 60
    # a late request for the same settings gets the finished run at once
    late = jm.submit(*job_args(40))
    assert jm.snapshot(late).status == "done"


@pytest.mark.slow
def test_concurrency_limit_and_queue_positions(jm):
    running = jm.submit(*job_args(3000, seed=1))
    wait(jm, running, {"running"})
    second = jm.submit(*job_args(3000, seed=2))
    third = jm.submit(*job_args(3000, seed=3))
    assert jm.snapshot(second).queue_position == 1
    assert jm.snapshot(third).queue_position == 2
    assert jm.counts()["running"] == 1  # max_running=1 is respected
    with pytest.raises(QueueFull):
        jm.submit(*job_args(3000, seed=4))
    jm.cancel(second)  # leaving the queue moves the others up
    assert jm.snapshot(third).queue_position == 1
    for t in (running, third):
        jm.cancel(t)


@pytest.mark.slow
def test_releasing_one_of_two_tickets_keeps_the_shared_job():
    jm = JobManager(max_running=1, backend="thread")
    a = jm.submit(*job_args(3000))
    b = jm.submit(*job_args(3000))
    wait(jm, a, {"running"})
    jm.release(a)  # one student leaves: the other still watches it
    time.sleep(0.3)
    assert jm.snapshot(b).status == "running"
    jm.release(b)  # the last one leaves: the job stops
    end = time.monotonic() + 2
    while jm.counts()["running"] and time.monotonic() < end:
        time.sleep(0.02)
    assert jm.counts() == {"running": 0, "queued": 0, "tickets": 0}
    jm.shutdown()


def test_a_failing_job_reports_its_error():
    jm = JobManager(max_running=1, backend="thread")
    t = jm.submit(train_job, "no_such_task", CFG, TrainConfig(steps=1), 0)
    snap = wait(jm, t, {"failed"}, timeout=10)
    assert "task" in snap.error
    jm.shutdown()


def test_abandoned_session_releases_its_ticket():
    """The tab's State holds the ticket and releases it when the session is deleted."""
    import gradio as gr

    from playground import common, topologies

    with gr.Blocks():
        topologies.build(gr.Textbox("en"))
        states = [b for b in gr.context.Context.root_block.blocks.values()
                  if isinstance(b, gr.State)]
    assert states and all(s.delete_callback is common.release_ticket for s in states)
    assert all(0 < s.time_to_live < float("inf") for s in states)
    jm = JobManager(max_running=1, backend="thread")
    old, common._jobs = common._jobs, jm
    try:
        t = jm.submit(*job_args(3000))
        wait(jm, t, {"running"})
        common.release_ticket(t)  # what gradio calls when the session's state expires
        end = time.monotonic() + 2
        while jm.counts()["running"] and time.monotonic() < end:
            time.sleep(0.02)
        assert jm.counts()["running"] == 0
    finally:
        common._jobs = old
        jm.shutdown()
