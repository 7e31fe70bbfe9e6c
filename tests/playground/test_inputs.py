"""Every input of every public endpoint is checked before it reaches a cache, a figure or a job.

First each endpoint's handler, called as a script would call it: for each parameter, values of
the wrong type, NaN and infinity, values out of range, an unknown choice, 10 KB of text, a
huge integer, None, a list, a dict. Each must give an error naming the parameter, in English
and in Korean, quoting at most 40 characters of the value; none may start a job. An unknown
``lang`` reads as English and is never kept in a cache key. Then the running app: the same
through gradio_client and plain HTTP (NaN and infinity, which gradio_client will not send),
and calls with the wrong number of values (``playground.arity``).
"""

from __future__ import annotations

import json
import math

import gradio as gr
import httpx
import pytest
from gradio_client import Client

from playground import serving
from playground.tabs.bptt import handlers as bptt
from playground.tabs.bptt import reproduce as bptt_repro
from playground.tabs.seq2seq import handlers as s2s
from playground.tabs.seq2seq import reproduce as s2s_repro
from playground.tabs.step import handlers as st
from playground.tabs.step import reproduce as st_repro
from playground.tabs.topologies import handlers as topo
from playground.tabs.topologies import reproduce as topo_repro

NAN, INF = math.nan, math.inf
HUGE = 10**400  # JSON carries it; float() of it overflows
LONG = "x" * 10240
NOT_A_NUMBER = ["abc", LONG, None, [1, 2], {"a": 1}, True]
NONFINITE = [NAN, INF, -INF]
NOT_A_BOOL = ["abc", LONG, NAN, INF, -1, 1e9, None, [1, 2], {"a": 1}, 1, 0]
NOT_A_CHOICE = ["hexagon", LONG, NAN, INF, -1, 1e9, None, [1, 2], {"a": 1}, True, HUGE]
NOT_A_TEXT = [NAN, INF, -1, 1e9, None, [1, 2], {"a": 1}, True, HUGE, LONG]


def whole(*out_of_range) -> list:
    """Bad values of a whole-number parameter: not numbers, not whole, not finite, and the
    given ones out of its range."""
    return [*NOT_A_NUMBER, *NONFINITE, 1.5, *out_of_range, HUGE]


def number(*out_of_range) -> list:
    return [*NOT_A_NUMBER, *NONFINITE, *out_of_range, HUGE]


SEED = whole(-1, 2**31)
TOPOLOGY = dict(topology=NOT_A_CHOICE, cell=NOT_A_CHOICE, num_layers=whole(0, 4, -1, 1e9),
                dropout=number(-0.1, 0.91, 1e9), bidirectional=NOT_A_BOOL)
# a step before the first or after the last is the view's first or last step (the slider's
# range follows the view); anything that is not a whole number is refused
TOPOLOGY_VIEW = dict(TOPOLOGY, text=NOT_A_TEXT, t=[*NOT_A_NUMBER, *NONFINITE, 1.5])
CHAR = dict(text=NOT_A_TEXT, cell=NOT_A_CHOICE, hidden_size=whole(0, 17, 1e9),
            num_layers=whole(0, 4))

# api_name: (handler, good arguments, {parameter: bad values})
ENDPOINTS = {
    "show_topology": (topo.show, dict(
        topology="many_to_many", cell="rnn", num_layers=1, dropout=0.0, bidirectional=False,
        text="31524", t=1, ticket=None, lang="en"), TOPOLOGY_VIEW),
    "step_topology": (topo.step, dict(
        topology="many_to_many", cell="rnn", num_layers=1, dropout=0.0, bidirectional=False,
        text="31524", t=2, ticket=None, lang="en"), TOPOLOGY_VIEW),
    "train_topology": (topo.start_training, dict(
        topology="many_to_many", cell="rnn", num_layers=1, dropout=0.0, bidirectional=False,
        steps=400, seed=0, ticket=None, lang="en"),
        dict(TOPOLOGY, steps=whole(9, 3001, -1, 1e9), seed=SEED)),
    "step_through_time": (st.show_step, dict(
        text="hello", cell="rnn", hidden_size=4, num_layers=1, weights="pretrained",
        concat=False, t=1, ticket=None, lang="en"),
        dict(CHAR, weights=NOT_A_CHOICE, concat=NOT_A_BOOL, t=whole(0, 65, -1, 1e9))),
    "teacher_forcing_vs_generation": (st.compare, dict(
        text="hello", cell="rnn", hidden_size=4, num_layers=1, weights="pretrained",
        temperature=1.0, first="e", ticket=None, lang="en"),
        dict(CHAR, weights=NOT_A_CHOICE,
             # None: "the temperature is empty" (the number box cleared)
             temperature=["abc", LONG, [1, 2], {"a": 1}, True, *NONFINITE, 0, 5.01, -1, 1e9,
                          HUGE, None],
             first=["ee", LONG, NAN, INF, -1, 1e9, [1, 2], {"a": 1}, True, HUGE])),
    "train_step_model": (st.start_training, dict(
        text="hello", cell="rnn", hidden_size=4, num_layers=1, steps=200, ticket=None,
        lang="en"), dict(CHAR, steps=whole(9, 1001))),
    "gradient_profile": (bptt.show_profile, dict(
        cell="rnn_tanh", seq_len=50, recurrent_scale=1.0, init="orthogonal", input_scale=0.0,
        forget_default=True, forget_bias=1.0, update_default=True, update_bias=1.0,
        hidden_size=16, num_layers=1, loss_at="last", tbptt=0, seed=0, lang="en"),
        dict(cell=NOT_A_CHOICE, seq_len=whole(1, 501), recurrent_scale=number(-0.1, 5.1),
             init=NOT_A_CHOICE, input_scale=number(-0.1, 10.1), forget_default=NOT_A_BOOL,
             # checked although its default flag (True) sets it aside
             forget_bias=number(-11, 21), update_default=NOT_A_BOOL,
             update_bias=number(-11, 21), hidden_size=whole(0, 129), num_layers=whole(0, 4),
             loss_at=NOT_A_CHOICE, tbptt=whole(-1, 501), seed=SEED)),
    "race_replay": (bptt.pick_replay, dict(
        replay="first_symbol_lag60", racer="rnn", ticket=None, lang="en"),
        # None and "" are the default replay; other empty values are not
        dict(replay=[v for v in NOT_A_CHOICE if v is not None] + [0, [], False],
             racer=NOT_A_CHOICE)),
    "train_race": (bptt.start_race, dict(
        task="first_symbol", lag=20, clip=1.0, steps=100, seed=0, ticket=None, lang="en",
        biases="tuned"),
        dict(task=NOT_A_CHOICE, lag=whole(1, 61), clip=number(0, 1001), steps=whole(0, 801),
             seed=SEED, biases=NOT_A_CHOICE)),
    "seq2seq_decode": (s2s.decode, dict(
        digits="31415", task="reverse", attention="additive", source="shipped", t=1,
        ticket=None, lang="en"),
        dict(digits=NOT_A_TEXT, task=NOT_A_CHOICE, attention=NOT_A_CHOICE,
             source=NOT_A_CHOICE, t=whole(0, 31))),
    "seq2seq_compare": (s2s.compare, dict(
        task="reverse", attention="additive", source="shipped", ticket=None, lang="en"),
        dict(task=NOT_A_CHOICE, attention=NOT_A_CHOICE, source=NOT_A_CHOICE)),
    "train_seq2seq": (s2s.start_training, dict(
        task="reverse", attention="additive", cell="gru", hidden_size=64, min_len=5,
        max_len=20, steps=1500, bidirectional=False, ticket=None, lang="en"),
        dict(task=NOT_A_CHOICE, attention=NOT_A_CHOICE, cell=NOT_A_CHOICE,
             hidden_size=whole(7, 129), min_len=whole(0, 26), max_len=whole(4, 26),
             steps=whole(49, 3001), bidirectional=NOT_A_BOOL)),
    "training_status": (serving.training_status, dict(ticket="t", lang="en"),
                        dict(ticket=[NAN, INF, -1, 1e9, None, [1, 2], {"a": 1}, True, HUGE])),
}
# Reproduce in PyTorch: each tab's script endpoint reads its values as the tab's view does
ENDPOINTS["reproduce_bptt"] = (bptt_repro.reproduce_bptt, *ENDPOINTS["gradient_profile"][1:])
ENDPOINTS["reproduce_step"] = (st_repro.reproduce_step, *ENDPOINTS["step_through_time"][1:])
ENDPOINTS["reproduce_topologies"] = (topo_repro.reproduce_topology, *(
    {k: v for k, v in d.items() if k not in ("t", "ticket")}
    for d in ENDPOINTS["show_topology"][1:]))
ENDPOINTS["reproduce_seq2seq"] = (s2s_repro.reproduce_seq2seq, *(
    {k: v for k, v in d.items() if k != "ticket"} for d in ENDPOINTS["seq2seq_decode"][1:]))
# the two cancel endpoints take only the language (their ticket is the session's state)
LANG_ONLY = {"cancel_training": (topo.cancel, dict(ticket=None, lang="en")),
             "cancel_race": (bptt.cancel_race, dict(ticket=None, lang="en"))}
BAD_LANGS = ["fr", LONG, None, NAN, -1, [1, 2], {"a": 1}, True, HUGE]
CASES = [(api, param) for api, (_, _, params) in ENDPOINTS.items() for param in params]


class NoJobs:
    """Stands in for the job manager: a check that let a bad value through must not start a
    real job (and the test sees the call succeed)."""

    def submit(self, *args, **kwargs):
        return "no-such-job"

    def cancel(self, ticket):
        pass

    def snapshot(self, ticket):
        raise serving.UnknownJob(ticket)

    def release(self, ticket):
        pass


@pytest.fixture(autouse=True)
def no_jobs(monkeypatch):
    for module in (serving, topo, st, bptt, s2s):
        monkeypatch.setattr(module, "jobs", NoJobs)


def needles(param: str, lang: str) -> tuple[str, ...]:
    """What names ``param`` in a message: its name (the page's label where the name is in it,
    else the label then the name in parentheses), or a time step's label."""
    if param == "t":
        return ("step t",) if lang == "en" else ("단계 t",)
    if lang == "ko":
        return (f"({param})",)
    return (param.lower(),) if param != "text" else ("text",)


def refused(handler, args: dict) -> str:
    with pytest.raises(gr.Error) as e:
        handler(**args)
    return e.value.message


def short(msg: str) -> bool:
    """A message quotes at most 40 characters of the value it names."""
    return "x" * 40 not in msg and "0" * 40 not in msg and len(msg) < 400


@pytest.mark.parametrize("api,param", CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_every_bad_value_is_refused_with_the_parameter_named(api, param):
    handler, good, params = ENDPOINTS[api]
    for bad in params[param]:
        msg = refused(handler, {**good, param: bad})
        if param in ("text", "digits") and bad == LONG:  # too long, or not digits: said so
            assert ("text" if param == "text" else "digits") in msg.lower(), msg
        else:
            assert any(n in msg.lower() for n in needles(param, "en")), (bad, msg)
        assert short(msg), msg
        assert "went wrong" not in msg, (bad, msg)


@pytest.mark.parametrize("api,param", CASES, ids=[f"{a}-{p}" for a, p in CASES])
def test_the_message_is_korean_for_korean(api, param):
    handler, good, params = ENDPOINTS[api]
    msg = refused(handler, {**good, param: params[param][0], "lang": "ko"})
    assert any(n in msg for n in needles(param, "ko")), msg
    assert "값은" in msg or "값으로는" in msg, msg  # the Korean sentence, not the English one
    assert "must" not in msg and short(msg), msg


def test_a_good_call_passes():
    """The good arguments above are good: every refusal is the bad value's."""
    for handler, good, _ in ENDPOINTS.values():
        if handler is serving.training_status:
            with pytest.raises(gr.Error, match="no longer known"):
                handler(**good)
        else:
            assert handler(**good)


# -- lang, and what the caches keep ------------------------------------------------------------
CACHES = {
    "show_topology": [topo._show_shared], "step_topology": [topo._step_shared],
    "step_through_time": [st._step_shared], "teacher_forcing_vs_generation": [st._compare_shared],
    "gradient_profile": [bptt._view], "race_replay": [bptt._replay_view],
    "seq2seq_decode": [s2s._decode_shipped], "seq2seq_compare": [s2s._compare_shipped],
}


def sizes(api: str) -> list[int]:
    return [c.cache_info().currsize for c in CACHES.get(api, [])]


def texts(out) -> list:
    return [x for x in (out if isinstance(out, tuple) else (out,)) if isinstance(x, str)]


@pytest.mark.parametrize("api", [*ENDPOINTS, *LANG_ONLY])
def test_an_unknown_language_is_english_and_never_a_cache_key(api):
    handler, good = (ENDPOINTS.get(api) or LANG_ONLY[api])[:2]
    for cache in CACHES.get(api, []):
        cache.cache_clear()
    if handler is serving.training_status:  # an error, in English
        for lang in BAD_LANGS:
            assert refused(handler, {**good, "lang": lang}) == refused(handler, good)
        return
    english = handler(**good)
    cached = sizes(api)
    for lang in BAD_LANGS:
        out = handler(**{**good, "lang": lang})
        if api.startswith("train_"):
            continue  # a new ticket each time; its text is the queue's
        assert texts(out) == texts(english), lang
        assert sizes(api) == cached, lang  # the English view, not a new one under `lang`


def test_the_private_widening_view_is_cached_per_language_only():
    s2s._bottleneck.cache_clear()
    for lang in BAD_LANGS:
        assert s2s.bottleneck(lang)[1] == s2s.bottleneck("en")[1]
    assert s2s._bottleneck.cache_info().currsize == 1


def test_a_step_past_the_end_is_cached_as_the_last_step():
    """t = 10**400 shows the last step, as t = 10**6 does, and under the same cache key."""
    for handler, cache, good in ((topo.show, topo._show_shared, ENDPOINTS["show_topology"][1]),
                                 (topo.step, topo._step_shared, ENDPOINTS["step_topology"][1])):
        cache.cache_clear()
        handler(**{**good, "t": 10**6})
        for t in (10**60, HUGE, 1e300, topo.MAX_COLUMNS):
            handler(**{**good, "t": t})
        assert cache.cache_info().currsize == 1


def test_a_first_character_the_text_lacks_is_cached_as_the_default():
    _, good, _ = ENDPOINTS["teacher_forcing_vs_generation"]
    st._compare_shared.cache_clear()
    default = st.compare(**{**good, "first": ""})
    for first in (None, "z", "한"):
        assert st.compare(**{**good, "first": first})[0] == default[0]
    assert st._compare_shared.cache_info().currsize == 1


def test_a_number_past_floats_is_a_range_error_not_an_overflow():
    from engine.limits import LimitError, check_float

    with pytest.raises(LimitError, match="between"):
        check_float("dropout", HUGE, 0.0, 0.9)
    assert check_float("dropout", 1, 0.0, 1.0) == 1.0


# -- the running app -----------------------------------------------------------------------------
def api_args(api: str, **changes) -> list:
    """The endpoint's API values (no session state) from the good arguments above."""
    handler, good, _ = ENDPOINTS[api]
    args = {**good, **changes}
    return [v for k, v in args.items() if k != "ticket" or api == "training_status"]


def finite(values: list) -> object:
    """The first value JSON can carry (gradio_client refuses NaN and infinity)."""
    return next(v for v in values if not (isinstance(v, float) and not math.isfinite(v)))


HTTP_CASES = [(api, param, finite(params[param])) for api, (_, _, params) in ENDPOINTS.items()
              for param in params]


@pytest.mark.slow
@pytest.mark.parametrize("api,param,bad", HTTP_CASES, ids=[f"{a}-{p}" for a, p, _ in HTTP_CASES])
def test_gradio_client_gets_the_parameter_named(client, api, param, bad):
    for lang in ("en", "ko"):
        with pytest.raises(Exception) as e:
            client.predict(*api_args(api, **{param: bad, "lang": lang}), api_name="/" + api)
        msg = str(e.value)
        assert any(n in (msg.lower() if lang == "en" else msg) for n in needles(param, lang)), msg
        assert short(msg), msg


def call(app_url: str, api: str, body: bytes, lang: str | None = None) -> tuple[int, str]:
    """Plain HTTP, as curl would: (status of the POST, its body or the event stream)."""
    base = app_url.rstrip("/") + "/gradio_api/call/" + api
    headers = {"content-type": "application/json"}
    if lang:
        headers["accept-language"] = lang
    with httpx.Client(timeout=60) as http:
        r = http.post(base, content=body, headers=headers)
        if r.status_code != 200:
            return r.status_code, r.text
        return 200, http.get(f"{base}/{r.json()['event_id']}").text


def error_of(stream: str) -> str:
    data = [line.split(":", 1)[1] for line in stream.splitlines() if line.startswith("data:")]
    assert "event: error" in stream, stream
    return json.loads(data[-1])["error"]


@pytest.mark.slow
@pytest.mark.parametrize("api,param,bad", [
    ("show_topology", "num_layers", NAN), ("show_topology", "dropout", INF),
    ("teacher_forcing_vs_generation", "temperature", NAN),
    ("gradient_profile", "recurrent_scale", -INF), ("train_race", "clip", NAN),
    ("train_topology", "seed", INF), ("seq2seq_decode", "t", NAN),
    ("train_seq2seq", "hidden_size", HUGE)])
def test_plain_http_nan_and_infinity_are_refused_by_name(app_url, api, param, bad):
    """gradio_client will not send NaN or infinity; JSON from curl or JavaScript can."""
    body = json.dumps({"data": api_args(api, **{param: bad, "lang": "ko"})}).encode()
    status, stream = call(app_url, api, body)
    assert status == 200
    msg = error_of(stream)
    assert any(n in msg for n in needles(param, "ko")) and short(msg), msg


# -- the number of values (playground.arity) -----------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("n", [0, 3, 9, 11])
def test_plain_http_with_a_wrong_number_of_values_is_told_how_many(app_url, n):
    """/show_topology takes 8 values (or 9 with a null for the session's ticket)."""
    data = (api_args("show_topology") * 2)[:n]
    status, body = call(app_url, "show_topology", json.dumps({"data": data}).encode())
    if n == 9:  # Gradio's own form: a null in place of the state
        assert status == 200 and "event: complete" in body
        return
    assert status == 422, body
    detail = json.loads(body)["detail"]
    assert detail.startswith("/show_topology takes 8 values: topology, cell,"), detail
    assert detail.endswith(f"; got {n}."), detail


@pytest.mark.slow
def test_the_count_message_follows_accept_language_and_every_endpoint_counts(app_url):
    status, body = call(app_url, "cancel_training", b'{"data": []}', lang="ko-KR,ko;q=0.9")
    assert status == 422
    assert json.loads(body)["detail"] == ("/cancel_training에는 값 1개(lang)를 넘겨야 하는데 "
                                          "0개를 받았습니다.")
    status, body = call(app_url, "ping", b'{"data": [1]}')
    assert (status, json.loads(body)["detail"]) == (422, "/ping takes no values; got 1.")
    for api in ENDPOINTS:  # one value short: never Gradio's {"error": null}
        status, body = call(app_url, api, json.dumps({"data": api_args(api)[:-1]}).encode())
        assert status == 422 and f"/{api} takes" in json.loads(body)["detail"], body


@pytest.mark.slow
def test_an_unknown_endpoint_or_keyword_is_named(app_url):
    status, body = call(app_url, "show_topologies", b'{"data": []}')
    assert status == 404 and "/show_topologies" in body and "/show_topology," in body
    base = app_url.rstrip("/") + "/gradio_api/call/v2/"
    r = httpx.post(base + "show_topology", json={"topology": "one_to_one", "layers": 2})
    assert r.status_code == 422 and "'layers'" in r.json()["detail"]
    assert "num_layers" in r.json()["detail"]
    r = httpx.post(base + "training_status", json={"lang": "en"})
    assert r.status_code == 422 and r.json()["detail"] == (
        "/training_status needs a value for ticket.")
    r = httpx.post(base + "show_topology", json={"topology": "one_to_one", "text": "7"})
    assert r.status_code == 200  # right names: on to Gradio


@pytest.mark.slow
def test_gradio_client_with_one_value_too_many_is_told(app_url):
    """gradio_client fills missing values with the defaults, but sends extra ones (which
    Gradio would drop without a word)."""
    client = Client(app_url, verbose=False)
    with pytest.raises(Exception, match=r"takes 8 values: .*; got 9\."):
        client.predict(*api_args("show_topology"), "extra", api_name="/show_topology")
    with pytest.raises(Exception, match=r"/ping takes no values; got 1\."):
        client.predict(1, api_name="/ping")
    assert client.predict(api_name="/ping") == {"ok": True}  # still serving


@pytest.mark.slow
def test_queue_join_with_too_few_values_is_told(app_url):
    """The page's own protocol: one value per input of the event, the session's state too."""
    fn_index = next(d["id"] for d in _config(app_url)["dependencies"]
                    if d.get("api_name") == "show_topology")
    r = httpx.post(app_url.rstrip("/") + "/gradio_api/queue/join",
                   json={"data": ["many_to_many"], "fn_index": fn_index, "session_hash": "s1"})
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["message"].startswith("/show_topology takes 9 values in data: topology,")
    assert "ticket (null)" in detail["message"] and detail["message"].endswith("got 1.")


def _config(app_url: str) -> dict:
    return httpx.get(app_url.rstrip("/") + "/config").json()


