"""One way of seeding: every random draw comes from a private ``torch.Generator``.

torch's global generator is shared by every thread of a process, so ``torch.manual_seed(s)``
followed by ``nn.LSTM(...)`` gives the right weights only if no other thread draws in between;
on a server answering a class, other threads do. Here nothing touches the global state:

    gen = generator(seed)
    rnn = build(lambda: nn.LSTM(4, 8), gen)     # the weights torch.manual_seed(seed) would give
    x = torch.randn(5, 1, 4, generator=gen)      # the next draws, as if from the global one

``build`` constructs the module on the meta device (no draw at all), then draws each parameter
the way PyTorch's own ``reset_parameters`` does, in the order the constructor would have drawn
them. A private generator seeded with s yields the same stream as ``torch.manual_seed(s)``, so
the weights are bit-for-bit those of the usual two lines (``tests/engine/test_seeding.py`` checks it
for every module the engine builds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import torch
from torch import nn

__all__ = ["build", "empty", "generator", "pytorch_init_"]

M = TypeVar("M", bound=nn.Module)


def generator(seed: int) -> torch.Generator:
    """A CPU generator seeded with ``seed``: its draws are those of ``torch.manual_seed(seed)``."""
    return torch.Generator().manual_seed(int(seed))


@torch.no_grad()
def pytorch_init_(module: nn.Module, gen: torch.Generator) -> nn.Module:
    """Redraw every parameter of ``module`` as PyTorch's defaults do, from ``gen``, in place.

    - ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)).
    - ``nn.Linear``: W by Kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fan_in), ..), then
      b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    - ``nn.Embedding``: N(0, 1), the padding row (if any) zero.

    Submodules are visited in registration order, which is the order their constructors run
    (and draw) in ``__init__``. A module with parameters of another kind is refused rather than
    left undrawn.
    """
    for mod in module.modules():
        own = list(mod.parameters(recurse=False))
        if not own:
            continue
        if isinstance(mod, nn.RNNBase):
            k = 1.0 / math.sqrt(mod.hidden_size)
            for p in own:
                p.uniform_(-k, k, generator=gen)
        elif isinstance(mod, nn.Linear):
            nn.init.kaiming_uniform_(mod.weight, a=math.sqrt(5), generator=gen)
            if mod.bias is not None:
                k = 1.0 / math.sqrt(mod.in_features) if mod.in_features > 0 else 0.0
                mod.bias.uniform_(-k, k, generator=gen)
        elif isinstance(mod, nn.Embedding):
            mod.weight.normal_(0.0, 1.0, generator=gen)
            if mod.padding_idx is not None:
                mod.weight[mod.padding_idx].zero_()
        else:
            raise TypeError(f"pytorch_init_ does not know how PyTorch draws a "
                            f"{type(mod).__name__}'s parameters")
    return module


def empty(factory: Callable[[], M]) -> M:
    """``factory()`` made with no random draw: on the meta device (shapes only), then given real,
    uninitialised storage, for the caller to fill. Modules with buffers are refused:
    ``to_empty`` would leave them uninitialised."""
    with torch.device("meta"):
        module = factory()
    if next(module.buffers(), None) is not None:
        raise TypeError(f"{type(module).__name__} has buffers, which empty() cannot initialise")
    # Real storage, parameter by parameter (``Module.to_empty`` does the same but costs ~2 s
    # on its first call in a process, which every forked job would pay). nn.RNNBase's own
    # __setattr__ keeps its flat list of weights, what the fused kernel reads, up to date.
    for mod in module.modules():
        for name, p in list(mod.named_parameters(recurse=False)):
            setattr(mod, name, nn.Parameter(torch.empty(p.shape, dtype=p.dtype),
                                            requires_grad=p.requires_grad))
    return module


def build(factory: Callable[[], M], gen: torch.Generator) -> M:
    """``factory()`` with PyTorch's default initialisation drawn from ``gen``, not the global
    RNG: :func:`empty`, then :func:`pytorch_init_`."""
    return pytorch_init_(empty(factory), gen)
