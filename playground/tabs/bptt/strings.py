"""The BPTT gradients tab's strings, in English and Korean (registered with
``playground.i18n``)."""

from __future__ import annotations

from engine.bptt import ProfileConfig
from engine.race import RaceConfig, replays

from ...i18n import register

_P, _R = ProfileConfig(), RaceConfig()  # the defaults the texts quote, read, not typed
_MINUS_INPUT = f"{_R.input_bias:g}".replace("-", "−")  # -3 with a true minus sign

EN: dict[str, str] = {
    "tab_bptt": "BPTT gradients",
    "bp_intro": (
        "### Backpropagation through time: why gradients vanish or explode\n"
        "Training an RNN unrolls it: a sequence of T steps becomes a network T layers deep, "
        "every layer sharing the same W_hh. The gradient of the loss travels back through every "
        "step, and each step multiplies it by that step's Jacobian "
        "dh_t/dh_(t-1) = diag(f′(a_t)) W_hh. Steps count from t = 0 to T − 1; from h_(T−1), "
        "where the loss reads the last state, back to h_0 the gradient crosses T − 1 such "
        "matrices, and their product shrinks or grows geometrically: the gradient **vanishes** "
        "or **explodes**.\n\n"
        "Every curve here is **measured** with autograd on a real `nn.RNN` / `nn.LSTM` / "
        "`nn.GRU` (in float64, so that 1e-200 is a number, not a zero); the theory is drawn over "
        "the measurement, only where it applies."),
    "bp_cell": "Cell",
    "bp_seq_len": "Sequence length T",
    "bp_scale": "Recurrent scale s (W_hh = s · Q)",
    "bp_init": "Q, the shape of W_hh",
    "bp_init_orth": "orthogonal (σ_max = ρ = s)",
    "bp_init_gauss": "Gaussian N(0, 1/H) (not normal: σ_max ≈ 2ρ)",
    "bp_input": "Input scale (x_t ~ N(0, scale²))",
    "bp_forget_default": "LSTM: PyTorch's random forget bias",
    "bp_forget": "LSTM forget bias b_f (b_ih + b_hh, every unit)",
    "bp_update_default": "GRU: PyTorch's random update-gate bias",
    "bp_update": "GRU update-gate bias b_z (b_ih + b_hh, every unit)",
    "bp_hidden": "Hidden size H",
    "bp_loss_at": "Where the loss sits",
    "bp_loss_last": "last step only: L = r · h_(T−1)",
    "bp_loss_every": "every step: L = Σ_t r · h_t",
    "bp_tbptt": "Truncated BPTT: chunk length k (0 = full BPTT)",
    "bp_more": "More settings",
    "bp_profile_title": "#### ||dL/dh_t||: how much of the loss's gradient reaches step t",
    "bp_sv_title": "#### W_hh's singular values",
    "bp_sv_text": (
        "σ_max, the largest singular value, is the most one step of W_hh can stretch any "
        "vector: it is what the bound uses. The spectral radius ρ (the largest |eigenvalue|) "
        "governs W_hh^n for large n. For s × an orthogonal Q they are equal; for a Gaussian "
        "W_hh, a matrix that is not normal, σ_max is about twice ρ: ρ < 1 does not rule out "
        "growth over many steps."),
    "bp_sum_title": "#### BPTT is a sum over time",
    "bp_sum_text": (
        "W_hh is shared by every step, so its gradient is a sum with one term per step: "
        "dL/dW_hh = Σ_t (dL/da_t) h_(t-1)ᵀ, where a_t is the step's pre-activation. The plot "
        "adds the terms starting from the loss and going back in time. When the gradient "
        "vanishes, the early steps' terms are tiny and the sum levels off: whatever happened "
        "early in the sequence cannot change the weights, so the model cannot learn from it."),
    "bp_act_title": "#### Saturation: where f′ is small",
    "bp_act_text": (
        "tanh′ is at most 1 and sigmoid′ at most 1/4, both at a = 0 (so γ = max |f′| = 1 for "
        "tanh and relu). Each step multiplies the gradient by f′(a_t): where pre-activations "
        "fall far from 0 the unit is saturated, f′ is nearly 0, and the gradient through it "
        "dies even when σ_max is large. The histogram shows where this configuration's "
        "pre-activations fall; raise the input scale to push them out."),
    "bp_gated_title": "#### Gated cells: a highway, as open as its gate",
    "bp_gated_text": (
        "In an LSTM, c_t = f_t ⊙ c_(t-1) + i_t ⊙ g_t, so along the cell state the Jacobian is "
        "diag(f_t): a path like a ResNet's skip connection, with no W_hh and no squashing on it "
        "(Hochreiter & Schmidhuber's constant error carousel). But it keeps the gradient only "
        "where f_t is near 1. PyTorch draws every bias at random, uniform in ±1/√H, and a gate "
        "has two of them, b_ih and b_hh (their sum acts): so f_t starts near 1/2. The cells "
        "here follow PyTorch's init only in part: W_ih and the biases are drawn as PyTorch "
        "draws them (unless you set the forget or update bias), but each gate's block of W_hh "
        "is s·Q, as for the plain RNN: "
        f"the recurrent scale s times Q (by default {_P.recurrent_scale:g}·Q, Q orthogonal). "
        "Try the LSTM with PyTorch's random forget bias, then with a forget bias of 1: the "
        "gradient still decays by orders of magnitude from h_(T−1) back to h_0 "
        f"(T = {_P.seq_len}). Raise the bias and the decay slows; past about 3 the "
        "cell-state gradient even grows. "
        "A GRU does the same with its update gate: h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_(t-1). "
        "Gates don't abolish vanishing; they let the network learn when to keep its memory."),
    "bp_axis_t": "time step t (the loss is on the right)",
    "bp_axis_t_back": "time step t (the sum runs from the loss, right to left ←)",
    "bp_axis_i": "i (largest first)",
    "bp_axis_a": "pre-activation a",
    "bp_act_share": "share of pre-activations",
    "bp_act_hist": "where the {f} pre-activations fall",
    "bp_act_fig": "The nonlinearities and their derivatives",
    "bp_trace_h": "||dL/dh_t|| measured",
    "bp_trace_c": "||dL/dc_t|| (cell state)",
    "bp_trace_bound": "bound (γ σ_max)^(T−1−t) ||dL/dh_(T−1)||",
    "bp_sv_fig": "Singular values of W_hh",
    "bp_sv_threshold": "1/γ = {v:.0f}",
    "bp_sv_rho": "spectral radius ρ = {v:.3f}",
    "bp_sv_max": "σ_max = {v:.3f}",
    "bp_sum_term": "||term of step t||",
    "bp_sum_running": "||running sum from the loss back to t||",
    # server-made text
    "bp_fig_title": "{cell}, T = {T}: ||dL/dh_0|| / ||dL/dh_(T-1)|| = {ratio}",
    "bp_fig_title_none": "{cell}, T = {T}",
    "bp_sum_fig": "dL/dW_hh, built backwards in time",
    "bp_reg_vanish": (
        "**Vanishing is guaranteed.** σ_max = {sigma:.3f} < 1/γ = 1, so each step multiplies "
        "the gradient by at most γσ_max = {gs:.3f}, and over {steps} by at most {bound}. "
        "Measured: {measured}."),
    "bp_reg_possible": (
        "**Exploding is possible, not certain.** σ_max = {sigma:.3f} > 1/γ = 1: the bound "
        "allows growth by up to {bound} over {steps}, but it is only an upper bound. "
        "Units in saturation (f′ near 0) can still make the gradient vanish. Measured: "
        "{measured}."),
    "bp_reg_edge": (
        "**On the edge.** σ_max = {sigma:.3f} = 1/γ: the bound allows neither growth nor "
        "guaranteed decay. Measured: {measured}."),
    "bp_reg_na": (
        "**The bound is not drawn: {why}.** The bound of Pascanu, Mikolov & Bengio (2013), "
        "||dL/dh_t|| ≤ (γσ_max)^(T−1−t) ||dL/dh_(T−1)||, is for one plain recurrent layer with "
        "the loss at the last step. Here σ_max = {sigma:.3f}. Measured: {measured}."),
    "bp_why_every": "the loss sits at every step (each step's gradient also gets short paths "
                    "from nearby losses)",
    "bp_why_layers": "the layers are stacked (the gradient also flows between layers)",
    "bp_why_gated": "the cell is gated (its step Jacobian is not diag(f′(a)) W_hh)",
    "bp_why_tbptt": "BPTT is truncated (no gradient crosses a chunk boundary)",
    "bp_measured_vanish": "over {steps} the gradient shrank by a factor {ratio}",
    "bp_measured_grow": "over {steps} the gradient grew by a factor {ratio}",
    "bp_measured_zero": "no gradient at all reaches step 0",
    "bp_measured_underflow": "over {steps} the gradient fell below float64's smallest "
                             "number (about 1e-308)",
    "bp_measured_overflow": "over {steps} the gradient overflowed float64",
    "bp_n_step": "{n} step",
    "bp_n_steps": "{n} steps",
    "bp_closed_form": (
        "\n\n**The exact case.** No input, zero biases and a zero initial state: every h_t "
        "is 0 and tanh′(0) = 1, so every step's Jacobian is exactly W_hh = sQ and "
        "||dL/dh_t|| = s^(T−1−t) ||dL/dh_(T−1)||: the measurement lies on the bound."),
    "bp_overflow": (
        "\n\n⚠️ **Overflow.** At some steps the gradient went past float64's largest number "
        "(about 1.8e308): those steps are left out of the plot rather than drawn as numbers. "
        "In training this is the exploding gradient: one update would throw the weights away."),
    "bp_zero_gap": (
        "\n\nWhere the curve has gaps, the gradient is exactly 0: {why}."),
    "bp_zero_tbptt": "truncation stops it at a chunk boundary",
    "bp_opt_sgd": "SGD (momentum {momentum}), lr {lr}",
    "bp_opt_adam": "Adam, lr {lr}",
    "bp_zero_underflow": "it fell below float64's smallest number (about 1e-308)",
    "bp_zero_nopath": ("no path carries it back: nothing underflowed, the step Jacobian "
                       "diag(f′(a_t)) W_hh is exactly zero there (W_hh = 0, or relu units that "
                       "are all off)"),
    "bp_lstm_note": (
        "**Measured on this LSTM** ({init}): mean forget gate f = {gate:.3f}; over {steps} "
        "||dL/dc_0|| / ||dL/dc_(T-1)|| = {ratio}."),
    "bp_gru_note": (
        "**Measured on this GRU** ({init}): mean update gate z = {gate:.3f} (near 1, the "
        "state is copied and the gradient passes almost unchanged)."),
    "bp_gated_init": (
        "W_hh = {s}·Q in each gate's block, {q}, not PyTorch's init; W_ih and the other "
        "biases as PyTorch draws them; memory-gate bias: {bias}"),
    "bp_q_orthogonal": "Q orthogonal",
    "bp_q_gaussian": "Q Gaussian N(0, 1/H)",
    "bp_bias_pytorch": "PyTorch's default",
    "bp_sum_note": (
        "Half of ||dL/dW_hh|| is already there within the last {k_steps} of {T}; the first "
        "half of the sequence (t < {half}) adds at most {early} of it."),
    "bp_sat_note": "{pct:.0f}% of these pre-activations are saturated (f′ below a tenth of its "
                   "peak).",
    "bp_tbptt_note": (
        "**Truncated BPTT, chunks of k = {k}:** the state is carried forward but detached at "
        "every boundary (dotted lines), so no gradient crosses one: no dependency longer than "
        "k steps can be learned. Measured on this module (float32, forward and backward over "
        "the sequence): full BPTT keeps {full} of activations for the backward pass; chunks "
        "keep at most {chunk} at a time ({ratio:.1f}x less). Time: {t_full:.1f} ms in full, "
        "{t_chunk:.1f} ms in chunks: each step still goes forward and backward once, so "
        "truncation saves memory, not arithmetic (and it allows an update after every chunk)."),
    # parameter names, as error messages name them
    "seq_len": "Sequence length T",
    "hidden_size": "Hidden size",
    "recurrent_scale": "Recurrent scale s",
    "init": "The shape of W_hh",
    "input_scale": "Input scale",
    "forget_bias": "LSTM forget bias",
    "update_bias": "GRU update-gate bias",
    "loss_at": "Where the loss sits",
    "tbptt": "Truncated BPTT chunk length",
    # -- the training race
    "bp_race_title": "### A training race: plain RNN, clipped RNN, LSTM and GRU on a long lag",
    "bp_race_text": (
        "Four models learn the same task side by side, from the same seed, on the very same "
        "batches: a plain `nn.RNN` without clipping, the same with gradient clipping, an "
        "`nn.LSTM` and an `nn.GRU`. The answer lies at the start of each sequence (t = 0), "
        "and the loss reads the last state h_(T−1), T − 1 steps later: **remember the first "
        "symbol** (one of 4, the rest is noise: chance is 25%), or **the adding problem** "
        "(add the two numbers that are marked). Only a gradient that survives T − 1 steps "
        "back can teach it. The recorded race shows at once; "
        "pick another, or run a small one live."),
    "bp_clip_title": "#### What clipping does, and what it doesn't",
    "bp_clip_text": (
        "Gradient clipping (Pascanu et al. 2013, Algorithm 1): if ||g|| > threshold, "
        "g ← threshold · g / ||g||, with g the gradient of *all* the parameters "
        "(`torch.nn.utils.clip_grad_norm_`, which returns the norm before clipping). It "
        "rescales the whole step's gradient by one factor: it bounds the size of the update, "
        "so one exploding step can't throw the weights away. It does **not** change the shape "
        "of ||dL/dh_t|| over t, and it does **nothing for vanishing gradients**: a gradient "
        "that never reaches the start of the sequence isn't rescued by shrinking it.\n\n"
        "How much bounding the update matters depends on the optimizer. With SGD the update "
        "is lr · g, so one huge gradient is one huge step. Adam already divides each "
        "parameter's step by a running estimate of its gradient's size, so an exploding "
        "gradient hardly enlarges the update: there clipping changes little, and it can slow "
        "learning. Each race's summary names its optimizer and says what clipping did in it."),
    "bp_race_replay": "Recorded race",
    "bp_race_racer": "Heatmap of",
    "bp_race_task": "Task",
    "bp_task_first_symbol": "remember the first symbol",
    "bp_task_adding": "the adding problem",
    "bp_race_lag": "Lag T (sequence length)",
    "bp_race_clip": "Clipping threshold",
    "bp_race_steps": "Training steps",
    "bp_race_run": "Run a live race with these settings",
    "bp_race_cancel": "Cancel the live race",
    "bp_race_live": "#### Run a race live",
    "bp_race_live_note": (
        "Live races on the shared server are limited to a lag of {lag} and {steps} training "
        "steps; longer ones ship as recorded replays made "
        "by the same code (`python -m engine.race`). Identical settings share one run."),
    "bp_race_step": "training step",
    "bp_race_chance": "chance: a model that forgot",
    "bp_race_diverged": "diverged at step {step}",
    "bp_race_before": "(before clipping)",
    "bp_race_after": "(after clipping)",
    "bp_race_fired": "clipping fired",
    "bp_race_threshold": "threshold {clip:g}",
    "bp_race_heat_empty": "The heatmap fills in as the race is measured (every few steps).",
    "bp_race_loss_fig": "Training loss (same data and seed for all four)",
    "bp_race_grad_fig": "Total gradient norm per training step",
    "bp_race_heat_fig": "{racer}: log<sub>10</sub> ||dL/dh_t|| over t, as it learns",
    "bp_racer_rnn": "RNN",
    "bp_racer_rnn_clip": "RNN + clipping",
    "bp_racer_lstm": "LSTM",
    "bp_racer_gru": "GRU",
    "bp_race_source_replay": "Recorded replay",
    "bp_race_source_live": "Live race",
    "bp_race_head": (
        "**{source}**: {task}, lag T = {lag}, hidden size {hidden}, {steps}, optimizer "
        "{opt}, seed {seed}."),
    "bp_race_biases": (
        "**Gate biases at the start** (b_ih + b_hh, every unit): LSTM forget gate {f}, input "
        "gate {i}; GRU update gate {z}; the plain RNNs keep PyTorch's default biases. "
        "PyTorch's default draws b_ih and b_hh uniformly from ±1/√H = ±{u} (H = {H}), so "
        "such a gate starts near σ(0) = 1/2."),
    "bp_race_biases_tuned": (
        "So this LSTM and GRU do **not** start as a default `nn.LSTM` / `nn.GRU` does: the "
        "results below are for these biases (a live race can start from PyTorch's defaults)."),
    "bp_race_biases_label": "Gate biases of the LSTM and GRU",
    "bp_biases_tuned": (f"tuned, as recorded (forget / update gate {_R.gate_bias:g}, LSTM input "
                        f"gate {_MINUS_INPUT})"),
    "bp_biases_pytorch": "PyTorch's defaults (as nn.LSTM / nn.GRU build them)",
    "bp_clip_adam": (
        "**Why clipping barely helps here:** all four racers use Adam (lr {lr}). Adam already "
        "divides each parameter's step by a running estimate of its gradient's size, so an "
        "exploding gradient hardly enlarges the update: clipping changes little, and it can "
        "slow learning. Clipping fired at {fired} of {n} steps; on held-out sequences the "
        "clipped RNN ends at {acc_clip}, the unclipped one at {acc_rnn}{chance_acc}."),
    "bp_clip_adam_worse": "Here the clipped RNN ended worse off.",
    "bp_clip_sgd": (
        "**What clipping did here:** all four racers use SGD (lr {lr}, momentum {momentum}), "
        "where the update is lr · g (with momentum, lr times a running sum of gradients): its "
        "size follows the gradient's, and clipping bounds it. Clipping fired at {fired} of {n} "
        "steps; on held-out sequences the clipped "
        "RNN ends at {acc_clip}, the unclipped one at {acc_rnn}{chance_acc}."),
    "bp_clip_sgd_spike": (
        "At step {step} the unclipped RNN's gradient norm jumped to {norm} (at most {prev} "
        "before); its median training loss was {before} before that update and {after} after "
        "it (a net that forgot the start scores {chance_name} = {chance}). Clipping prevented "
        "that one huge update, cutting it to norm {clip} as it cut every gradient larger than "
        "{clip}; it did **not** make the RNN learn the lag: the clipped RNN ends at "
        "{acc_clip}, its median training loss {c_med}, {c_x}× chance."),
    "bp_clip_chance_acc": " (chance: {chance})",
    "bp_race_row": "- **{racer}**: {acc} right on held-out sequences{div}",
    "bp_race_row_live": "- **{racer}**: {acc} right on the last batch{div}",
    "bp_race_row_div": (
        "; **diverged at step {step}**: its gradient norm had reached {norm}, and the next "
        "numbers were inf or NaN. That racer stopped there, cleanly; the others went on"),
    "bp_race_chance_line": "Chance: {chance}. ",
    "bp_race_running": "Racing live: step {step} of {total}.",
    "bp_race_cancelled": "The live race was cancelled at step {step}.",
    "bp_race_already_done": (
        "The live race had already finished ({step} of {total} steps): there was nothing to "
        "cancel."),
    "bp_race_none": "No live race is running.",
    # parameter names, as error messages name them (the race)
    "lag": "Lag T",
    "clip": "Clipping threshold",
    "steps": "Training steps",
    "task": "Task",
    "replay": "Recorded race",
    "racer": "Heatmap of",
    "forget_default": "PyTorch's random forget bias",
    "update_default": "PyTorch's random update-gate bias",
    "biases": "Gate biases of the LSTM and GRU",
}

KO: dict[str, str] = {
    "tab_bptt": "BPTT 기울기",
    "bp_intro": (
        "### 시간 역전파(BPTT): 기울기는 왜 사라지거나 폭발할까\n"
        "RNN을 학습하면 네트워크가 펼쳐집니다. T 단계의 시퀀스는 T층 깊이의 네트워크가 되고, "
        "모든 층이 같은 W_hh를 공유합니다. 손실의 기울기는 모든 단계를 거슬러 올라가며, 단계마다 "
        "그 단계의 야코비안 dh_t/dh_(t-1) = diag(f′(a_t)) W_hh가 곱해집니다. 단계는 t = 0부터 "
        "T − 1까지 셉니다. 손실이 읽는 마지막 상태 h_(T−1)에서 h_0까지 거슬러 가는 동안 이런 "
        "행렬 T − 1개가 곱해지고, 그 곱은 기하급수적으로 줄거나 커집니다. 기울기가 **소실**되거나 "
        "**폭발**합니다.\n\n"
        "여기 나오는 모든 곡선은 실제 `nn.RNN` / `nn.LSTM` / `nn.GRU`에서 autograd로 **측정한** "
        "값입니다 (float64로 계산하므로 1e-200도 0이 아니라 숫자로 남습니다). 이론은 적용되는 "
        "경우에만 측정값 위에 겹쳐 그립니다."),
    "bp_cell": "셀",
    "bp_seq_len": "시퀀스 길이 T",
    "bp_scale": "순환 배율 s (W_hh = s · Q)",
    "bp_init": "Q: W_hh의 모양",
    "bp_init_orth": "직교 행렬 (σ_max = ρ = s)",
    "bp_init_gauss": "가우시안 N(0, 1/H) (정규 행렬이 아님: σ_max ≈ 2ρ)",
    "bp_input": "입력 크기 (x_t ~ N(0, 크기²))",
    "bp_forget_default": "LSTM: PyTorch의 무작위 망각 게이트 편향",
    "bp_forget": "LSTM 망각 게이트 편향 b_f (b_ih + b_hh, 모든 유닛)",
    "bp_update_default": "GRU: PyTorch의 무작위 업데이트 게이트 편향",
    "bp_update": "GRU 업데이트 게이트 편향 b_z (b_ih + b_hh, 모든 유닛)",
    "bp_hidden": "은닉 크기 H",
    "bp_loss_at": "손실을 두는 곳",
    "bp_loss_last": "마지막 단계에만: L = r · h_(T−1)",
    "bp_loss_every": "모든 단계에: L = Σ_t r · h_t",
    "bp_tbptt": "잘린 BPTT: 구간 길이 k (0 = 전체 BPTT)",
    "bp_more": "설정 더 보기",
    "bp_profile_title": "#### ||dL/dh_t||: 손실의 기울기가 단계 t까지 얼마나 도달하는가",
    "bp_sv_title": "#### W_hh의 특이값",
    "bp_sv_text": (
        "가장 큰 특이값 σ_max는 W_hh 한 단계가 어떤 벡터든 늘일 수 있는 최대 배율이며, 상한식이 "
        "쓰는 값입니다. 스펙트럼 반지름 ρ(고윳값 절댓값의 최댓값)는 n이 클 때 W_hh^n의 거동을 "
        "정합니다. s × 직교 행렬 Q에서는 둘이 같지만, 정규 행렬이 아닌 가우시안 W_hh에서는 "
        "σ_max가 ρ의 약 두 배입니다. ρ < 1이라고 해서 여러 단계에 걸친 증가가 배제되지는 "
        "않습니다."),
    "bp_sum_title": "#### BPTT는 시간에 걸친 합이다",
    "bp_sum_text": (
        "W_hh는 모든 단계가 공유하므로 그 기울기는 단계마다 한 항씩 더한 합입니다: "
        "dL/dW_hh = Σ_t (dL/da_t) h_(t-1)ᵀ (a_t는 그 단계의 사전 활성값). 그래프는 손실에서 "
        "시작해 시간을 거슬러 가며 항을 더합니다. 기울기가 소실되면 앞쪽 단계의 항은 아주 작아서 "
        "합이 더 늘지 않습니다. 시퀀스 앞부분에서 일어난 일은 가중치를 바꿀 수 없으니, 모델은 "
        "그것에서 배울 수 없습니다."),
    "bp_act_title": "#### 포화: f′가 작은 곳",
    "bp_act_text": (
        "tanh′의 최댓값은 1, sigmoid′의 최댓값은 1/4이며 둘 다 a = 0에서입니다 (그래서 tanh와 "
        "relu의 γ = max |f′| = 1). 단계마다 기울기에 f′(a_t)가 곱해지므로, 사전 활성값이 0에서 "
        "멀리 떨어진 유닛은 포화되어 f′가 거의 0이 되고, σ_max가 커도 그 유닛을 지나는 기울기는 "
        "사라집니다. 히스토그램은 이 설정의 사전 활성값이 어디에 놓이는지 보여 줍니다. 입력 "
        "크기를 키워 밖으로 밀어 보세요."),
    "bp_gated_title": "#### 게이트가 있는 셀: 게이트가 열린 만큼만 뚫린 고속도로",
    "bp_gated_text": (
        "LSTM에서는 c_t = f_t ⊙ c_(t-1) + i_t ⊙ g_t이므로 셀 상태를 따라가는 야코비안은 "
        "diag(f_t)입니다. ResNet의 건너뛰기 연결처럼 W_hh도, 찌그러뜨리는 함수도 없는 길입니다 "
        "(Hochreiter & Schmidhuber의 상수 오차 회전목마). 하지만 f_t가 1에 가까운 곳에서만 "
        "기울기를 지켜 줍니다. PyTorch는 모든 편향을 ±1/√H 범위에서 무작위로 뽑고, 게이트마다 "
        "b_ih와 b_hh 두 개가 있어 그 합이 작용합니다. 그래서 f_t는 1/2 근처에서 시작합니다. 여기 "
        "셀이 모두 PyTorch의 초기화를 따르지는 않습니다. W_ih와 편향은 (망각·업데이트 게이트 "
        "편향을 따로 정하지 않으면) PyTorch의 무작위 초기화이지만, 각 게이트 블록의 W_hh는 기본 "
        "RNN처럼 s·Q, 곧 순환 배율 s 곱하기 직교 행렬 Q입니다 "
        f"(기본값 {_P.recurrent_scale:g}·Q). PyTorch의 무작위 망각 게이트 편향으로, 그다음 망각 "
        "게이트 편향 1로 LSTM을 돌려 보세요. h_(T−1)에서 h_0까지 거슬러 가며 "
        f"(T = {_P.seq_len}) 기울기는 여전히 몇 자릿수나 줄어듭니다. 편향을 올리면 감소가 "
        "느려지고, 약 3을 넘으면 셀 상태의 기울기가 오히려 커집니다. GRU는 업데이트 "
        "게이트로 같은 일을 합니다: h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_(t-1). 게이트가 소실을 "
        "없애는 것이 아니라, 언제 기억을 유지할지 네트워크가 배울 수 있게 해 줍니다."),
    "bp_axis_t": "시간 단계 t (손실은 오른쪽)",
    "bp_axis_t_back": "시간 단계 t (손실에서부터 오른쪽에서 왼쪽으로 ← 더함)",
    "bp_axis_i": "i (큰 것부터)",
    "bp_axis_a": "사전 활성값 a",
    "bp_act_share": "사전 활성값의 비율",
    "bp_act_hist": "{f} 사전 활성값의 분포",
    "bp_act_fig": "비선형 함수와 그 도함수",
    "bp_trace_h": "측정한 ||dL/dh_t||",
    "bp_trace_c": "||dL/dc_t|| (셀 상태)",
    "bp_trace_bound": "상한 (γ σ_max)^(T−1−t) ||dL/dh_(T−1)||",
    "bp_sv_fig": "W_hh의 특이값",
    "bp_sv_threshold": "1/γ = {v:.0f}",
    "bp_sv_rho": "스펙트럼 반지름 ρ = {v:.3f}",
    "bp_sv_max": "σ_max = {v:.3f}",
    "bp_sum_term": "||단계 t의 항||",
    "bp_sum_running": "||손실에서 t까지 거꾸로 더한 합||",
    "bp_fig_title": "{cell}, T = {T}: ||dL/dh_0|| / ||dL/dh_(T-1)|| = {ratio}",
    "bp_fig_title_none": "{cell}, T = {T}",
    "bp_sum_fig": "시간을 거슬러 쌓이는 dL/dW_hh",
    "bp_reg_vanish": (
        "**소실이 보장됩니다.** σ_max = {sigma:.3f} < 1/γ = 1이므로 단계마다 기울기에 곱해지는 "
        "값은 많아야 γσ_max = {gs:.3f}이고, {steps} 동안에는 많아야 {bound}배가 됩니다. "
        "측정값: {measured}."),
    "bp_reg_possible": (
        "**폭발할 수 있지만, 반드시 폭발하지는 않습니다.** σ_max = {sigma:.3f} > 1/γ = 1이면 "
        "상한식은 {steps} 동안 최대 {bound}배까지 커지는 것을 허용하지만, 이는 상한일 "
        "뿐입니다. 포화된 유닛(f′가 0에 가까움)이 있으면 기울기는 여전히 소실될 수 있습니다. "
        "측정값: {measured}."),
    "bp_reg_edge": (
        "**경계에 있습니다.** σ_max = {sigma:.3f} = 1/γ: 상한식은 증가도, 보장된 감소도 "
        "말해 주지 않습니다. 측정값: {measured}."),
    "bp_reg_na": (
        "**상한을 그리지 않습니다: {why}.** Pascanu, Mikolov, Bengio (2013)의 상한 "
        "||dL/dh_t|| ≤ (γσ_max)^(T−1−t) ||dL/dh_(T−1)||은 손실이 마지막 단계에 있는 단층 기본 "
        "RNN에 대한 것입니다. 여기서 σ_max = {sigma:.3f}. 측정값: {measured}."),
    "bp_why_every": "손실이 모든 단계에 있습니다 (각 단계의 기울기는 가까운 손실에서 오는 짧은 "
                    "경로도 받습니다)",
    "bp_why_layers": "층이 쌓여 있습니다 (기울기가 층 사이로도 흐릅니다)",
    "bp_why_gated": "게이트가 있는 셀입니다 (단계 야코비안이 diag(f′(a)) W_hh가 아닙니다)",
    "bp_why_tbptt": "BPTT를 잘랐습니다 (구간 경계를 넘는 기울기가 없습니다)",
    "bp_measured_vanish": "{steps} 동안 기울기가 {ratio}배로 줄었습니다",
    "bp_measured_grow": "{steps} 동안 기울기가 {ratio}배로 커졌습니다",
    "bp_measured_zero": "단계 0에는 기울기가 전혀 도달하지 않습니다",
    "bp_measured_underflow": "{steps} 동안 기울기가 float64의 가장 작은 수(약 1e-308)보다 "
                             "작아졌습니다",
    "bp_measured_overflow": "{steps} 동안 기울기가 float64 범위를 넘어 오버플로했습니다",
    "bp_n_step": "{n}단계",
    "bp_n_steps": "{n}단계",
    "bp_closed_form": (
        "\n\n**정확히 풀리는 경우.** 입력이 없고 편향과 초기 상태가 0이면 모든 h_t가 0이고 "
        "tanh′(0) = 1이므로, 모든 단계의 야코비안이 정확히 W_hh = sQ이고 "
        "||dL/dh_t|| = s^(T−1−t) ||dL/dh_(T−1)||입니다. 측정값이 상한선 위에 정확히 놓입니다."),
    "bp_overflow": (
        "\n\n⚠️ **오버플로.** 몇몇 단계에서 기울기가 float64의 최댓값(약 1.8e308)을 넘었습니다. "
        "그 단계들은 숫자로 그리지 않고 그래프에서 뺐습니다. 학습에서는 이것이 기울기 폭발이며, "
        "한 번의 업데이트로 가중치가 망가집니다."),
    "bp_zero_gap": "\n\n곡선이 끊긴 곳에서는 기울기가 정확히 0입니다: {why}.",
    "bp_zero_tbptt": "잘린 BPTT가 구간 경계에서 기울기를 멈춥니다",
    "bp_opt_sgd": "SGD (모멘텀 {momentum}), 학습률 {lr}",
    "bp_opt_adam": "Adam, 학습률 {lr}",
    "bp_zero_underflow": "float64의 가장 작은 수(약 1e-308)보다 작아졌습니다",
    "bp_zero_nopath": ("기울기를 거꾸로 나르는 경로가 없습니다: 언더플로가 아니라, "
                       "그곳의 단계 야코비안 diag(f′(a_t)) W_hh가 정확히 0입니다 "
                       "(W_hh = 0이거나, relu 유닛이 모두 꺼져 있음)"),
    "bp_lstm_note": (
        "**이 LSTM에서 측정** ({init}): 망각 게이트 평균 f = {gate:.3f}; {steps} 동안 "
        "||dL/dc_0|| / ||dL/dc_(T-1)|| = {ratio}."),
    "bp_gru_note": (
        "**이 GRU에서 측정** ({init}): 업데이트 게이트 평균 z = {gate:.3f} (1에 가까우면 상태가 "
        "복사되고 기울기가 거의 그대로 전달됩니다)."),
    "bp_gated_init": (
        "게이트 블록마다 W_hh = {s}·Q, {q}, PyTorch의 초기화가 아님; W_ih와 나머지 편향은 "
        "PyTorch가 뽑은 값; 기억을 맡은 게이트의 편향: {bias}"),
    "bp_q_orthogonal": "Q는 직교 행렬",
    "bp_q_gaussian": "Q는 가우시안 N(0, 1/H)",
    "bp_bias_pytorch": "PyTorch 기본값",
    "bp_sum_note": (
        "||dL/dW_hh||의 절반은 {T}단계 중 마지막 {k}단계 안에서 이미 채워집니다. 시퀀스 앞쪽 "
        "절반(t < {half})이 더하는 것은 많아야 그 {early}배입니다."),
    "bp_sat_note": "이 사전 활성값 중 {pct:.0f}%가 포화되어 있습니다 (f′가 최댓값의 10분의 1 "
                   "미만).",
    "bp_tbptt_note": (
        "**잘린 BPTT, 구간 길이 k = {k}:** 상태는 다음 구간으로 넘어가지만 경계(점선)마다 "
        "그래프에서 떼어 내므로 경계를 넘는 기울기가 없습니다. k단계보다 긴 의존성은 배울 수 "
        "없습니다. 이 모듈에서 측정 (float32, 시퀀스 전체의 순전파와 역전파): 전체 BPTT는 역전파를 "
        "위해 활성값을 {full} 보관하고, 구간으로 나누면 한 번에 많아야 {chunk}만 보관합니다 "
        "({ratio:.1f}배 적음). 시간: 전체 {t_full:.1f} ms, 구간 {t_chunk:.1f} ms. 각 단계는 여전히 "
        "순전파와 역전파를 한 번씩 거치므로, 잘린 BPTT가 아끼는 것은 계산이 아니라 메모리입니다 "
        "(그리고 구간마다 업데이트할 수 있게 해 줍니다)."),
    "seq_len": "시퀀스 길이 T",
    "hidden_size": "은닉 크기",
    "recurrent_scale": "순환 배율 s",
    "init": "W_hh의 모양",
    "input_scale": "입력 크기",
    "forget_bias": "LSTM 망각 게이트 편향",
    "update_bias": "GRU 업데이트 게이트 편향",
    "loss_at": "손실을 두는 곳",
    "tbptt": "잘린 BPTT 구간 길이",
    "bp_race_title": "### 학습 경주: 긴 지연에서 기본 RNN, 클리핑한 RNN, LSTM, GRU",
    "bp_race_text": (
        "네 모델이 같은 시드에서 똑같은 배치로 같은 과제를 나란히 배웁니다: 클리핑 없는 기본 "
        "`nn.RNN`, 기울기 클리핑을 한 같은 모델, `nn.LSTM`, `nn.GRU`. 답은 각 시퀀스의 맨 앞"
        "(t = 0)에 있고, 손실은 T − 1단계 뒤의 마지막 상태 h_(T−1)에서 계산합니다: **첫 기호 "
        "기억하기** (4개 중 하나이고 나머지는 잡음이라 우연 수준은 25%), 또는 **덧셈 문제** "
        "(표시된 두 수를 더하기). T − 1단계를 거슬러 살아남는 기울기만 이것을 가르칠 수 "
        "있습니다. 녹화된 경주가 바로 나타납니다. 다른 것을 고르거나, "
        "작은 경주를 직접 돌려 보세요."),
    "bp_clip_title": "#### 클리핑이 하는 일과 하지 않는 일",
    "bp_clip_text": (
        "기울기 클리핑 (Pascanu et al. 2013, 알고리즘 1): ||g|| > 임계값이면 "
        "g ← 임계값 · g / ||g||이며, g는 *모든* 매개변수의 기울기입니다 "
        "(`torch.nn.utils.clip_grad_norm_`은 클리핑 전의 노름을 돌려줍니다). 한 단계의 기울기 "
        "전체를 한 배율로 줄이므로 업데이트의 크기를 제한하고, 폭발한 한 단계가 가중치를 "
        "망가뜨리지 못하게 합니다. 하지만 t에 따른 ||dL/dh_t||의 모양은 **바꾸지 않으며**, "
        "**기울기 소실에는 아무 도움이 되지 않습니다**. 시퀀스 앞까지 닿지 못하는 기울기는 "
        "줄인다고 살아나지 않습니다.\n\n"
        "업데이트 크기를 제한하는 일이 얼마나 중요한지는 옵티마이저에 달려 있습니다. SGD에서는 "
        "업데이트가 lr · g이므로 거대한 기울기 하나가 곧 거대한 한 걸음입니다. Adam은 이미 "
        "매개변수마다 업데이트를 그 기울기 크기의 이동 추정치로 나누므로, 기울기가 폭발해도 "
        "업데이트는 거의 커지지 않습니다. 그래서 클리핑이 바꾸는 것이 적고, 오히려 학습을 늦출 "
        "수도 있습니다. 각 경주의 요약에 그 경주의 옵티마이저와 클리핑이 한 일이 나옵니다."),
    "bp_race_replay": "녹화된 경주",
    "bp_race_racer": "히트맵으로 볼 모델",
    "bp_race_task": "과제",
    "bp_task_first_symbol": "첫 기호 기억하기",
    "bp_task_adding": "덧셈 문제",
    "bp_race_lag": "지연 T (시퀀스 길이)",
    "bp_race_clip": "클리핑 임계값",
    "bp_race_steps": "학습 단계 수",
    "bp_race_run": "이 설정으로 경주 직접 돌리기",
    "bp_race_cancel": "직접 돌리는 경주 취소",
    "bp_race_live": "#### 경주 직접 돌리기",
    "bp_race_live_note": (
        "공유 서버에서 직접 돌리는 경주는 지연 {lag}, 학습 {steps}단계까지입니다. 더 긴 경주는 "
        "같은 코드로 만든 녹화본으로 제공됩니다 "
        "(`python -m engine.race`). 설정이 같으면 한 번의 실행을 함께 봅니다."),
    "bp_race_step": "학습 단계",
    "bp_race_chance": "우연 수준: 잊어버린 모델",
    "bp_race_diverged": "{step}단계에서 발산",
    "bp_race_before": "(클리핑 전)",
    "bp_race_after": "(클리핑 후)",
    "bp_race_fired": "클리핑 작동",
    "bp_race_threshold": "임계값 {clip:g}",
    "bp_race_heat_empty": "경주를 측정하는 대로 (몇 단계마다) 히트맵이 채워집니다.",
    "bp_race_loss_fig": "학습 손실 (네 모델 모두 같은 데이터와 시드)",
    "bp_race_grad_fig": "학습 단계별 전체 기울기 노름",
    "bp_race_heat_fig": "{racer}: 학습하면서 t에 따른 log<sub>10</sub> ||dL/dh_t||",
    "bp_racer_rnn": "RNN",
    "bp_racer_rnn_clip": "RNN + 클리핑",
    "bp_racer_lstm": "LSTM",
    "bp_racer_gru": "GRU",
    "bp_race_source_replay": "녹화된 경주",
    "bp_race_source_live": "직접 돌린 경주",
    "bp_race_head": (
        "**{source}**: {task}, 지연 T = {lag}, 은닉 크기 {hidden}, {steps}, 옵티마이저 "
        "{opt}, 시드 {seed}."),
    "bp_race_biases": (
        "**시작할 때의 게이트 편향** (b_ih + b_hh, 모든 유닛): LSTM 망각 게이트 {f}, 입력 "
        "게이트 {i}; GRU 업데이트 게이트 {z}; 기본 RNN 둘은 PyTorch의 기본 편향을 그대로 "
        "씁니다. PyTorch 기본값은 b_ih와 b_hh를 각각 ±1/√H = ±{u} (H = {H}) 범위에서 균등하게 "
        "뽑으므로, 그런 게이트는 σ(0) = 1/2 근처에서 시작합니다."),
    "bp_race_biases_tuned": (
        "따라서 이 LSTM과 GRU는 기본 설정의 `nn.LSTM` / `nn.GRU`와 **다르게** 시작하며, 아래 "
        "결과는 이 편향에서 얻은 것입니다 (직접 돌리는 경주에서는 PyTorch 기본값도 고를 수 "
        "있습니다)."),
    "bp_race_biases_label": "LSTM과 GRU의 게이트 편향",
    "bp_biases_tuned": (f"조정한 값, 녹화본과 같음 (망각·업데이트 게이트 {_R.gate_bias:g}, "
                        f"LSTM 입력 게이트 {_MINUS_INPUT})"),
    "bp_biases_pytorch": "PyTorch 기본값 (nn.LSTM / nn.GRU가 만드는 그대로)",
    "bp_clip_adam": (
        "**여기서 클리핑이 거의 도움이 되지 않는 이유:** 네 모델 모두 Adam(학습률 {lr})으로 "
        "학습합니다. Adam은 이미 매개변수마다 업데이트를 그 기울기 크기의 이동 추정치로 나누므로, "
        "기울기가 폭발해도 업데이트는 거의 커지지 않습니다. 클리핑이 바꾸는 것은 적고, 오히려 "
        "학습을 늦출 수 있습니다. 클리핑은 {n}단계 중 {fired}단계에서 작동했습니다. 학습에 쓰지 "
        "않은 시퀀스에서의 정확도: 클리핑한 RNN {acc_clip}, 클리핑 없는 RNN {acc_rnn}"
        "{chance_acc}."),
    "bp_clip_adam_worse": "이 경주에서는 클리핑한 RNN이 오히려 더 나쁘게 끝났습니다.",
    "bp_clip_sgd": (
        "**여기서 클리핑이 한 일:** 네 모델 모두 SGD(학습률 {lr}, 모멘텀 {momentum})로 "
        "학습합니다. SGD의 업데이트는 lr · g(모멘텀이 있으면 기울기의 누적 합에 lr을 곱한 것)"
        "이므로 업데이트의 크기가 기울기의 크기를 따르고, 클리핑이 그 크기를 제한합니다. "
        "클리핑은 {n}단계 중 {fired}단계에서 작동했습니다. 학습에 "
        "쓰지 않은 시퀀스에서의 정확도: 클리핑한 RNN {acc_clip}, 클리핑 없는 RNN {acc_rnn}"
        "{chance_acc}."),
    "bp_clip_sgd_spike": (
        "{step}단계에서 클리핑 없는 RNN의 기울기 노름이 {norm}까지 튀었습니다 (그 전에는 많아야 "
        "{prev}). 학습 손실의 중앙값: 그 업데이트 전 {before}, 그 뒤 {after} (시작을 잊은 모델의 "
        "손실은 {chance_name} = {chance}). 클리핑은 그 한 번의 거대한 업데이트를 막았습니다. "
        "노름이 {clip}보다 큰 다른 모든 기울기처럼 그 기울기도 노름 {clip}에 맞춰 줄였습니다. "
        "하지만 RNN이 "
        "지연을 배우게 하지는 **못했습니다**. 클리핑한 RNN의 최종 정확도: {acc_clip}; "
        "학습 손실의 중앙값: {c_med} (우연 수준의 {c_x}배)."),
    "bp_clip_chance_acc": " (우연 수준: {chance})",
    "bp_race_row": "- **{racer}**: 학습에 쓰지 않은 시퀀스에서 정확도 {acc}{div}",
    "bp_race_row_live": "- **{racer}**: 마지막 배치에서 정확도 {acc}{div}",
    "bp_race_row_div": (
        "; **{step}단계에서 발산**: 기울기 노름이 {norm}에 이르렀고, 그다음 숫자들은 inf나 "
        "NaN이었습니다. 그 모델은 거기서 깔끔하게 멈추었고, 나머지는 계속 달렸습니다"),
    "bp_race_chance_line": "우연 수준: {chance}. ",
    "bp_race_running": "경주 중: {total}단계 중 {step}단계.",
    "bp_race_cancelled": "직접 돌리던 경주를 {step}단계에서 취소했습니다.",
    "bp_race_already_done": "직접 돌린 경주는 이미 끝났습니다 ({total}단계 중 {step}단계). "
                            "취소할 것이 없습니다.",
    "bp_race_none": "직접 돌리는 경주가 없습니다.",
    "lag": "지연 T",
    "clip": "클리핑 임계값",
    "steps": "학습 단계 수",
    "task": "과제",
    "replay": "녹화된 경주",
    "racer": "히트맵으로 볼 모델",
    "forget_default": "PyTorch의 무작위 망각 게이트 편향",
    "update_default": "PyTorch의 무작위 업데이트 게이트 편향",
    "biases": "LSTM과 GRU의 게이트 편향",
}

# The recorded races' names in the dropdown, in both languages; a race remade under a new name
# falls back to its index's one-line description until it gets its own label here.
REPLAY_LABELS = {
    "first_symbol_lag60": ("The default race: remember the first symbol, lag 60 (Adam)",
                           "기본 경주: 첫 기호 기억하기, 지연 60 (Adam)"),
    "first_symbol_lag100": ("A longer lag: 100 steps back (Adam)",
                            "더 긴 지연: 100단계 전 (Adam)"),
    "sgd_lag40": ("Plain SGD with momentum, lag 40: the unclipped RNN's loss spikes",
                  "모멘텀 SGD, 지연 40: 클리핑 없는 RNN의 손실이 치솟습니다"),
}
for _entry in replays():
    _en, _ko = REPLAY_LABELS.get(_entry["name"], (_entry["description"],) * 2)
    EN[f"bp_replay_{_entry['name']}"], KO[f"bp_replay_{_entry['name']}"] = _en, _ko

register(EN, KO)
