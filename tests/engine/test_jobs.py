"""Background jobs: start, progress, cancel, shared runs, the queue, abandoned sessions."""

from __future__ import annotations

import time

import pytest

from engine import TASKS, JobManager, ModelConfig, QueueFull, TrainConfig, TrainRequest, train_job
from engine.jobs import UnknownJob

CFG = ModelConfig.for_task(TASKS["parens"], cell="gru", hidden_size=8)


def job_args(steps: int, seed: int = 0) -> tuple:
    return (train_job, TrainRequest("parens", CFG, TrainConfig(steps=steps, batch_size=8,
                                                               seed=seed)))


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
    assert jm.counts() == {"running": 0, "queued": 0, "tickets": 0, "finished": 0,
                           "result_bytes": 0}
    jm.shutdown()


def test_a_failing_job_reports_its_error():
    jm = JobManager(max_running=1, backend="thread")
    t = jm.submit(train_job, TrainRequest("no_such_task", CFG, TrainConfig(steps=1)))
    snap = wait(jm, t, {"failed"}, timeout=10)
    assert "task" in snap.error
    jm.shutdown()


def test_abandoned_session_releases_its_ticket(thread_jobs):
    """The tab's State holds the ticket and releases it when the session is deleted."""
    import gradio as gr

    from playground import serving
    from playground.tabs import topologies

    with gr.Blocks() as demo:
        topologies.build(gr.Textbox("en"))
    states = [b for b in demo.blocks.values() if isinstance(b, gr.State)]
    assert states and all(s.delete_callback is serving.release_ticket for s in states)
    assert all(0 < s.time_to_live < float("inf") for s in states)
    jm = thread_jobs
    t = jm.submit(*job_args(3000))
    wait(jm, t, {"running"})
    serving.release_ticket(t)  # what gradio calls when the session's state expires
    end = time.monotonic() + 2
    while jm.counts()["running"] and time.monotonic() < end:
        time.sleep(0.02)
    assert jm.counts()["running"] == 0


def sleeper(n: int, dt: float, tag: str = ""):
    """A job of n steps of dt seconds each (tag makes otherwise equal jobs distinct)."""
    for i in range(n):
        time.sleep(dt)
        yield i
    return {"tag": tag, "payload": b"x" * 1000}


def test_one_job_per_owner_and_shared_runs_stay_shared():
    jm = JobManager(max_running=1, max_queued=2, backend="thread")
    a = jm.submit(sleeper, 1000, 0.01, "a", owner="student-1")
    b = jm.submit(sleeper, 1000, 0.01, "b", owner="student-1")  # replaces a
    with pytest.raises(UnknownJob):
        jm.snapshot(a)
    # the queue holds one job per owner, however often one client presses Train
    for k in range(10):
        jm.submit(sleeper, 1000, 0.01, f"spam{k}", owner="student-1")
    assert jm.counts()["tickets"] == 1
    end = time.monotonic() + 2  # the replaced runs stop within a step
    while jm.counts()["queued"] + jm.counts()["running"] > 1 and time.monotonic() < end:
        time.sleep(0.02)
    assert jm.counts()["queued"] + jm.counts()["running"] == 1
    c = jm.submit(sleeper, 1000, 0.01, "c", owner="student-2")
    d = jm.submit(sleeper, 1000, 0.01, "c", owner="student-3")  # the same settings: joins c
    assert jm.snapshot(c).shared_with == 2 and jm.snapshot(d).shared_with == 2
    with pytest.raises(UnknownJob):
        jm.snapshot(b)
    jm.shutdown()


def test_results_live_as_long_as_their_tickets():
    jm = JobManager(max_running=1, backend="thread", keep_finished=0)
    tickets = [jm.submit(sleeper, 1, 0.0, str(k)) for k in range(5)]
    for t in tickets:
        wait(jm, t, {"done"})
    # far more finished runs than keep_finished: every held one is still readable
    assert all(jm.snapshot(t).result["payload"] for t in tickets)
    jm.release(tickets[0])
    assert jm.counts()["finished"] == 4
    jm.shutdown()


def test_memory_bound_on_finished_results():
    jm = JobManager(max_running=1, backend="thread", max_result_bytes=2500)
    tickets = [jm.submit(sleeper, 1, 0.0, str(k)) for k in range(4)]
    end = time.monotonic() + 10
    while jm.counts()["running"] + jm.counts()["queued"] and time.monotonic() < end:
        time.sleep(0.01)
    counts = jm.counts()
    assert counts["result_bytes"] <= 2500 and counts["finished"] == 2
    with pytest.raises(UnknownJob):  # the oldest gave way
        jm.snapshot(tickets[0])
    assert jm.snapshot(tickets[-1]).result["tag"] == "3"
    jm.shutdown()


def test_unread_jobs_are_cancelled_and_unread_tickets_expire():
    jm = JobManager(max_running=2, backend="thread", idle_cancel=0.4, ticket_ttl=2.0)
    watched = jm.submit(sleeper, 1000, 0.01, "watched")
    abandoned = jm.submit(sleeper, 1000, 0.01, "abandoned")
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        assert jm.snapshot(watched).status in ("queued", "running")
        time.sleep(0.05)
    assert jm.snapshot(abandoned).status == "cancelled"
    time.sleep(2.5)  # now both unread for longer than ticket_ttl, with no call meanwhile
    assert jm.counts()["tickets"] == 0 and jm.counts()["running"] == 0
    for ticket in (watched, abandoned):
        with pytest.raises(UnknownJob):
            jm.snapshot(ticket)
    jm.shutdown()


def test_a_queued_ticket_sees_an_estimated_wait():
    jm = JobManager(max_running=1, backend="thread")
    first = jm.submit(sleeper, 4, 0.05, "first")
    assert jm.snapshot(first).wait is None or jm.snapshot(first).status != "queued"
    wait(jm, first, {"done"})  # one run measured: about 0.2 s
    running = jm.submit(sleeper, 40, 0.05, "second")
    wait(jm, running, {"running"})
    queued = jm.submit(sleeper, 4, 0.05, "third")
    snap = jm.snapshot(queued)
    assert snap.status == "queued" and snap.queue_position == 1 and 0.0 <= snap.wait <= 0.5
    jm.release(running)
    jm.shutdown()


@pytest.mark.parametrize("wait,lang,said", [(None, "en", None), (12.3, "en", "about 12 s"),
                                            (600.0, "en", "about 10 min"),
                                            (40.0, "ko", "약 40초 뒤")])
def test_the_page_says_a_queued_jobs_wait(wait, lang, said):
    from engine.jobs import JobSnapshot
    from playground.serving import queued_text

    snap = JobSnapshot("t", "queued", 2, (), None, None, 1, (), wait)
    text = queued_text(snap, lang)
    assert "2" in text
    if said is None:
        assert "about" not in text
    else:
        assert said in text


def test_status_is_an_enum_that_is_its_string_too():
    import json
    import pickle

    from engine import jobs
    from engine.jobs import JobSnapshot, Status

    assert [s.value for s in Status] == ["queued", "running", "done", "cancelled", "failed"]
    assert Status.DONE == "done" and f"{Status.DONE}" == "done" and str(Status.FAILED) == "failed"
    assert json.dumps({"status": Status.RUNNING}) == '{"status": "running"}'
    assert pickle.loads(pickle.dumps(Status.CANCELLED)) is Status.CANCELLED
    assert tuple(Status) == (jobs.QUEUED, jobs.RUNNING, jobs.DONE, jobs.CANCELLED, jobs.FAILED)
    snap = JobSnapshot("t", "done", None, (), None, None, 1, ())
    assert snap.status is Status.DONE and snap.status == "done" and snap.finished
    assert not JobSnapshot("t", Status.QUEUED, 1, (), None, None, 1, ()).finished
    jm = JobManager(max_running=1, backend="thread")
    t = jm.submit(sleeper, 1, 0.0, "status")
    assert wait(jm, t, {"done"}).status is Status.DONE
    jm.shutdown()


@pytest.mark.slow
def test_a_request_is_one_hashable_picklable_record_read_back_from_the_snapshot(jm):
    request = TrainRequest("parens", CFG, TrainConfig(steps=5, batch_size=8), 0)
    a, b = jm.submit(train_job, request), jm.submit(train_job, TrainRequest(**vars(request)))
    snap = wait(jm, a, {"done"})
    assert snap.shared_with == 2 and jm.snapshot(b).result is snap.result  # equal: one job
    assert snap.args == (request,) and snap.request == request and snap.request.train.steps == 5
    assert snap.request.steps == 5  # every job's request says its length the same way


def test_the_older_positional_calls_still_run_the_same_job():
    """Until the playground passes records, train_job(task, config, train, seed) still works
    and trains exactly what train_job(TrainRequest(...)) does (a snapshot then has no
    ``request``: its args are the positional ones)."""
    from engine.charlm import CharConfig, CharTrainRequest, char_train_job
    from engine.seq2seq import PairTrainRequest, Seq2SeqConfig, Seq2SeqTrainConfig, pair_train_job

    def run(gen):
        items = []
        while True:
            try:
                items.append(next(gen))
            except StopIteration as stop:
                return items, stop.value

    train = TrainConfig(steps=4, batch_size=8)
    assert run(train_job("parens", CFG, train, 3)) == run(
        train_job(TrainRequest("parens", CFG, train, 3)))
    char = (CharConfig(), 6, 0.05, 4)
    assert run(char_train_job(*char)) == run(char_train_job(CharTrainRequest(*char)))
    plain = Seq2SeqConfig(hidden_size=8)
    pair = (plain, Seq2SeqConfig(hidden_size=8, attention="dot"),
            Seq2SeqTrainConfig(min_len=2, max_len=4, steps=3, batch_size=4))
    old, new = run(pair_train_job(*pair, init_seed=1)), run(
        pair_train_job(PairTrainRequest(*pair, init_seed=1)))
    assert old[0] == new[0] and old[1]["plain"]["state_dict"] == new[1]["plain"]["state_dict"]
    assert PairTrainRequest(*pair).steps == 3 and CharTrainRequest(*char).steps == 6
    jm = JobManager(max_running=1, backend="thread")
    t = jm.submit(train_job, "parens", CFG, train, 3)
    snap = wait(jm, t, {"done"})
    assert snap.request is None and snap.args[2].steps == 4
    jm.shutdown()
