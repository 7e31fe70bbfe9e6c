"""Unrolled's engine: explain, train and serve small recurrent networks.

Imports only torch and numpy (never gradio), so a teacher can use it from a notebook::

    import torch, torch.nn as nn
    from engine import unroll
    rnn = nn.RNN(input_size=4, hidden_size=2, batch_first=True)
    trace = unroll(rnn, torch.randn(3, 5, 4))   # every h_t, for every layer and direction
"""

from .bptt import GradNorms, Profile, ProfileConfig, gradient_profile, hidden_grad_norms
from .checkpoints import Checkpoint, load_checkpoint, manifest, save_checkpoint
from .jobs import JobManager, JobSnapshot, QueueFull, UnknownJob
from .limits import LIMITS, LimitError, Limits
from .models import CELLS, ModelConfig, TopologyModel, build_model
from .race import (
    LIVE_LIMITS,
    RACERS,
    RaceConfig,
    RacerStep,
    RaceStep,
    load_replay,
    race_job,
    race_steps,
    record_replays,
    replays,
)
from .seq2seq import (
    Decoded,
    Seq2Seq,
    Seq2SeqConfig,
    Seq2SeqTrainConfig,
    build_seq2seq,
    greedy_decode,
)
from .tasks import TASK_FOR_TOPOLOGY, TASKS, TOPOLOGIES, Batch, Task, TaskInputError, get_task
from .train import StepMetrics, TrainConfig, TrainRequest, evaluate, train_job, train_steps
from .unroll import Unrolled, UnrollError, unroll

__all__ = [
    "CELLS", "LIMITS", "TASKS", "TASK_FOR_TOPOLOGY", "TOPOLOGIES", "Batch", "GradNorms",
    "Checkpoint", "JobManager", "JobSnapshot", "LimitError", "Limits", "ModelConfig", "QueueFull",
    "StepMetrics", "Task", "TrainRequest",
    "TaskInputError", "TopologyModel", "TrainConfig", "UnknownJob", "UnrollError", "Unrolled",
    "build_model", "evaluate", "get_task", "hidden_grad_norms", "load_checkpoint", "manifest",
    "save_checkpoint",
    "train_job", "train_steps", "unroll",
    # BPTT gradients
    "Profile", "ProfileConfig", "gradient_profile", "LIVE_LIMITS", "RACERS", "RaceConfig",
    "RacerStep", "RaceStep", "load_replay", "race_job", "race_steps", "record_replays", "replays",
    # seq2seq vs attention
    "Decoded", "Seq2Seq", "Seq2SeqConfig", "Seq2SeqTrainConfig", "build_seq2seq", "greedy_decode",
]
