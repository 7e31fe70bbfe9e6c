"""The Seq2seq vs attention tab's strings, in English and Korean (registered with
``playground.i18n``)."""

from __future__ import annotations

from ...i18n import register

EN: dict[str, str] = {
    "tab_seq2seq": "Seq2seq vs attention",
    "s2s_intro": (
        "## Seq2seq: one context vector, or attention over every encoder state\n"
        "*Seq2seq* names the task (a sequence in, a sequence out); an *encoder-decoder* is the "
        "architecture. In a plain encoder-decoder the decoder sees the input only through one "
        "**context vector**, the encoder's last state: a fixed number of floats, however long "
        "the input (Sutskever et al. 2014). Cho et al. (2014) found such models do well on "
        "short sentences and degrade quickly as sentences grow. **Attention** (Bahdanau et al. "
        "2014) lets the decoder look back at *every* encoder state at every output step.\n\n"
        "Below, two GRU encoder-decoders with the **same hidden size (64), the same data, the "
        "same seed and the same training budget** learn to reverse (or copy) strings of 5 to 20 "
        "digits; one has attention. Every curve is measured on fresh, held-out digit strings."),
    "s2s_task": "Task",
    "s2s_reverse": "Reverse (31415 → 51413)",
    "s2s_copy": "Copy (31415 → 31415)",
    "s2s_sort": "Sort (31415 → 11345)",
    "s2s_attention": "Attention of the second model",
    "s2s_additive": "Additive (Bahdanau)",
    "s2s_dot": "General (Luong), two-way encoder + bridge",
    "s2s_dot_plain": ("Luong: general score with a two-way encoder + bridge, dot score with a "
                      "one-way one"),
    "s2s_additive_bi": "Additive (Bahdanau), two-way encoder + bridge",
    "s2s_dot_one_way": "Dot (Luong), one-way encoder",
    "s2s_source": "Models shown",
    "s2s_shipped": "Shipped (pretrained)",
    "s2s_trained": "Trained by you (below)",
    "s2s_headline_note": (
        "**Left:** per-token accuracy of greedy decoding against the source length, 200 fresh "
        "strings per length. The shaded band is the range of lengths seen in training; to its "
        "right the models meet longer strings than they ever saw, up to 30 digits, the longest the "
        "page takes: the attention model falls there too, later and more slowly than the plain "
        "one. Attention moves the fall much further out; it does not remove it. This is the "
        "small-scale version of Bahdanau et al.'s Fig. 2. "
        "**Right:** accuracy at each output position, for sources of the longest trained "
        "length: where the plain decoder loses track."),
    "s2s_fig_len_title": "Accuracy against source length<br><sup>{task}: per-token, "
                         "greedy decoding, fresh strings</sup>",
    "s2s_fig_pos_title": "Accuracy along the output<br><sup>sources of {n} digits</sup>",
    "s2s_fig_len_x": "source length (digits)",
    "s2s_fig_pos_x": "output position",
    "s2s_fig_acc": "per-token accuracy (%)",
    "s2s_fig_trained": "trained lengths",
    "s2s_fig_chance": "chance (10%)",
    "s2s_plain": "no attention",
    "s2s_with": "with {kind}",
    "s2s_att_name": "{kind} attention",
    "s2s_kind_additive": "additive",
    "s2s_kind_dot": "dot",
    "s2s_kind_general": "general",
    "s2s_kind_bi": "{name} (two-way encoder + bridge)",
    "s2s_caption_shipped": (
        "Shipped models: {cell}, hidden size {hidden}, trained {steps} steps on lengths "
        "{lo}-{hi} (batch 64, Adam). Held-out per-token accuracy on the trained lengths: "
        "**{plain:.1f}%** without attention, **{att:.1f}%** with {kind}."),
    "s2s_caption_trained": (
        "Your models ({task}): {cell}, hidden size {hidden}, trained {steps} steps on lengths "
        "{lo}-{hi}, on identical batches. Held-out per-token accuracy on the trained lengths: "
        "**{plain:.1f}%** without attention, **{att:.1f}%** with {kind}."),
    "s2s_caption_far": (
        "Past the trained lengths both fall: at {n} digits (trained up to {hi}), **{plain:.0f}%** "
        "without attention, **{att:.0f}%** with it. Attention moves the fall much further out; "
        "it does not remove it."),
    "s2s_params": "**Parameters** (counted in the loaded models): {models}.",
    "s2s_params_one": "{model}: {n}",
    "s2s_general_note": (
        "The general model differs from the additive one in more than its score: its encoder "
        "reads both ways (h_j has 2H floats), a bridge s_0 = tanh(W_b [h_S(forward); "
        "h_1(backward)] + b_b) starts its decoder, and W_k maps each h_j to the decoder's size "
        "for the score s_t^T W_k h_j (Luong's *general* score; his *dot* score s_t · h_j has no "
        "matrix)."),
    "s2s_bottleneck_title": "## The bottleneck: one vector for all the digits",
    "s2s_bottleneck": (
        "Without attention, the decoder gets the source only through the encoder's last state: "
        "**H floats** for a source of any length. Is 64 too few for 20 digits? No: a digit is "
        "log2(10) ≈ 3.3 bits, and 64 real numbers could in principle hold far more than 20 of "
        "them. What fails is **learning** to squeeze the digits into one vector, and to read "
        "them back out in order, within the training budget. It is a learning bottleneck more "
        "than a capacity one. So a wider vector or more training narrows the gap, as the "
        "shipped plain models below show (same data and recipe, only the hidden size or the "
        "number of steps changes). Attention lets the decoder look back at every encoder state "
        "instead, which moves the fall much further out, though not away: past the trained "
        "lengths the attention model falls too."),
    "s2s_fig_widen_title": "Widening the context vector (plain reverse models)"
                           "<br><sup>per-token accuracy, fresh strings</sup>",
    "s2s_widen_line": "no attention, H = {h}",
    "s2s_longer_line": "no attention, H = {h}, {steps} steps",
    "s2s_att_line": "{kind}, H = {h}",
    "s2s_widen_row": "H = {h} ({p} parameters): **{reach}** ({acc:.0f}%)",
    "s2s_widen_summary": (
        "**How far it helps.** The longest source each model still gets ≥ 90% right per token "
        "(in brackets: its accuracy at {n} digits). Without attention: {rows}. Twice the "
        "training (H = {h}, {steps} steps, the same {longer_p} parameters): **{longer}** "
        "({longer_acc:.0f}%). With additive attention (H = {h}, {att_p} parameters): **{att}** "
        "({att_acc:.0f}%), and {att_far:.0f}% at {far} digits. A wider vector or more training "
        "pushes the fall to longer sources; attention pushes it much further out, but past the "
        "trained lengths it falls too."),
    "s2s_digits_unit": "{n} digits",
    "s2s_try_title": "## Attention at work: try your own digits",
    "s2s_digits": "Digits (0-9, up to 30)",
    "s2s_run": "Run both models",
    "s2s_step": "Output step t",
    "s2s_outputs_title": "### Both models' outputs, token by token",
    "s2s_row_src": "source",
    "s2s_row_target": "right answer",
    "s2s_row_plain": "no attention",
    "s2s_row_att": "with attention",
    "s2s_score": "{plain}/{n} right without attention, {att}/{n} with attention.",
    "s2s_beyond": "This input has {n} digits, more than the {hi} the models were trained on: "
                  "both may falter here.",
    "s2s_fig_heat_title": "Where the decoder looks: α<sub>tj</sub> (rows sum to 1)",
    "s2s_fig_heat_x": "source digit x_j (position j)",
    "s2s_fig_heat_y": "output step t (digit written)",
    "s2s_heat_note": (
        "Each row is one output step t, each column one source position j; the colour is the "
        "attention weight α_tj. For a reversal the bright cells run along the **anti-diagonal** "
        "(output 1 reads the last digit, output 2 the one before, ...); for a copy, along the "
        "diagonal. Nobody told the model this alignment: it learned it from the task. With a "
        "one-way encoder (the additive model here) the reversal's bright cells often sit one "
        "column right of the mirror: h_(j+1) was computed from x_j a step earlier and still "
        "holds it, so looking there works too. The general (Luong) model's encoder reads both "
        "ways, and its cells lie on the mirror itself."),
    "s2s_fig_step_title": "Output step t = {t}: scores e<sub>tj</sub> → weights α<sub>tj</sub>",
    "s2s_fig_states": "Encoder states h<sub>j</sub> and context "
                      "c<sub>t</sub> = Σ<sub>j</sub> α<sub>tj</sub> h<sub>j</sub>",
    "s2s_fig_probs": "Prediction<br><sup>softmax over the digits</sup>",
    "s2s_fig_unit": "unit",
    "s2s_step_additive": (
        "**Step t = {t}.** The decoder state before this step, s_(t-1), scores every encoder "
        "state: e_tj = v^T tanh(W s_(t-1) + U h_j). Softmax turns {scores} into weights "
        "α_tj that sum to 1; the largest, **{top:.2f}**, is on position **{j}** (digit "
        "**{d}**). The context c_t = Σ_j α_tj h_j is a weighted sum of the encoder states "
        "(the last column of the heat map){close}. The decoder reads "
        "[embedding of the previous digit; c_t] to get s_t, and the head reads [s_t; c_t]: it "
        "writes **{pred}** with probability {p:.2f}. The right digit is **{right}** {mark}."),
    "s2s_step_dot": (
        "**Step t = {t}.** The decoder first takes its step, s_t = {cell}(embedding of the "
        "previous digit, s_(t-1)); then s_t scores every encoder state {score}. Softmax turns "
        "{scores} into weights α_tj that sum to 1; the largest, **{top:.2f}**, is on "
        "position **{j}** (digit **{d}**). The context "
        "c_t = Σ_j α_tj h_j (last column of the heat map) is joined with the state: "
        "h~_t = tanh(W_c [s_t; c_t] + b_c), and the head reads h~_t: it writes **{pred}** with "
        "probability {p:.2f}. The right digit is **{right}** {mark}."),
    "s2s_score_dot": "by Luong's dot score: e_tj = s_t · h_j",
    "s2s_score_general": (
        "by Luong's general (bilinear) score: e_tj = s_t^T W_k h_j, where the learned W_k "
        "maps each two-way state h_j (2H floats) to the decoder's H"),
    "s2s_one_step": "(One digit: one output step, so there is no step to choose.)",
    "s2s_n_scores": "the {S} scores",
    "s2s_one_score": "the one score",
    "s2s_right": "(✓)",
    "s2s_wrong": "(✗)",
    "s2s_close": ", so it is close to h_{j}",
    "s2s_not_close": " (spread out: no single state dominates)",
    "s2s_train_title": "## Retrain both models",
    "s2s_train_note": (
        "Both models (without and with attention) train in the background as **one job**, on "
        "identical batches, the same initial seed and the same number of steps. When the job "
        "finishes, the figures above switch to your models. 1500 steps at hidden size 64 take "
        "about a minute."),
    "s2s_hidden": "Hidden size H",
    "s2s_min_len": "Shortest training string",
    "s2s_max_len": "Longest training string",
    "s2s_steps": "Training steps (each: a batch of 64)",
    "s2s_steps_info": "Fewer allowed with a larger hidden size or longer strings: a run ends "
                      "in a few minutes.",
    "s2s_bi": "The attention model's encoder reads both ways",
    "s2s_train": "Train both",
    "s2s_cancel": "Cancel",
    "s2s_job_running": "Training both models: step {step} of {total}. Loss without "
                       "attention {lp:.3f}, with attention {la:.3f}.",
    "s2s_job_done": "✓ Done: {plain:.1f}% per token without attention, {att:.1f}% with "
                    "attention (held-out, trained lengths). The figures above show your models.",
    "s2s_job_cancelled": "Training cancelled.",
    "s2s_fig_loss_title": "Training loss of both models<br><sup>cross-entropy per token, "
                          "same batches</sup>",
    "s2s_fig_loss_empty": "Both loss curves appear here once training starts.",
    "s2s_fig_loss_y": "loss (log scale)",
    "s2s_fig_loss_x": "training step",
    "s2s_closing_title": "## Where this led",
    "s2s_closing": (
        "Attention began as an add-on to an RNN encoder-decoder: the decoder keeps its "
        "recurrence and *looks back* at the encoder's states (Bahdanau et al. 2014; Luong et "
        "al. 2015 with the dot and general scores). Vaswani et al. (2017) then asked what "
        "happens if every position attends to every other one and the recurrence is dropped: "
        "**self-attention**, scaled dot products of learned projections, q_i · k_j with "
        "q_i = W_Q x_i and k_j = W_K x_j: a bilinear score like the general one above, "
        "computed for all positions at once. "
        "That is the **Transformer**, behind today's language models. The heat map you saw is "
        "the ancestor of the attention maps drawn for Transformers."),
    "s2s_err_empty": "The input is empty: type some digits, like 31415.",
    "s2s_err_digits": "The input may hold only the digits 0-9; it contains {bad}.",
    "s2s_err_long": "The input has {n} digits; at most {max}.",
    "s2s_err_type": "{name} has the wrong type (got {value}).",
    "s2s_err_no_model": "There is no shipped model for {task} with {kind}: pick "
                        "another, or train one below.",
    "s2s_err_not_trained": "You have no finished training run yet: press “Train both” below, "
                           "or show the shipped models.",
    "s2s_err_budget": "With hidden size {h} and strings of {lo} to {hi} digits, a run may "
                      "take at most {most} training steps, so that it ends in a few minutes on "
                      "the shared server (you asked for {steps}). Lower the steps, the hidden "
                      "size or the lengths.",
    "s2s_p_task": "Task",
    "s2s_p_attention": "Attention",
    "s2s_p_cell": "Cell",
    "s2s_p_hidden_size": "Hidden size",
    "s2s_p_min_len": "Shortest training string",
    "s2s_p_max_len": "Longest training string",
    "s2s_p_steps": "Training steps",
    "s2s_p_t": "Output step t",
    "s2s_p_source": "Models shown",
    "s2s_p_digits": "Digits",
    "s2s_p_bidirectional": "Two-way encoder",
}

KO: dict[str, str] = {
    "tab_seq2seq": "Seq2seq와 어텐션 (Seq2seq vs attention)",
    "s2s_intro": (
        "## Seq2seq: 문맥 벡터 하나냐, 모든 인코더 상태에 대한 어텐션이냐\n"
        "*Seq2seq*는 과제(시퀀스를 받아 시퀀스를 내놓기)의 이름이고, *인코더-디코더*는 구조의 "
        "이름입니다. 기본 인코더-디코더에서 디코더는 입력을 **문맥 벡터** 하나, 즉 인코더의 "
        "마지막 상태로만 봅니다. 입력이 아무리 길어도 정해진 개수의 실수입니다(Sutskever 외 "
        "2014). Cho 외(2014)는 이런 모델이 짧은 문장은 잘 다루지만 문장이 길어질수록 성능이 "
        "빠르게 떨어진다는 것을 보였습니다. **어텐션**(Bahdanau 외 2014)은 디코더가 출력 단계마다 "
        "인코더의 *모든* 상태를 다시 볼 수 있게 합니다.\n\n"
        "아래의 두 GRU 인코더-디코더는 **은닉 크기(64), 데이터, 시드, 학습 예산이 모두 같고** "
        "한쪽에만 어텐션이 있습니다. 둘 다 5~20자리 숫자열을 뒤집거나(또는 그대로 베끼도록) "
        "배웠습니다. 모든 곡선은 학습에 쓰지 않은 새 숫자열로 측정한 것입니다."),
    "s2s_task": "과제",
    "s2s_reverse": "뒤집기 (31415 → 51413)",
    "s2s_copy": "베끼기 (31415 → 31415)",
    "s2s_sort": "정렬 (31415 → 11345)",
    "s2s_attention": "두 번째 모델의 어텐션",
    "s2s_additive": "덧셈형 (Bahdanau)",
    "s2s_dot": "일반형 (Luong general), 양방향 인코더 + 브리지",
    "s2s_dot_plain": "Luong: 양방향 인코더 + 브리지면 일반형 점수, 한 방향 인코더면 내적 점수",
    "s2s_additive_bi": "덧셈형 (Bahdanau), 양방향 인코더 + 브리지",
    "s2s_dot_one_way": "내적형 (Luong), 한 방향 인코더",
    "s2s_source": "보여 줄 모델",
    "s2s_shipped": "제공된 모델 (사전 학습)",
    "s2s_trained": "직접 학습한 모델 (아래)",
    "s2s_headline_note": (
        "**왼쪽:** 입력 길이에 따른 탐욕적 디코딩의 토큰별 정확도입니다(길이마다 새 숫자열 200개). "
        "색칠된 띠는 학습 때 본 길이의 범위입니다. 그 오른쪽은 학습 때보다 긴 숫자열이며, "
        "이 페이지가 받는 가장 긴 30자리까지 그렸습니다. 거기서는 어텐션 모델도 "
        "떨어집니다. 다만 기본 모델보다 늦게, 더 천천히 떨어집니다. 어텐션은 무너지는 "
        "지점을 훨씬 멀리 옮길 뿐, 없애지는 않습니다. Bahdanau 외 논문 그림 2의 작은 규모 "
        "버전입니다. "
        "**오른쪽:** 학습한 가장 긴 길이의 입력에서 출력 위치별 정확도입니다. 기본 디코더가 어디서 "
        "갈피를 잃는지 보입니다."),
    "s2s_fig_len_title": "입력 길이에 따른 정확도<br><sup>{task}: 토큰별, 탐욕적 디코딩, "
                         "새 숫자열</sup>",
    "s2s_fig_pos_title": "출력 위치에 따른 정확도<br><sup>{n}자리 입력</sup>",
    "s2s_fig_len_x": "입력 길이 (자릿수)",
    "s2s_fig_pos_x": "출력 위치",
    "s2s_fig_acc": "토큰별 정확도 (%)",
    "s2s_fig_trained": "학습한 길이",
    "s2s_fig_chance": "우연 수준 (10%)",
    "s2s_plain": "어텐션 없음",
    "s2s_with": "{kind}",
    "s2s_att_name": "{kind} 어텐션",
    "s2s_kind_additive": "덧셈형",
    "s2s_kind_dot": "내적형",
    "s2s_kind_general": "일반형",
    "s2s_kind_bi": "{name} (양방향 인코더 + 브리지)",
    "s2s_caption_shipped": (
        "제공된 모델: {cell}, 은닉 크기 {hidden}, 길이 {lo}~{hi}에서 {steps}단계 학습(배치 64, "
        "Adam). 학습한 길이의 새 숫자열에서 토큰별 정확도: 어텐션 없이 **{plain:.1f}%**, "
        "{kind} 모델은 **{att:.1f}%**."),
    "s2s_caption_trained": (
        "직접 학습한 모델({task}): {cell}, 은닉 크기 {hidden}, 길이 {lo}~{hi}에서 같은 배치로 "
        "{steps}단계 학습. 학습한 길이의 새 숫자열에서 토큰별 정확도: 어텐션 없이 "
        "**{plain:.1f}%**, {kind} 모델은 **{att:.1f}%**."),
    "s2s_caption_far": (
        "학습한 길이를 넘어서면 둘 다 떨어집니다. {n}자리에서(학습은 {hi}자리까지) 정확도는 "
        "어텐션 없이 **{plain:.0f}%**, 어텐션 모델은 **{att:.0f}%**. 어텐션은 무너지는 지점을 "
        "훨씬 멀리 옮길 뿐, 없애지는 않습니다."),
    "s2s_params": "**매개변수 개수** (불러온 모델에서 센 값): {models}.",
    "s2s_params_one": "{model}: {n}",
    "s2s_general_note": (
        "일반형 모델은 점수 말고도 덧셈형 모델과 다른 점이 있습니다. 인코더가 양방향으로 "
        "읽고(h_j 하나에 실수 2H개), 브리지 s_0 = tanh(W_b [h_S(정방향); h_1(역방향)] + b_b)에서 "
        "디코더가 출발하며, 점수(s_t^T W_k h_j)를 위해 행렬 W_k이(가) 각 h_j을(를) 디코더 "
        "크기로 바꿉니다(Luong의 *일반형(general)* 점수. 그의 *내적(dot)* 점수 s_t · h_j에는 "
        "행렬이 없습니다)."),
    "s2s_bottleneck_title": "## 병목: 모든 숫자를 벡터 하나에",
    "s2s_bottleneck": (
        "어텐션이 없으면 디코더는 입력을 인코더의 마지막 상태로만 받습니다. 입력 길이와 "
        "상관없이 **실수 H개**입니다. 20자리에 64개는 모자랄까요? 아닙니다. 숫자 하나는 "
        "log2(10) ≈ 3.3비트이고, 실수 64개는 이론상 그보다 훨씬 많은 숫자를 담을 수 "
        "있습니다. 실패하는 것은 정해진 학습 "
        "예산 안에서 숫자들을 벡터 하나에 욱여넣고 다시 순서대로 꺼내는 법을 **배우는** 일입니다. "
        "용량의 병목이라기보다 학습의 병목입니다. 그래서 벡터를 넓히거나 더 오래 학습하면 격차가 "
        "줄어듭니다. 아래의 제공된 기본 모델들이 보여 줍니다(데이터와 학습 방법은 같고, 은닉 "
        "크기나 학습 단계 수만 다름). 어텐션은 욱여넣는 대신 디코더가 모든 인코더 상태를 "
        "되돌아보게 해서, 무너지는 지점을 훨씬 멀리 옮깁니다. 없애지는 못합니다. 학습한 길이를 "
        "넘어서면 어텐션 모델도 떨어집니다."),
    "s2s_fig_widen_title": "문맥 벡터 넓히기 (어텐션 없는 뒤집기 모델)"
                           "<br><sup>토큰별 정확도, 새 숫자열</sup>",
    "s2s_widen_line": "어텐션 없음, H = {h}",
    "s2s_longer_line": "어텐션 없음, H = {h}, {steps}단계",
    "s2s_att_line": "{kind}, H = {h}",
    "s2s_widen_row": "H = {h} (매개변수 {p}개): **{reach}** ({acc:.0f}%)",
    "s2s_widen_summary": (
        "**얼마나 도움이 되나.** 각 모델이 토큰별 90% 이상을 유지하는 가장 긴 입력 길이입니다"
        "(괄호 안은 {n}자리에서의 정확도). 어텐션 없이: {rows}. 두 배로 학습(H = {h}, "
        "{steps}단계, 매개변수는 같은 {longer_p}개): **{longer}** ({longer_acc:.0f}%). 덧셈형 "
        "어텐션(H = {h}, 매개변수 {att_p}개): **{att}** ({att_acc:.0f}%), {far}자리에서는 "
        "{att_far:.0f}%. 벡터를 넓히거나 더 오래 학습하면 무너지는 지점이 더 긴 입력 쪽으로 "
        "밀려납니다. 어텐션은 훨씬 더 멀리 밀어내지만, 학습한 길이를 넘어서면 어텐션 모델도 "
        "떨어집니다."),
    "s2s_digits_unit": "{n}자리",
    "s2s_try_title": "## 어텐션이 일하는 모습: 직접 숫자를 넣어 보세요",
    "s2s_digits": "숫자 (0-9, 최대 30자리)",
    "s2s_run": "두 모델 실행",
    "s2s_step": "출력 단계 t",
    "s2s_outputs_title": "### 두 모델의 출력, 토큰 하나씩",
    "s2s_row_src": "입력",
    "s2s_row_target": "정답",
    "s2s_row_plain": "어텐션 없음",
    "s2s_row_att": "어텐션 있음",
    "s2s_score": "어텐션 없이 {n}개 중 {plain}개, 어텐션으로 {n}개 중 {att}개 맞음.",
    "s2s_beyond": "이 입력은 {n}자리로, 모델이 학습한 최대 {hi}자리보다 깁니다. 두 모델 모두 "
                  "흔들릴 수 있습니다.",
    "s2s_fig_heat_title": "디코더가 보는 곳: α<sub>tj</sub> (각 행의 합은 1)",
    "s2s_fig_heat_x": "입력 숫자 x_j (위치 j)",
    "s2s_fig_heat_y": "출력 단계 t (쓴 숫자)",
    "s2s_heat_note": (
        "각 행은 출력 단계 t, 각 열은 입력 위치 j이고, 색은 어텐션 가중치 α_tj입니다. 뒤집기에서는 "
        "밝은 칸이 **반대 대각선**을 따라갑니다(출력 1은 마지막 숫자를, 출력 2는 그 앞 숫자를 "
        "읽음). 베끼기에서는 대각선을 따라갑니다. 이 정렬은 아무도 알려 주지 않았습니다. 모델이 "
        "과제에서 스스로 배운 것입니다. 한 방향 인코더(여기서는 덧셈형 모델)에서는 뒤집기의 밝은 "
        "칸이 거울 위치보다 한 칸 오른쪽에 있는 경우가 많습니다. 그 칸의 상태 h_(j+1)은(는) "
        "한 단계 전에 x_j을(를) 읽고 만들어져 아직 그 정보를 담고 있으므로, 그곳을 봐도 되기 "
        "때문입니다. 일반형(Luong) 모델의 인코더는 양방향으로 읽고, 그 밝은 칸은 정확히 거울 "
        "위치에 놓입니다."),
    "s2s_fig_step_title": "출력 단계 t = {t}: 점수 e<sub>tj</sub> → 가중치 α<sub>tj</sub>",
    "s2s_fig_states": "인코더 상태 h<sub>j</sub>와 문맥 벡터 "
                      "c<sub>t</sub> = Σ<sub>j</sub> α<sub>tj</sub> h<sub>j</sub>",
    "s2s_fig_probs": "예측<br><sup>숫자별 softmax</sup>",
    "s2s_fig_unit": "유닛",
    "s2s_step_additive": (
        "**단계 t = {t}.** 이 단계 직전의 디코더 상태(s_(t-1))가 모든 인코더 상태에 점수를 "
        "매깁니다: e_tj = v^T tanh(W s_(t-1) + U h_j). softmax가 {scores}를 합이 1인 가중치 "
        "α_tj로 바꿉니다. 가장 큰 가중치(**{top:.2f}**)는 위치 **{j}**(숫자 **{d}**)에 있습니다. "
        "문맥 벡터(c_t = Σ_j α_tj h_j)는 인코더 상태들의 가중합(히트맵의 마지막 열){close}. "
        "디코더는 [이전 숫자의 임베딩; c_t]을(를) 읽어 s_t을(를) 만들고, 출력층은 "
        "[s_t; c_t]을(를) 읽습니다. 쓰는 숫자는 **{pred}**(확률 {p:.2f}), "
        "정답은 **{right}**입니다 {mark}."),
    "s2s_step_dot": (
        "**단계 t = {t}.** 디코더가 먼저 한 단계를 진행합니다: s_t = {cell}(이전 숫자의 임베딩, "
        "s_(t-1)). 그다음 이 상태가 모든 인코더 상태에 점수를 매깁니다. {score}. "
        "softmax가 {scores}를 합이 1인 가중치 α_tj로 바꿉니다. 가장 큰 가중치(**{top:.2f}**)는 "
        "위치 **{j}**(숫자 **{d}**)에 있습니다. 상태 s_t와 문맥 벡터(c_t = Σ_j α_tj h_j, 히트맵의 "
        "마지막 열)를 합칩니다: h~_t = tanh(W_c [s_t; c_t] + b_c). 출력층은 h~_t을(를) 읽습니다. "
        "쓰는 숫자는 **{pred}**(확률 {p:.2f}), 정답은 **{right}**입니다 {mark}."),
    "s2s_score_dot": "Luong의 내적 점수입니다: e_tj = s_t · h_j",
    "s2s_score_general": (
        "Luong의 일반형(general, 쌍선형) 점수입니다: e_tj = s_t^T W_k h_j. 학습되는 행렬 "
        "W_k이(가) 양방향 상태(h_j 하나에 실수 2H개)를 디코더의 H개로 바꿉니다"),
    "s2s_one_step": "(한 자리 입력이라 출력 단계도 하나뿐이어서, 고를 단계가 없습니다.)",
    "s2s_n_scores": "점수 {S}개",
    "s2s_one_score": "점수 1개",
    "s2s_right": "(✓)",
    "s2s_wrong": "(✗)",
    "s2s_close": "이라 h_{j}에 가깝습니다",
    "s2s_not_close": "입니다 (어느 한 상태에 몰리지 않았습니다)",
    "s2s_train_title": "## 두 모델 다시 학습하기",
    "s2s_train_note": (
        "두 모델(어텐션 없음, 있음)이 **하나의 작업**으로 백그라운드에서 학습합니다. 같은 배치, "
        "같은 초기 시드, 같은 단계 수입니다. 작업이 끝나면 위의 그림들이 여러분의 모델로 "
        "바뀝니다. 은닉 크기 64로 1500단계면 1분쯤 걸립니다."),
    "s2s_hidden": "은닉 크기 H",
    "s2s_min_len": "가장 짧은 학습 숫자열",
    "s2s_max_len": "가장 긴 학습 숫자열",
    "s2s_steps": "학습 단계 수 (단계마다 배치 64)",
    "s2s_steps_info": "은닉 크기가 크거나 숫자열이 길면 허용 단계 수가 줄어듭니다. 한 번의 학습은 "
                      "몇 분 안에 끝납니다.",
    "s2s_bi": "어텐션 모델의 인코더가 양방향으로 읽기",
    "s2s_train": "둘 다 학습",
    "s2s_cancel": "취소",
    "s2s_job_running": "두 모델 학습 중: {total}단계 중 {step}단계. 손실: 어텐션 없이 {lp:.3f}, "
                       "어텐션으로 {la:.3f}.",
    "s2s_job_done": "✓ 완료: 토큰별 정확도 어텐션 없이 {plain:.1f}%, 어텐션으로 {att:.1f}% "
                    "(학습한 길이의 새 숫자열). 위의 그림들이 여러분의 모델을 보여 줍니다.",
    "s2s_job_cancelled": "학습을 취소했습니다.",
    "s2s_fig_loss_title": "두 모델의 학습 손실<br><sup>토큰별 교차 엔트로피, 같은 배치</sup>",
    "s2s_fig_loss_empty": "학습이 시작되면 두 손실 곡선이 여기에 나타납니다.",
    "s2s_fig_loss_y": "손실 (로그 눈금)",
    "s2s_fig_loss_x": "학습 단계",
    "s2s_closing_title": "## 그다음 이야기",
    "s2s_closing": (
        "어텐션은 RNN 인코더-디코더에 덧붙인 장치로 시작했습니다. 디코더는 순환을 유지한 채 "
        "인코더의 상태들을 *되돌아봅니다*(Bahdanau 외 2014, 내적 점수와 일반형 점수는 Luong 외 "
        "2015). 이어서 Vaswani 외(2017)는 순환을 없애고 모든 위치가 다른 모든 위치에 어텐션하면 "
        "어떨지 물었습니다. 이것이 **셀프 어텐션**으로, 학습된 사영의 (크기를 조정한) 내적 "
        "q_i · k_j(q_i = W_Q x_i, k_j = W_K x_j)입니다. 위의 일반형 점수 같은 쌍선형 점수를 모든 "
        "위치에 대해 한꺼번에 계산합니다. 그렇게 나온 것이 오늘날 언어 모델의 바탕인 "
        "**트랜스포머**입니다. 여기서 본 히트맵은 트랜스포머의 어텐션 지도의 조상입니다."),
    "s2s_err_empty": "입력이 비어 있습니다. 31415처럼 숫자를 입력하세요.",
    "s2s_err_digits": "입력에는 숫자 0-9만 쓸 수 있습니다. 다음 문자가 들어 있습니다: {bad}",
    "s2s_err_long": "입력이 {n}자리입니다. 최대 {max}자리까지 됩니다.",
    "s2s_err_type": "{name} 값의 형식이 올바르지 않습니다 (입력값: {value}).",
    "s2s_err_no_model": "{task} 과제에 {kind} 어텐션을 쓴 제공 모델은 없습니다. 다른 것을 "
                        "고르거나 아래에서 학습하세요.",
    "s2s_err_not_trained": "아직 끝난 학습이 없습니다. 아래의 ‘둘 다 학습’을 누르거나, 제공된 "
                           "모델을 보세요.",
    "s2s_err_budget": "은닉 크기 {h}, 길이 {lo}~{hi}자리의 숫자열로는 공유 서버에서 몇 분 안에 "
                      "끝나도록 학습 단계를 최대 {most}번까지 할 수 있습니다 (요청: {steps}번). "
                      "단계 수나 은닉 크기, 길이를 줄이세요.",
    "s2s_p_task": "과제",
    "s2s_p_attention": "어텐션",
    "s2s_p_cell": "셀",
    "s2s_p_hidden_size": "은닉 크기",
    "s2s_p_min_len": "가장 짧은 학습 숫자열",
    "s2s_p_max_len": "가장 긴 학습 숫자열",
    "s2s_p_steps": "학습 단계 수",
    "s2s_p_t": "출력 단계 t",
    "s2s_p_source": "보여 줄 모델",
    "s2s_p_digits": "숫자",
    "s2s_p_bidirectional": "양방향 인코더",
}

register(EN, KO)
