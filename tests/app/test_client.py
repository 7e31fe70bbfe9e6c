"""The app end to end through gradio_client, as a teacher's script would drive it."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from gradio_client import Client

pytestmark = pytest.mark.slow

PUBLIC = {"/show_topology", "/step_topology", "/train_topology", "/training_status",
          "/cancel_training", "/step_through_time", "/teacher_forcing_vs_generation",
          "/train_step_model", "/gradient_profile", "/race_replay", "/train_race",
          "/cancel_race", "/ping"}
PUBLIC |= {"/seq2seq_compare", "/seq2seq_decode", "/train_seq2seq"}  # Seq2seq vs attention
PUBLIC |= {"/reproduce_bptt", "/reproduce_step", "/reproduce_topologies",
            "/reproduce_seq2seq"}  # Reproduce in PyTorch
PUBLIC |= {"/room_join", "/room_answer", "/room_view"}  # the lessons' class poll


def test_public_api_is_exactly_the_scripted_actions(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert names == PUBLIC  # timer ticks and UI glue stay private


def test_show_topology_with_defaults(client):
    out = client.predict(api_name="/show_topology")
    diagram, heat, step_md, model_md, code, explain, slider = out
    assert "Pretrained" in model_md and "nn.RNN(" in code and "h_1" in step_md


def test_show_topology_in_korean_and_each_topology(client):
    for topo, text in [("one_to_one", "7"), ("one_to_many", "5"), ("many_to_one", "(()())"),
                       ("encoder_decoder", "112333")]:
        out = client.predict(topo, "gru", 1, 0, False, text, 1, "ko", api_name="/show_topology")
        assert "사전 학습된" in out[3]


def test_step_topology(client):
    a = client.predict("many_to_many", "rnn", 1, 0, False, "31524", 2, "en",
                       api_name="/step_topology")
    b = client.predict("many_to_many", "rnn", 1, 0, False, "31524", 5, "en",
                       api_name="/step_topology")
    assert "h_2" in a[2] and "h_5" in b[2]


@pytest.mark.parametrize("args,needle", [
    (("many_to_many", "rnn", 1, 0, False, "12x", 1, "en"), "'x'"),
    (("many_to_many", "rnn", 1, 0, False, "", 1, "ko"), "비어"),
    (("many_to_many", "rnn", 1, 0, False, "1" * 64, 1, "en"), "64 symbols"),
    (("one_to_many", "rnn", 1, 0, True, "5", 1, "en"), "autoregressive"),
    (("many_to_many", "rnn", 99, 0, False, "12", 1, "en"), "num_layers"),
    (("hexagon", "rnn", 1, 0, False, "12", 1, "en"), "topology"),
])
def test_bad_input_gets_a_clear_message(client, args, needle):
    with pytest.raises(Exception) as e:
        client.predict(*args, api_name="/show_topology")
    assert needle.lower() in str(e.value).lower()
    # and the server keeps serving
    assert "Pretrained" in client.predict(api_name="/show_topology")[3]


def wait_until_done(client: Client, ticket: str, timeout: float = 60.0) -> dict:
    """Poll /training_status as a script would; the last status seen."""
    end = time.monotonic() + timeout
    while True:
        st = client.predict(ticket, "en", api_name="/training_status")
        if st["status"] == "done" or time.monotonic() > end:
            return st
        time.sleep(0.3)


def test_train_then_status_then_cancel(app_url):
    client = Client(app_url, verbose=False)
    ticket, status, fig, timer = client.predict("many_to_one", "gru", 1, 0, False, 20, 5, "en",
                                                api_name="/train_topology")
    st = wait_until_done(client, ticket)
    assert st["status"] == "done" and st["step"] == 20 and len(st["losses"]) == 20
    assert 0 <= st["accuracy"] <= 100
    with pytest.raises(Exception, match="no longer known"):
        client.predict("bogus", "en", api_name="/training_status")
    status, timer = client.predict("en", api_name="/cancel_training")
    assert "cancelled" in status.lower()


def test_step_through_time_endpoints(client):
    eq, pred, heat, text, slider = client.predict(api_name="/step_through_time")
    assert "nn.RNN" in text and "Step t = 1" in text
    out = client.predict("hello", "lstm", 4, 1, "pretrained", False, 3, "ko",
                         api_name="/step_through_time")
    assert "t = 3 단계" in out[3]
    md, fig, first, units = client.predict(api_name="/teacher_forcing_vs_generation")
    assert "Teacher forcing" in md
    with pytest.raises(Exception, match="at most 64"):
        client.predict("x" * 70, "rnn", 4, 1, "pretrained", False, 1, "en",
                       api_name="/step_through_time")
    with pytest.raises(Exception, match="emperature"):
        client.predict("hello", "rnn", 4, 1, "pretrained", 0, "o", "en",
                       api_name="/teacher_forcing_vs_generation")


def test_train_step_model_learns_hello(app_url):
    client = Client(app_url, verbose=False)
    ticket, timer = client.predict("hello", "gru", 4, 1, 150, "en",
                                   api_name="/train_step_model")
    st = wait_until_done(client, ticket)
    assert st["status"] == "done" and st["total"] == 150
    assert st["losses"][-1] < st["losses"][0] / 10


def test_gradient_profile_endpoint(client):
    profile, regime, sv, total, sum_md, act, sat, gated = client.predict(
        api_name="/gradient_profile")
    assert "Vanishing is guaranteed" in regime and "dL/dW_hh" in sum_md
    out = client.predict("lstm", 200, 1.0, "orthogonal", 1.0, False, 4.0, True, 1.0, 32, 1,
                         "last", 0, 0, "ko", api_name="/gradient_profile")
    assert "망각 게이트" in out[7]
    with pytest.raises(Exception, match="시퀀스 길이 T"):
        client.predict("rnn_tanh", 5000, 0.9, "orthogonal", 1.0, True, 1.0, True, 1.0, 32, 1,
                       "last", 0, 0, "ko", api_name="/gradient_profile")
    with pytest.raises(Exception, match="Cell"):
        client.predict(17, 100, 0.9, "orthogonal", 1.0, True, 1.0, True, 1.0, 32, 1,
                       "last", 0, 0, "en", api_name="/gradient_profile")


def test_reproduce_endpoints_give_a_script_its_notebook_and_a_name(client):
    """A teacher scripts Reproduce in PyTorch: the script, the same as nbformat 4, its name."""
    script, notebook, name = client.predict(cell="lstm", seq_len=200,
                                            api_name="/reproduce_bptt")
    assert name == "unrolled-bptt-lstm-T200"
    assert "nn.LSTM(INPUT_SIZE, HIDDEN_SIZE" in script and "SEQ_LEN = 200" in script
    compile(script, name + ".py", "exec")
    nb = json.loads(notebook)
    assert nb["nbformat"] == 4 and nb["cells"][0]["cell_type"] == "markdown"
    script, _, name = client.predict(api_name="/reproduce_seq2seq")  # every default
    assert name == "unrolled-seq2seq-reverse-additive-3141592653589793"
    assert "SOURCE = [3, 1, 4, 1, 5, 9" in script
    with pytest.raises(Exception, match="seq_len"):
        client.predict(seq_len=10_000, lang="ko", api_name="/reproduce_bptt")


def test_race_endpoints(app_url):
    client = Client(app_url, verbose=False)
    loss, grad, heat, summary, status, timer = client.predict(api_name="/race_replay")
    assert "Recorded replay" in summary and "RNN + clipping" in summary
    ticket, timer = client.predict("first_symbol", 8, 1.0, 15, 1, "en", api_name="/train_race")
    st = wait_until_done(client, ticket)
    assert st["status"] == "done" and st["total"] == 15
    assert set(st["losses"]) == {"rnn", "rnn_clip", "lstm", "gru"}
    assert all(len(v) == 15 for v in st["losses"].values())
    assert set(st["accuracy"]) == {"rnn", "rnn_clip", "lstm", "gru"}
    status, timer = client.predict("ko", api_name="/cancel_race")
    assert "취소" in status
    with pytest.raises(Exception, match="Lag T"):
        client.predict("first_symbol", 5000, 1.0, 15, 1, "en", api_name="/train_race")


# -- Seq2seq vs attention -------------------------------------------------------------------------
def test_seq2seq_endpoints_with_defaults_and_in_korean(client):
    by_len, by_pos, caption = client.predict(api_name="/seq2seq_compare")
    assert "Shipped models" in caption and "without attention" in caption
    html, heat, step, states, probs, text, slider = client.predict(api_name="/seq2seq_decode")
    # one decoding step in three figures: the weights, the states and context, the softmax
    titles = [json.loads(f["plot"])["layout"]["title"]["text"] for f in (step, states, probs)]
    assert titles[0].startswith("Output step t = 1") and "Encoder states" in titles[1]
    assert "Prediction" in titles[2]
    assert "<table" in html and "Step t = 1" in text
    out = client.predict("90210", "copy", "additive", "shipped", 2, "ko",
                         api_name="/seq2seq_decode")
    assert "단계 t = 2" in out[5] and "정답" in out[0]
    with pytest.raises(Exception, match="only the digits"):
        client.predict("12x", "reverse", "additive", "shipped", 1, "en",
                       api_name="/seq2seq_decode")
    with pytest.raises(Exception, match="비어"):
        client.predict("", "reverse", "additive", "shipped", 1, "ko", api_name="/seq2seq_decode")
    with pytest.raises(Exception, match="Task"):
        client.predict(3, "additive", "shipped", "en", api_name="/seq2seq_compare")
    assert "Shipped" in client.predict(api_name="/seq2seq_compare")[2]  # still serving


def test_train_seq2seq_then_status(app_url):
    client = Client(app_url, verbose=False)
    ticket, timer = client.predict("reverse", "dot", "gru", 16, 3, 5, 50, False, "en",
                                   api_name="/train_seq2seq")
    st = wait_until_done(client, ticket)
    assert st["status"] == "done" and st["step"] == st["total"] == 50
    assert set(st["accuracy"]) == {"plain", "attention"}
    with pytest.raises(Exception, match="between 8 and 128"):
        client.predict("reverse", "dot", "gru", 1000, 3, 5, 50, False, "en",
                       api_name="/train_seq2seq")


def test_the_queue_does_not_summarise_its_history_after_every_event():
    """Gradio recomputes a pandas summary of up to 10000 past events after each event unless
    told otherwise (2.6-6.7 ms a call, growing with the class's history): the app tells it.

    Checks the interval the app's queue really uses (read by ``gradio_internals``, as Gradio
    has no public name for it): it fails if the app stops setting it, or if Gradio stops
    reading the variable the app sets."""
    from playground.app import build_demo
    from playground.gradio_internals import summary_interval

    assert summary_interval(build_demo()) >= 1000


def test_train_race_takes_the_gate_biases_last_and_optional(app_url):
    """``biases`` was added at the end of /train_race with a default: a script that doesn't
    send it gets the recorded races' tuned biases; "pytorch" changes the LSTM and GRU only."""
    client = Client(app_url, verbose=False)
    params = client.view_api(print_info=False, return_format="dict")["named_endpoints"][
        "/train_race"]["parameters"]
    assert params[-1]["parameter_name"] == "biases" and params[-1]["parameter_has_default"]
    runs = {}
    for biases in (None, "tuned", "pytorch"):
        args = ("first_symbol", 8, 1.0, 10, 2, "en") + ((biases,) if biases else ())
        ticket, _ = client.predict(*args, api_name="/train_race")
        st = wait_until_done(client, ticket)
        assert st["status"] == "done"
        runs[biases] = st["losses"]
    assert runs[None] == runs["tuned"]
    assert runs["pytorch"]["rnn"] == runs["tuned"]["rnn"]
    assert runs["pytorch"]["lstm"] != runs["tuned"]["lstm"]
    assert runs["pytorch"]["gru"] != runs["tuned"]["gru"]


def test_an_idle_queue_looks_for_work_every_few_ms_not_every_one(app_demo, app_url):
    """Gradio's queue polls every 1 ms (and for progress every 10 ms) while it has nothing to
    do: ~60 ms of a core a second on an idle server. The running app's queue polls less often
    (read by ``gradio_internals``), and still answers."""
    from playground.gradio_internals import queue_polls

    idle, progress = queue_polls(app_demo)
    assert 0.002 <= idle <= 0.01 and progress >= 0.02
    r = httpx.post(app_url.rstrip("/") + "/gradio_api/call/ping", json={"data": []}, timeout=30)
    assert r.status_code == 200


def test_a_queue_with_events_waiting_looks_every_millisecond():
    """While events wait (a full group: the BPTT profile's, in a burst), the queue looks for a
    free slot every 1 ms, as Gradio does: 10 ms would add up to 10 ms per event in line."""
    from playground.gradio_internals import _Calm

    class Waiting:
        def __init__(self, n: int):
            self.n = n

        def __len__(self) -> int:  # Gradio's Queue: the events waiting in every group
            return self.n

    queue = type("Queue", (_Calm, Waiting), {})
    assert queue(0).sleep_when_free == 0.01
    assert queue(3).sleep_when_free == 0.001
