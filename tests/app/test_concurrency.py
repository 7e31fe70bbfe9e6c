"""Same question, same answer: every public endpoint answers the same alone and beside 7 others.

Each endpoint is asked several distinct questions (settings that build fresh, seeded models:
random weights, other cells, other seeds), first one at a time, then all at once from 8 threads
while one more thread keeps reseeding and drawing from torch's global generator, as any other
code in the process might. Shared view caches are emptied between the two rounds, so the
concurrent round computes everything again instead of reading the first round's answers.
"""

from __future__ import annotations

import functools
import inspect
import json
import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch

# Questions per endpoint, by parameter name (the rest keep the page's defaults). Every entry
# differs from the others, so a cross-talk between two of them changes an answer.
QUESTIONS: dict[str, list[dict]] = {
    "show_topology": [
        dict(topology="many_to_one", cell="gru", text="(()())"),
        dict(topology="many_to_many", cell="lstm", num_layers=2, text="31524"),
        dict(topology="one_to_many", cell="rnn", num_layers=3, text="4"),
        dict(topology="encoder_decoder", cell="gru", bidirectional=True, text="112333"),
    ],
    "step_topology": [
        dict(topology="many_to_many", cell="gru", num_layers=2, text="7314", t=3),
        dict(topology="many_to_one", cell="rnn", num_layers=2, text="(())", t=2),
    ],
    "step_through_time": [
        dict(text="hello", cell="lstm", weights="random", t=3),
        dict(text="abcab", cell="gru", hidden_size=6, weights="random", t=4),
        dict(text="hello", cell="rnn", num_layers=2, weights="random", concat=True, t=2),
    ],
    "teacher_forcing_vs_generation": [
        dict(text="hello", cell="rnn", weights="random", temperature=0.8),
        dict(text="banana", cell="gru", weights="random", temperature=1.5, first="b"),
        dict(text="hello", cell="lstm", hidden_size=5, weights="random", temperature=0.3),
    ],
    "gradient_profile": [
        dict(cell="rnn_tanh", seed=3, init="gaussian"),
        dict(cell="rnn_relu", seq_len=60, recurrent_scale=1.1),
        dict(cell="lstm", forget_default=False, forget_bias=2.0, seed=1),
        dict(cell="lstm", seed=5),
        dict(cell="gru", update_default=False, update_bias=2.0, seed=2),
        dict(cell="gru", hidden_size=16, num_layers=2, seed=4),
    ],
    "race_replay": [
        dict(replay="first_symbol_lag60", racer="gru"),
        dict(replay="sgd_lag40", racer="rnn_clip"),
    ],
    "seq2seq_decode": [
        dict(digits="31415926", attention="dot", t=3),
        dict(digits="2718281828", task="copy", t=5),
    ],
    "seq2seq_compare": [
        dict(task="copy", attention="dot"),
        dict(task="reverse", attention="dot"),
    ],
    # Reproduce in PyTorch: the script's text, from the same settings
    "reproduce_topologies": [
        dict(topology="many_to_one", cell="gru", text="(()())"),
        dict(topology="encoder_decoder", cell="lstm", num_layers=2, text="1123"),
    ],
    "reproduce_step": [
        dict(text="hello", cell="lstm", t=3),
        dict(text="abcab", cell="gru", hidden_size=6, weights="random", t=4),
    ],
    "reproduce_bptt": [dict(cell="lstm", seed=5), dict(cell="rnn_relu", seq_len=60)],
    "reproduce_seq2seq": [dict(digits="31415926", attention="dot", t=3)],
    "ping": [{}],
}
# These answer with a ticket, a queue position or a job's progress: per session by design, so
# they take part in the crowd (a job starting beside the views must not change them) but their
# own answers are not compared.
CROWD_ONLY: dict[str, list[dict]] = {
    "train_topology": [dict(steps=20, seed=11)],
    "train_step_model": [dict(steps=20, cell="gru")],
    "train_race": [dict(steps=20, lag=10, seed=7)],
    "training_status": [dict(ticket="no-such-ticket")],
}


VOLATILE = {"share_token"}  # a component object's identity, not what it shows


def canon(value: object) -> object:
    """A comparable form of a handler's answer: figures as their JSON, updates as dicts."""
    if hasattr(value, "to_plotly_json"):
        return json.loads(value.to_json())
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canon(v) for v in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):  # a component's update
        return {"__type__": type(value).__name__,
                **{k: canon(v) for k, v in vars(value).items()
                   if not k.startswith("_") and k not in VOLATILE}}
    return value


def clear_caches() -> None:
    """Empty every view and model cache of the playground (functools caches at module level)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith(("playground", "engine")):
            continue
        for obj in vars(module).values():
            if callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()


@pytest.fixture(scope="module")
def endpoints():
    """api_name -> (handler, its parameter names, the page's default for each).

    The endpoints and their defaults are what ``get_api_info()`` publishes (a session's state,
    which the API does not take, starts as None); the function each one calls comes from
    ``gradio_internals.api_handlers``, as Gradio has no public name for it."""
    from playground.app import build_demo
    from playground.gradio_internals import api_handlers

    demo = build_demo()
    handlers = api_handlers(demo)
    out = {}
    for path, endpoint in demo.get_api_info()["named_endpoints"].items():
        handler = handlers[path.removeprefix("/")]
        names = list(inspect.signature(inspect.unwrap(handler)).parameters)
        given = {p["parameter_name"]: p["parameter_default"] for p in endpoint["parameters"]}
        out[path.removeprefix("/")] = (handler, names, {n: given.get(n) for n in names})
    return out


def call(endpoints, api_name: str, question: dict):
    fn, names, defaults = endpoints[api_name]
    args = {**defaults, "lang": "en", **question}
    return fn(*[args[n] for n in names])


def ask(endpoints, api_name: str, question: dict):
    """``call``, but a crowd-only endpoint's refusal (an unknown ticket, a full queue) is an
    answer too: it is not compared."""
    if api_name not in CROWD_ONLY:
        return call(endpoints, api_name, question)
    try:
        return call(endpoints, api_name, question)
    except Exception as e:  # noqa: BLE001
        return e


def hammer(stop: threading.Event) -> None:
    """Other code in the process using torch's global generator, as fast as it can."""
    rng = random.Random(0)
    while not stop.is_set():
        torch.manual_seed(rng.randrange(2**31))
        torch.randn(64)


def test_every_public_endpoint_is_asked(endpoints):
    """The app's public API (as ``get_api_info`` lists it) is exactly the endpoints this file
    asks, or crowds with: a new endpoint fails here until it is asked too."""
    # (the class poll's rooms give random codes and tokens by design: 200 students answering at
    # once are counted in tests/playground/test_rooms.py)
    assert set(endpoints) == set(QUESTIONS) | set(CROWD_ONLY) | {
        "cancel_training", "cancel_race", "train_seq2seq", "room_join", "room_answer",
        "room_view"}


@pytest.mark.slow
def test_answers_alone_equal_answers_in_a_crowd(endpoints):
    from playground.serving import release_ticket

    asked = [(name, q) for name, qs in QUESTIONS.items() for q in qs]
    clear_caches()
    alone = [canon(call(endpoints, name, q)) for name, q in asked]

    clear_caches()
    crowd = asked * 2 + [(name, q) for name, qs in CROWD_ONLY.items() for q in qs]
    random.Random(1).shuffle(crowd)
    stop = threading.Event()
    noise = threading.Thread(target=hammer, args=(stop,), daemon=True)
    noise.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda nq: ask(endpoints, *nq), crowd))
    finally:
        stop.set()
        noise.join()
    expected = {json.dumps([n, q], sort_keys=True): a for (n, q), a in zip(asked, alone)}
    wrong = []
    for (name, q), answer in zip(crowd, answers):
        if name in CROWD_ONLY:
            ticket = answer[0] if isinstance(answer, tuple) else None
            if isinstance(ticket, str):
                release_ticket(ticket)
            continue
        if canon(answer) != expected[json.dumps([name, q], sort_keys=True)]:
            wrong.append((name, q))
    assert not wrong, f"answers that changed in a crowd: {wrong}"


def test_course_example_is_the_printed_code_run_alone():
    """The course notes' example prints numbers from torch.manual_seed(0): the handler draws
    them from a private generator, and they equal the printed code run in a fresh process."""
    import subprocess

    from playground.tabs.step.handlers import course_example

    before = torch.get_rng_state()
    shown = course_example("en")
    assert torch.equal(before, torch.get_rng_state())
    korean = course_example("ko")  # the same code and numbers; only the comments differ
    assert [line.split("#")[0] for line in korean.splitlines()] == \
           [line.split("#")[0] for line in shown.splitlines()]
    assert "기본값" in korean and "default" not in korean
    code = "\n".join(line for line in shown.splitlines() if not line.startswith("# "))
    code = code.replace("print(output.shape)", "print(output.shape); print(output.tolist())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    printed = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("[[")]
    rows = [line for line in shown.splitlines() if line.startswith("# [")]
    numbers = [float(v) for row in rows for pair in row[2:].split("  ")
               for v in pair.strip("[] ").split(",")]
    real = [v for out in printed for seq in out for pair in seq for v in pair]
    assert len(numbers) == len(real) == 60
    assert numbers == pytest.approx(real, abs=5e-5)


@functools.cache
def _builders():
    from engine import (
        RaceConfig,
        Seq2SeqConfig,
        build_model,
        build_seq2seq,
        load_checkpoint,
    )
    from engine.bptt import ProfileConfig, gradient_profile, profile_rnn
    from engine.charlm import CharConfig, build_char_model
    from engine.checkpoints import CHECKPOINT_DIR
    from engine.models import ModelConfig
    from engine.race import build_racer
    from engine.tasks import TASKS

    return {
        "profile_rnn": lambda: profile_rnn(ProfileConfig(cell="lstm", seed=3)),
        "gradient_profile": lambda: gradient_profile(ProfileConfig(cell="gru", seq_len=30)),
        "build_seq2seq": lambda: build_seq2seq(Seq2SeqConfig(attention="additive"), seed=2),
        "build_racer": lambda: build_racer("lstm", RaceConfig(lag=10, steps=5)),
        "build_model": lambda: build_model(ModelConfig.for_task(TASKS["parens"], cell="gru")),
        "build_char_model": lambda: build_char_model(CharConfig(text="hello")),
        "load_checkpoint": lambda: load_checkpoint(CHECKPOINT_DIR / "reverse_gru_h64.pt"),
    }


@pytest.mark.parametrize("name", ["profile_rnn", "gradient_profile", "build_seq2seq",
                                  "build_racer", "build_model", "build_char_model",
                                  "load_checkpoint"])
def test_engine_builders_leave_the_global_generator_alone(name):
    before = torch.get_rng_state()
    _builders()[name]()
    assert torch.equal(before, torch.get_rng_state())


@pytest.mark.slow
def test_http_answers_alone_equal_answers_from_8_clients(app_url):
    """The same through the HTTP API of a running server: 8 clients at once, each with its own
    session, asking questions that build fresh seeded models."""
    from gradio_client import Client

    asked = [("gradient_profile", q) for q in QUESTIONS["gradient_profile"]]
    asked += [(name, QUESTIONS[name][k]) for name, k in
              (("step_through_time", 0), ("step_through_time", 1),
               ("teacher_forcing_vs_generation", 1), ("show_topology", 1))]

    def ask_over_http(client, name, question):
        out = client.predict(**question, lang="en", api_name="/" + name)
        return json.dumps(out, sort_keys=True, default=str)

    clear_caches()
    first = Client(app_url, verbose=False)
    alone = [ask_over_http(first, name, q) for name, q in asked]
    clear_caches()
    crowd = asked * 2
    random.Random(2).shuffle(crowd)
    local = threading.local()

    def one(nq):
        if not hasattr(local, "client"):
            local.client = Client(app_url, verbose=False)
        return ask_over_http(local.client, *nq)

    stop = threading.Event()
    noise = threading.Thread(target=hammer, args=(stop,), daemon=True)
    noise.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(one, crowd))
    finally:
        stop.set()
        noise.join()
    expected = {json.dumps([n, q], sort_keys=True): a for (n, q), a in zip(asked, alone)}
    wrong = [(n, q) for (n, q), a in zip(crowd, answers)
             if a != expected[json.dumps([n, q], sort_keys=True)]]
    assert not wrong, f"answers that changed with 8 clients: {wrong}"
