"""Cold start: ``python app.py`` until its first HTTP 200 on "/", against a bare hello-world.

The hello-world is a temporary script that imports torch and gradio and launches a ``gr.Blocks``
holding one Markdown: the floor any Gradio + PyTorch app pays. Both run as fresh subprocesses
from the repository root with the same environment (a free GRADIO_SERVER_PORT each,
GRADIO_ANALYTICS_ENABLED=False); the clock runs from ``Popen`` to the first 200 on "/" (polled
every 20 ms), and the server is stopped right after. Runs go pair by pair (6, or fewer if the
machine is so slow that the script would pass ~3 minutes), the order inside a pair alternating,
and the report gives every time and the median of the per-pair ratios app / hello-world (the
machine is shared: neighbours compare better than absolute times). Goal: at most 1.15.

    python bench/bench_startup.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

PAIRS = 6  # at most; fewer (but at least 3) if the time budget runs out
BUDGET = 150.0  # seconds for the measured pairs, so the script ends within ~3 minutes
GOAL = 1.15

HELLO = '''\
import os

import torch  # noqa: F401
import gradio as gr

with gr.Blocks() as demo:
    gr.Markdown("# Hello")
demo.launch(server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
            server_port=int(os.environ["GRADIO_SERVER_PORT"]))
'''


def time_to_200(script: Path, log: Path) -> float:
    """Seconds from starting ``python script`` to its first HTTP 200 on "/"."""
    port = _common.free_port()
    with open(log, "w") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, str(script)], cwd=_common.ROOT,
                                env=_common.server_env(port), stdout=subprocess.DEVNULL,
                                stderr=err)
        try:
            t1 = _common.wait_for_200(f"http://127.0.0.1:{port}/", proc)
        except RuntimeError as e:
            raise RuntimeError(f"{script.name}: {e}\n{log.read_text()[-2000:]}") from None
        finally:
            _common.stop(proc)
    return t1 - t0


def main() -> None:
    runs: dict[str, list[float]] = {"app": [], "hello": []}
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello_gradio_torch.py"
        hello.write_text(HELLO)
        scripts = {"app": _common.ROOT / "app.py", "hello": hello}
        # one unmeasured run of each, so neither pays for a cold page cache alone
        for name in ("hello", "app"):
            time_to_200(scripts[name], Path(tmp) / f"{name}.log")
        start = time.monotonic()
        for k in range(PAIRS):
            spent = time.monotonic() - start
            if k >= 3 and spent / k * (k + 1) > BUDGET:
                print(f"(stopping after {k} pairs: time budget)")
                break
            order = ("app", "hello") if k % 2 == 0 else ("hello", "app")
            for name in order:
                sec = time_to_200(scripts[name], Path(tmp) / f"{name}.log")
                runs[name].append(sec)
                print(f"pair {k + 1}: {name:5} {sec:6.2f} s", flush=True)

    ratios = [a / h for a, h in zip(runs["app"], runs["hello"])]
    ratio = _common.median(ratios)
    print()
    print(f"cold start to first HTTP 200 on '/': app.py vs a torch+gradio hello-world, "
          f"{len(ratios)} interleaved pairs (+1 unmeasured warm-up pair)")
    print(_common.machine())
    print(_common.load())
    print(f"app.py       s: {'  '.join(f'{x:5.2f}' for x in runs['app'])}   "
          f"median {_common.median(runs['app']):.2f}")
    print(f"hello-world  s: {'  '.join(f'{x:5.2f}' for x in runs['hello'])}   "
          f"median {_common.median(runs['hello']):.2f}")
    print(f"per-pair ratio: {'  '.join(f'{r:5.2f}' for r in ratios)}")
    print(f"median ratio app / hello-world: {ratio:.3f}   goal <= {GOAL}: "
          f"{'met' if ratio <= GOAL else 'MISSED'}")
    print(f"app's own cost over the floor (median of per-pair differences): "
          f"{_common.median([a - h for a, h in zip(runs['app'], runs['hello'])]):+.2f} s")


if __name__ == "__main__":
    main()
