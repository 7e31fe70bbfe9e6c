"""Every visible string, in English and Korean.

Labels and static text go to the browser as ``gr.I18n`` keys (the browser's language picks, the
footer's Settings dialog switches). Text made by a handler (explanations with numbers, figure
titles, error messages) is rendered on the server with :func:`tr`, in the language the page
reports (see ``playground.app``).
"""

from __future__ import annotations

import gradio as gr

from . import i18n_bptt, i18n_seq2seq

EN: dict[str, str] = {
    "lang_code": "en",
    "title": "# Unrolled: how recurrent neural networks work",
    "subtitle": "Pick a topology, step through time, and see the real PyTorch module at work. "
                "Every number comes from a real model.",
    # -- Topologies tab
    "tab_topologies": "Topologies",
    "topology": "Topology",
    "one_to_one": "One-to-one",
    "one_to_many": "One-to-many",
    "many_to_one": "Many-to-one",
    "many_to_many": "Many-to-many (aligned)",
    "encoder_decoder": "Encoder-decoder",
    "cell": "Cell",
    "num_layers": "Layers (num_layers)",
    "dropout": "Dropout between layers",
    "bidirectional": "Bidirectional",
    "input_text": "Input",
    "run": "Run",
    "step": "Time step t",
    "play": "▶ Play",
    "pause": "■ Pause",
    "retrain": "Train these settings in the background",
    "cancel": "Cancel training",
    "train_steps": "Training steps",
    "seed": "Seed",
    "diagram": "Folded and unrolled",
    "hidden_states": "Hidden states h_t",
    "code": "The PyTorch code, and the shapes it gives",
    "code_title": "#### The PyTorch code, and the shapes it really gives",
    "loss_plot": "Training loss",
    "model_box": "The model",
    "explain_box": "What this topology is",
    # server-side strings
    "fig_folded": "folded",
    "fig_unrolled": "unrolled through time",
    "fig_input": "input x",
    "fig_hidden": "hidden h",
    "fig_output": "output y",
    "fig_context": "context",
    "fig_encoder": "encoder",
    "fig_decoder": "decoder",
    "fig_layer": "layer",
    "fig_forward": "forward",
    "fig_backward": "backward",
    "fig_dropout": "dropout p={p}",
    "fig_heat_title": "h_t of each unit at each step (t={t} outlined)",
    "fig_unit": "unit",
    "fig_time": "time step t",
    "fig_loss_title": "Loss while training<br><sup>cross-entropy per target token</sup>",
    "fig_train_step": "training step",
    "fig_loss": "loss",
    "fig_loss_empty": "The loss appears here,<br>step by step,<br>once training starts.",
    "job_starting": "Starting the training worker…",
    "ht_values": "**h_{i} at step t = {t}** ({where}): {values}",
    "model_shipped": "**Pretrained {cell}** ({hidden} hidden units, 1 layer), trained by this "
                     "project's own code for {steps} steps: **{acc:.1f}%** {metric} {on}.",
    "model_trained": "**Your model** ({cell}, {layers}, {hidden} hidden units{bi}), "
                     "trained here for {steps} steps: **{acc:.1f}%** {metric} {on}.",
    "eval_heldout": "on held-out examples",
    "eval_all": "on every possible input (all {n}; each of them is also seen in training, so "
                "nothing is held out)",
    "model_untrained": "**Untrained {cell}** with these settings ({layers}{bi}): its weights "
                       "are random (seed {seed}), so its answers are guesses. The shipped model "
                       "has 1 layer, one direction; to train this one, open **{train}** below.",
    "metric_token": "accuracy per output token",
    "metric_sequence": "of whole outputs exactly right (greedy decoding)",
    "bi_suffix": ", bidirectional",
    "result_line": "Input **{inp}** → model says **{pred}** · right answer **{truth}** {mark}",
    "right": "(✓ right)",
    "wrong": "(✗ wrong)",
    "job_queued": "Waiting in the queue: position {pos}. Training runs one job at a time so "
                  "that the page stays quick for everyone.",
    "job_wait": "It should start in about {wait} (from how long the last runs took).",
    "job_running": "Training: step {step} of {total}, loss {loss:.3f}{shared}",
    "job_shared": " (shared with {people} who asked for exactly these settings)",
    "n_people_one": "{n} other person",
    "n_people_many": "{n} other people",
    "n_layers_one": "{n} layer",
    "n_layers_many": "{n} layers",
    "n_symbols_one": "{n} symbol",
    "n_symbols_many": "{n} symbols",
    "n_steps_one": "{n} step",
    "n_steps_many": "{n} steps",
    "job_done": "✓ Trained: {acc:.1f}% {on}. The diagram now uses this model.",
    "job_cancelled": "Training cancelled.",
    "job_failed": "Training failed: {error}",
    "job_none": "No training running. The pretrained model is shown.",
    "code_comment_default": "batch_first=False (the default): x is (seq_len, batch, input_size)",
    "code_comment_bf": "batch_first=True: x is (batch, seq_len, input_size)",
    "code_hn_note": "(D * num_layers, batch, hidden_size), never batch-first",
    "code_head_one": "y = W_hy h_1 + b_y: one step, a plain network",
    "code_head_last": "y = W_hy h_T + b_y: only the last state is used",
    "code_head_every": "y_t = W_hy h_t + b_y at every step",
    "code_head_gen": "y_t = W_hy h_t + b_y; the next step reads y_t back as its input",
    "code_init_intro": "the input vector sets h_0; each step then reads the previous output",
    "code_init": "h_0 = tanh(W_c x + b_c), one slice of hidden_size per layer ({L})",
    "code_vector": "the input vector (a one-hot digit)",
    "code_bridge_intro": "a bidirectional encoder ends with {L2} states (2 directions x "
                         "{layers}); the decoder runs one way and takes {L}: a bridge joins them",
    "code_join": "({L2}, batch, H) -> ({L}, batch, H)",
    "code_join_view": "layer, direction, batch, H",
    "code_context": "the encoder's final state (the context vector) is the decoder's h_0",
    "code_y_in": "<start>, then each previous output, one-hot",
    "code_misreading": "A (3, 5, 4) tensor given to a module with the default batch_first=False "
                       "is read as 3 time steps of a batch of 5 sequences, not 3 sequences of 5 "
                       "steps.",
    # explanations, one per topology
    "explain_one_to_one": "**One-to-one**: one vector in, one vector out, such as classifying "
        "a single image. With one time step there is nothing to recur over: "
        "h = tanh(W_ih x + b_ih + W_hh h_0 + b_hh) with h_0 = 0 is a plain one-hidden-layer "
        "network. Task here: a digit in, the next digit out (9 → 0).",
    "explain_one_to_many": "**One-to-many**: one vector in, a sequence out, as in image "
        "captioning. The vector sets the first hidden state h_0 = tanh(W_c x + b_c); each later "
        "step reads the token it produced last (the dashed arrows), so the model is "
        "**autoregressive**, and that is why it cannot be bidirectional: it cannot read outputs "
        "it has not made yet. Task here: a digit d in, 'd d-1 … 1' out, ended by `<end>`.",
    "explain_many_to_one": "**Many-to-one**: a sequence in, one vector out, as in sentiment "
        "analysis. Every step updates h_t, but only the last state h_T feeds the output; the "
        "outputs at earlier steps are not used. Order matters: '()' and ')(' hold the same "
        "symbols and get different labels. Task here: is a string of brackets balanced?",
    "explain_many_to_many": "**Many-to-many, aligned**: one output per input step, as in "
        "labelling every frame of a video or forecasting the next value. One direction is "
        "**causal**: y_t depends only on x_1 … x_t, so it can answer as the input arrives. A "
        "bidirectional version also reads the sequence backwards and sees the future: more "
        "accurate for tagging, but no longer causal, so it must wait for the whole input. Task "
        "here: the largest digit so far, at every step.",
    "explain_encoder_decoder": "**Encoder-decoder**: a many-to-one encoder reads the whole input "
        "into its final state, the **context vector**; a one-to-many decoder starts from it and "
        "writes an output of its own length, reading its previous token each step and stopping at "
        "`<end>`. Everything the decoder knows about the input must pass through that one vector: "
        "the bottleneck that attention later eases (it moves the fall on long inputs much further "
        "out, without removing it). 'Seq2seq' names the task (sequence in, "
        "sequence out); 'encoder-decoder' names this architecture. The encoder may be "
        "bidirectional; the decoder, autoregressive, may not. Task here: collapse repeated digits "
        "('11223' → '123').",
    # -- Step through time tab
    "tab_step": "Step through time",
    "st_text": "Text (the model reads it and predicts each next character)",
    "st_hidden": "Hidden units (hidden_size)",
    "st_weights": "Weights",
    "w_pretrained": "Pretrained",
    "w_early": "Early (2 training steps)",
    "w_random": "Random (untrained)",
    "st_concat": "Concatenated form: W [h_{t-1}; x_t] + b",
    "st_train": "Train in the background",
    "st_pause": "Pause",
    "st_reset": "Reset",
    "st_temperature": "Sampling temperature T",
    "st_first": "Swap the first character for",
    "st_intro": "A character-level language model, the classic first RNN. It reads one character "
                "at a time and predicts the next: on **hello** it reads `h e l l` and should "
                "predict `e l l o`. Each character enters as a one-hot vector x_t, so "
                "W_ih x_t is simply **one column of W_ih**: the embedding of that character. "
                "At every step: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), "
                "y_t = W_hy h_t + b_y, p_t = softmax(y_t), L_t = −log p_t[target] (the "
                "cross-entropy of step t). Here tanh(x) = (e^x − e^−x) / (e^x + e^−x) = "
                "2σ(2x) − 1; the course notes' (1 − e^−x) / (1 + e^−x) is tanh(x/2), not tanh(x). "
                "The loss of the sequence is the **mean** of the L_t (PyTorch's default, and what "
                "training here minimises); the course notes use the **sum** L = Σ_t L_t, which is "
                "T times the mean. The plot under the step shows both.",
    "st_state_space": "**The state-space view.** Input u_t (here the character x_t), state "
                      "s_t = f(s_{t-1}, u_t) (here h_t), output y_t = g(s_t). The state is a "
                      "fixed-size, compressed summary of everything read so far. The same "
                      "W_ih, W_hh, b_ih, b_hh (and W_hy, b_y) are used at **every** step: "
                      "unrolling copies the network through time, not its weights.",
    "st_model_pretrained": "**{cell}**, {hidden} hidden units, trained on *{text}* by this "
                           "project's code for {steps} steps: next character right at "
                           "{acc:.0f}% of steps (reading the true text).",
    "st_model_early": "**{cell}** after only {steps} training steps: still guessing.",
    "st_model_random": "**{cell}** with random weights (seed {seed}): press *Train* to watch it "
                       "learn.",
    "st_model_trained": "**{cell}** trained here: step {step} of {total}, mean loss {loss:.4f}.",
    "st_no_pretrained": "Pretrained weights exist for *hello* with 4 hidden units; for other "
                        "settings the model starts from random weights.",
    "st_step": "**Step t = {t}**: reading **{x}** (x_{t} is one-hot, so W_ih x_{t} = "
               "W_ih[:, {k}], the column of **{x}**; columns are counted from 0, as in "
               "PyTorch). Target: **{target}**. Predicted: **{pred}** (p = {p:.2f}). "
               "L_{t} = −log p_{t}[{target}] = **{loss}**.",
    "st_step_last": "**Step t = {t}**: reading **{x}**, the last character: there is no next "
                    "character to predict, so no loss here. Predicted next: **{pred}**.",
    "st_gates_lstm": "LSTM at t = {t}: c_t = f ⊙ c_{{t-1}} + i ⊙ g, h_t = o ⊙ tanh(c_t). The "
                     "gates are ordered i, f, g, o in PyTorch's weights.",
    "st_gates_gru": "GRU at t = {t}: h_t = (1 − z) ⊙ n + z ⊙ h_{{t-1}}, with the candidate "
                    "n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{{t-1}} + b_hn)).",
    "st_tf_title": "#### Teacher forcing against generation",
    "st_tf": "**Teacher forcing** (how it is trained: each step reads the *true* previous "
             "character), taking the most likely character (argmax) at each step: reading "
             "`{inp}` it predicts `{tf}`.\n\n**Greedy generation** (how it is used: each step "
             "reads *its own* previous output), also taking the argmax: starting from `{start}` "
             "it writes `{greedy}`.",
    "st_tf_part": "Both take the argmax, so only what they read differs. At step {w} the model "
                  "predicted `{wrong}` where the text has `{right}`; from then on teacher forcing "
                  "reads the true `{right}` and generation reads its own `{wrong}`, and they part "
                  "at step {t}. One error can lead to the next.",
    "st_tf_same": "Here they agree at every step: reading its own outputs led the model to the "
                  "same characters as reading the true text.",
    "st_blur_title": "#### Forward blurring",
    "st_blur": "Change the first character and see how much every later h_t changes: the two "
               "runs read the same text after it, so the plot shows how far the first "
               "character's influence reaches. Whether it fades depends on the cell: the "
               "explanation under the plot follows the measured numbers.",
    "st_layers": "The equation above is layer 1's; each layer's h_t feeds the next layer as its "
                 "input, and the top one feeds the output. h_t of every layer at t = {t}:",
    "st_units_title": "#### Which characters make each unit fire",
    "st_units": "Every hidden unit's value at every character of the text (red +1, blue −1). "
                "On a longer text, some units come to track something readable: a vowel, the "
                "start of a word, being inside quotes (as Karpathy found in his character "
                "models). Try a sentence of your own and train it.",
    "fig_units_title": "h_t of every unit (rows) at every character (columns)",
    "st_course_title": "#### The course notes' example, run for real",
    "st_course": "`nn.RNN(input_size=4, hidden_size=2)` on \"hello\", \"eolll\", \"lleel\" "
                 "stacked as a (3, 5, 4) tensor. With the default `batch_first=False` it is read "
                 "as **3 time steps of a batch of 5 sequences**: position j of each word is one "
                 "sequence, so wherever the same letters meet the same history the output rows "
                 "repeat. With `batch_first=True` it is 3 sequences of 5 steps.",
    "fig_eq_title": "Step t = {t}: every term of the recurrence",
    "fig_concat_title": "Step t = {t}, concatenated: a_t = [W_hh  W_ih] [h_(t-1); x_t] + b",
    "fig_probs": "softmax p_t at t = {t} (target orange)",
    "fig_losses": "L_t at every step",
    "fig_mean_loss": "mean: L = (1/{T}) Σ L_t = {mean:.4g}",
    "fig_blur_title": "‖h_t − h′_t‖: the first character's influence, step by step",
    "fig_sum_loss": "sum: Σ L_t = {total:.4g} (the course notes' L)",
    "st_sample": "**Sampling** is another way to generate: each step draws its character from "
                 "softmax(y_t / T) at temperature T = {temp} (random seed {seed}) and reads it "
                 "next. From `{start}` it writes `{sampled}`.",
    "st_sample_part": "It leaves greedy generation at step {t} by chance, not by a mistake of "
                      "the model: unless T is near 0, sampling now and then draws a less likely "
                      "character, even from a well-trained model. Compare it with greedy "
                      "generation, not with teacher forcing; as T goes to 0 it becomes greedy.",
    "st_sample_same": "Here every draw matched greedy's choice; at a higher temperature less "
                      "likely characters are drawn more often.",
    "st_temp_empty": "The temperature is empty: type a number from {low} to {high} (near 0, "
                     "sampling is greedy; at 1 it draws from the model's own probabilities).",
    "st_blur_values": "Measured ‖h_t − h′_t‖ at t = 1 … {T}: {values}.",
    "st_blur_fades": "It shrinks at every step, to {pct} of its start at the last one: here the "
                     "first character's influence fades.",
    "st_blur_shrinks": "It ends smaller than it started ({pct} of its start), but not at every "
                       "step: it grows again at step {steps}.",
    "st_blur_grows": "It does not fade: at the last step it is {pct} of its start, and it grows "
                     "at step {steps}.",
    "st_blur_layers": "With {layers} layers the plot follows the top one, whose inputs (the h_t "
                      "of the layer below) differ too, so there the difference also arrives "
                      "from below.",
    "st_blur_same": "The first character is the same in both runs: there is no difference to "
                    "follow. Pick another one.",
    "st_blur_rnn": "**Plain RNN.** The later inputs are the same, so the difference passes from "
                   "step to step only through h_{t-1}: `a_t − a′_t = W_hh (h_{t-1} − h′_{t-1})`, "
                   "then tanh. To first order, every step multiplies it by the step Jacobian "
                   "dh_t/dh_{t-1} = diag(tanh′(a_t)) W_hh, the same product that carries "
                   "gradients backwards in time: where the product shrinks the difference, the "
                   "first character's influence fades forwards and its gradient vanishes "
                   "backwards.",
    "st_blur_lstm": "**LSTM.** The difference also lives in the cell state: c_t = f_t ⊙ c_{t-1} "
                    "+ i_t ⊙ g_t, h_t = o_t ⊙ tanh(c_t). Where the forget gate f_t is near 1, a "
                    "difference in c_{t-1} passes on almost whole; and the gates read h_{t-1}, so "
                    "the two runs' gates open differently and can keep the difference alive, or "
                    "make it grow again. It need not fade. Backwards, the same gates decide "
                    "whether the gradient survives (along the cell state the Jacobian is "
                    "diag(f_t)).",
    "st_blur_gru": "**GRU.** Each step keeps part of the old state: h_t = (1 − z_t) ⊙ n_t + "
                   "z_t ⊙ h_{t-1}. Where the update gate z_t is near 1, a difference in h_{t-1} "
                   "passes on almost whole; and the gates r_t, z_t read h_{t-1}, so the two runs' "
                   "gates differ and can keep the difference alive. It need not fade. Backwards, "
                   "the same update gate decides whether the gradient survives.",
    "st_job_running": "Training: step {step} of {total}, mean loss {loss:.4f}",
    "st_paused": "Paused after {steps}. *Train* goes on from these weights; *Reset* goes "
                 "back to the start.",
    # errors; a checked parameter's name in a message, where no label of the page names it
    "text": "Text",
    "t": "Time step t",
    "weights": "Weights",
    "concat": "Concatenated form",
    "temperature": "Sampling temperature",
    "first": "Character read in place of the first",
    "ticket": "Ticket",
    "n_values_one": "{n} value",
    "n_values_many": "{n} values",
    "err_arity": "{endpoint} takes {count}: {names}; got {got}.",
    "err_arity_none": "{endpoint} takes no values; got {got}.",
    "err_arity_state": "{endpoint} takes {count} in data: {names} (null in place of a "
                       "session's state); got {got}.",
    "err_kwargs": "{endpoint} has no parameter {bad}: its parameters are {names}.",
    "err_kwargs_missing": "{endpoint} needs a value for {missing}.",
    "err_endpoint": "There is no endpoint {endpoint}; the endpoints are {names}.",
    "err_range": "{name} must be between {low} and {high} (got {value}).",
    "err_equal": "{name} must be {low} (got {value}).",
    "err_type": "{name} must be {expected} (got {value}).",
    "err_empty": "The input is empty: type some of {vocab}.",
    "err_vocab": "{bad} cannot be read by this task: use only {vocab}.",
    "err_length": "The input has {count}; this task takes {low} to {high}.",
    "err_length_exact": "The input has {count}; this task takes exactly {need}.",
    "err_autoregressive": "A {topology} model is autoregressive (each step reads its previous "
                          "output), so it cannot be bidirectional.",
    "err_queue": "Too many training jobs are waiting right now; please try again in a minute.",
    "err_job": "That training job is no longer known (it may have expired); start it again.",
    "err_text_empty": "The text is empty: type a word or a sentence.",
    "err_text_short": "The text needs at least 2 characters: one to read, one to predict.",
    "err_text_long": "The text has {n} characters; at most {max} are allowed.",
    "err_text_vocab": "The text has {n} different characters; at most {max} are allowed.",
    "err_internal": "Something went wrong on the server: {error}",
    "err_unexpected": "Something went wrong on the server (it has been logged for the "
                      "developers); please try a different input.",
}

KO: dict[str, str] = {
    "lang_code": "ko",
    "title": "# Unrolled: 순환 신경망은 어떻게 동작할까",
    "subtitle": "구조를 고르고, 시간을 한 단계씩 따라가며, 실제 PyTorch 모듈이 일하는 모습을 "
                "보세요. 모든 숫자는 실제 모델에서 나옵니다.",
    "tab_topologies": "구조 (Topologies)",
    "topology": "구조",
    "one_to_one": "일대일 (one-to-one)",
    "one_to_many": "일대다 (one-to-many)",
    "many_to_one": "다대일 (many-to-one)",
    "many_to_many": "다대다, 정렬형 (many-to-many)",
    "encoder_decoder": "인코더-디코더 (encoder-decoder)",
    "cell": "셀",
    "num_layers": "층 수 (num_layers)",
    "dropout": "층 사이 드롭아웃",
    "bidirectional": "양방향 (bidirectional)",
    "input_text": "입력",
    "run": "실행",
    "step": "시간 단계 t",
    "play": "▶ 재생",
    "pause": "■ 일시정지",
    "retrain": "이 설정으로 백그라운드에서 학습",
    "cancel": "학습 취소",
    "train_steps": "학습 단계 수",
    "seed": "시드",
    "diagram": "접힌 모습과 펼친 모습",
    "hidden_states": "은닉 상태 h_t",
    "code": "PyTorch 코드와 그 텐서 모양",
    "code_title": "#### PyTorch 코드와, 실제로 실행해 얻은 텐서 모양",
    "loss_plot": "학습 손실",
    "model_box": "모델",
    "explain_box": "이 구조는 무엇인가",
    "fig_folded": "접힌 모습",
    "fig_unrolled": "시간에 따라 펼친 모습",
    "fig_input": "입력 x",
    "fig_hidden": "은닉 h",
    "fig_output": "출력 y",
    "fig_context": "문맥 벡터",
    "fig_encoder": "인코더",
    "fig_decoder": "디코더",
    "fig_layer": "층",
    "fig_forward": "정방향",
    "fig_backward": "역방향",
    "fig_dropout": "드롭아웃 p={p}",
    "fig_heat_title": "각 유닛의 단계별 h_t (t={t} 표시)",
    "fig_unit": "유닛",
    "fig_time": "시간 단계 t",
    "fig_loss_title": "학습 중 손실<br><sup>출력 토큰당 교차 엔트로피</sup>",
    "fig_train_step": "학습 단계",
    "fig_loss": "손실",
    "fig_loss_empty": "학습이 시작되면<br>여기에 손실이 단계별로<br>나타납니다.",
    "job_starting": "학습 작업을 시작하는 중…",
    "ht_values": "**t = {t} 단계의 h_{i}** ({where}): {values}",
    "model_shipped": "**사전 학습된 {cell}** (은닉 유닛 {hidden}개, 1층): 이 프로젝트의 학습 "
                     "코드로 {steps}단계 학습. {on} {metric} **{acc:.1f}%**.",
    "model_trained": "**직접 학습한 모델** ({cell}, {layers}, 은닉 유닛 {hidden}개{bi}): "
                     "여기서 {steps}단계 학습. {on} {metric} **{acc:.1f}%**.",
    "eval_heldout": "처음 보는 예제에서",
    "eval_all": "가능한 입력 {n}개 전부에서 (모두 학습 때도 본 입력이라 따로 떼어 둔 예제는 "
                "없음)",
    "model_untrained": "**학습되지 않은 {cell}** ({layers}{bi}): 가중치가 무작위(시드 {seed})"
                       "라서 답은 추측일 뿐입니다. 함께 제공되는 모델은 1층 단방향입니다. "
                       "이 설정을 학습시키려면 아래 **{train}**을 여세요.",
    "metric_token": "출력 토큰별 정확도",
    "metric_sequence": "출력 전체가 정확히 맞은 비율 (탐욕적 디코딩)",
    "bi_suffix": ", 양방향",
    "result_line": "입력 **{inp}** → 모델의 답 **{pred}** · 정답 **{truth}** {mark}",
    "right": "(✓ 정답)",
    "wrong": "(✗ 오답)",
    "job_queued": "대기열 {pos}번째. 모두에게 페이지가 빠르게 유지되도록 학습은 한 번에 "
                  "하나씩 실행됩니다.",
    "job_wait": "최근 학습들이 걸린 시간으로 보면 약 {wait} 뒤에 시작합니다.",
    "job_running": "학습 중: {total}단계 중 {step}단계, 손실 {loss:.3f}{shared}",
    "job_shared": " (같은 설정을 요청한 {people}과 함께 사용 중)",
    "n_people_one": "{n}명",
    "n_people_many": "{n}명",
    "n_layers_one": "{n}층",
    "n_layers_many": "{n}층",
    "n_symbols_one": "{n}개",
    "n_symbols_many": "{n}개",
    "n_steps_one": "{n}단계",
    "n_steps_many": "{n}단계",
    "job_done": "✓ 학습 완료: {on} {acc:.1f}%. 이제 그림이 이 모델을 사용합니다.",
    "job_cancelled": "학습이 취소되었습니다.",
    "job_failed": "학습 실패: {error}",
    "job_none": "진행 중인 학습이 없습니다. 사전 학습된 모델을 보여 줍니다.",
    "code_comment_default": "batch_first=False (기본값): x의 모양은 (seq_len, batch, input_size)",
    "code_comment_bf": "batch_first=True: x의 모양은 (batch, seq_len, input_size)",
    "code_hn_note": "(D * num_layers, batch, hidden_size), batch_first여도 batch가 먼저 오지 "
                    "않음",
    "code_head_one": "y = W_hy h_1 + b_y: 한 단계뿐인 평범한 신경망",
    "code_head_last": "y = W_hy h_T + b_y: 마지막 상태만 쓰임",
    "code_head_every": "y_t = W_hy h_t + b_y: 단계마다 출력",
    "code_head_gen": "y_t = W_hy h_t + b_y: 다음 단계가 y_t를 입력으로 다시 읽음",
    "code_init_intro": "입력 벡터가 h_0을 정하고, 이후 각 단계는 직전 출력을 읽음",
    "code_init": "h_0 = tanh(W_c x + b_c), 층마다 hidden_size 크기의 조각 하나 (층 수 {L})",
    "code_vector": "입력 벡터 (원-핫 숫자 하나)",
    "code_bridge_intro": "양방향 인코더는 상태 {L2}개(방향 2 x 층 {L})로 끝나고, 한 방향인 "
                         "디코더는 {L}개를 받으므로 브리지가 둘을 합침",
    "code_join": "({L2}, batch, H) -> ({L}, batch, H)",
    "code_join_view": "층, 방향, batch, H",
    "code_context": "인코더의 마지막 상태(문맥 벡터)가 디코더의 h_0",
    "code_y_in": "<start>, 그다음은 직전 출력들, 원-핫",
    "code_misreading": "기본값 batch_first=False인 모듈에 (3, 5, 4) 텐서를 주면, 5단계짜리 "
                       "시퀀스 3개가 아니라 시퀀스 5개짜리 배치의 3단계로 읽힙니다.",
    "explain_one_to_one": "**일대일**: 벡터 하나가 들어가 벡터 하나가 나옵니다 (예: 이미지 한 "
        "장 분류). 시간 단계가 하나뿐이라 되풀이할 것이 없습니다: h_0 = 0일 때 "
        "h = tanh(W_ih x + b_ih + W_hh h_0 + b_hh)는 은닉층 하나짜리 평범한 신경망입니다. "
        "여기서의 과제: 숫자 하나를 받아 다음 숫자를 냅니다 (9 → 0).",
    "explain_one_to_many": "**일대다**: 벡터 하나가 들어가 시퀀스가 나옵니다 (예: 이미지 캡션 "
        "생성). 벡터가 첫 은닉 상태 h_0 = tanh(W_c x + b_c)를 정하고, 그 뒤 각 단계는 "
        "직전에 자신이 낸 토큰을 읽습니다 (점선 화살표). 즉 **자기회귀** 모델이라 양방향이 될 "
        "수 없습니다: 아직 만들지 않은 출력을 읽을 수는 없으니까요. 여기서의 과제: 숫자 d를 "
        "받아 'd d-1 … 1'을 내고 `<end>`로 끝냅니다.",
    "explain_many_to_one": "**다대일**: 시퀀스가 들어가 벡터 하나가 나옵니다 (예: 감성 분석). "
        "매 단계 h_t가 갱신되지만 출력에는 마지막 상태 h_T만 쓰이고, 앞 단계의 출력은 쓰이지 "
        "않습니다. 순서가 중요합니다: '()'와 ')('는 같은 기호지만 답이 다릅니다. 여기서의 "
        "과제: 괄호 문자열이 균형이 맞는가?",
    "explain_many_to_many": "**다대다, 정렬형**: 입력 단계마다 출력이 하나씩 나옵니다 (예: "
        "동영상 프레임별 분류, 다음 값 예측). 단방향이면 **인과적**입니다: y_t는 x_1 … x_t에만 "
        "의존하므로 입력이 들어오는 대로 답할 수 있습니다. 양방향은 시퀀스를 거꾸로도 읽어 "
        "미래를 보므로 태깅에는 더 정확하지만 더는 인과적이지 않아 입력 전체를 기다려야 "
        "합니다. 여기서의 과제: 매 단계까지 본 숫자 중 가장 큰 값.",
    "explain_encoder_decoder": "**인코더-디코더**: 다대일 인코더가 입력 전체를 읽어 마지막 "
        "상태, 곧 **문맥 벡터**에 담고, 일대다 디코더가 그 벡터에서 출발해 자기만의 길이로 "
        "출력을 씁니다. 매 단계 직전 토큰을 읽고 `<end>`에서 멈춥니다. 디코더가 입력에 대해 아는 "
        "모든 것이 이 벡터 하나를 거쳐야 합니다: 나중에 어텐션이 크게 덜어 주는 병목입니다(긴 "
        "입력에서 무너지는 지점을 훨씬 멀리 옮길 뿐, 없애지는 않습니다). "
        "'Seq2seq'는 과제(시퀀스 입력, 시퀀스 출력)의 이름이고, '인코더-디코더'는 이 구조의 "
        "이름입니다. 인코더는 양방향일 수 있지만 자기회귀인 디코더는 그럴 수 없습니다. 여기서의 "
        "과제: 반복된 숫자를 하나로 줄이기 ('11223' → '123').",
    "tab_step": "시간 따라가기 (Step through time)",
    "st_text": "텍스트 (모델이 읽으며 다음 글자를 예측)",
    "st_hidden": "은닉 유닛 수 (hidden_size)",
    "st_weights": "가중치",
    "w_pretrained": "사전 학습됨",
    "w_early": "초기 (학습 2단계)",
    "w_random": "무작위 (학습 전)",
    "st_concat": "이어 붙인 형태: W [h_{t-1}; x_t] + b",
    "st_train": "백그라운드에서 학습",
    "st_pause": "일시정지",
    "st_reset": "초기화",
    "st_temperature": "샘플링 온도 T (temperature)",
    "st_first": "첫 글자를 이것으로 바꾸기",
    "st_intro": "글자 단위 언어 모델, 가장 고전적인 첫 RNN 예제입니다. 한 번에 한 글자씩 읽고 "
                "다음 글자를 예측합니다: **hello**에서 `h e l l`을 읽고 `e l l o`를 예측해야 "
                "합니다. 각 글자는 원-핫 벡터 x_t로 들어가므로 W_ih x_t는 그저 **W_ih의 한 열**, "
                "곧 그 글자의 임베딩입니다. 매 단계: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} "
                "+ b_hh), y_t = W_hy h_t + b_y, p_t = softmax(y_t), L_t = −log p_t[정답] "
                "(t 단계의 교차 엔트로피). 여기서 tanh(x) = (e^x − e^−x) / (e^x + e^−x) = "
                "2σ(2x) − 1입니다. 강의 노트의 (1 − e^−x) / (1 + e^−x)는 tanh(x)가 아니라 "
                "tanh(x/2)입니다. 시퀀스의 손실은 L_t들의 **평균**입니다 (PyTorch의 기본값이며, "
                "여기서 학습이 줄이는 값). 강의 노트는 **합**을 씁니다: L = Σ_t L_t, 곧 평균의 "
                "T배입니다. 단계 아래의 그림에 둘 다 나옵니다.",
    "st_state_space": "**상태 공간 관점.** 입력 u_t(여기서는 글자 x_t), 상태 "
                      "s_t = f(s_{t-1}, u_t)(여기서는 h_t), 출력 y_t = g(s_t). 상태는 지금까지 "
                      "읽은 모든 것을 고정된 크기로 압축한 요약입니다. 같은 W_ih, W_hh, b_ih, b_hh"
                      "(그리고 W_hy, b_y)가 **모든** 단계에서 쓰입니다: 펼치기는 신경망을 시간에 "
                      "따라 복사할 뿐 가중치를 복사하지 않습니다.",
    "st_model_pretrained": "**{cell}**, 은닉 유닛 {hidden}개, 이 프로젝트의 코드로 "
                           "*{text}*에 {steps}단계 학습: 실제 텍스트를 읽을 때 다음 글자를 "
                           "{acc:.0f}%의 단계에서 맞힙니다.",
    "st_model_early": "학습 {steps}단계만 거친 **{cell}**: 아직 추측하는 중입니다.",
    "st_model_random": "무작위 가중치(시드 {seed})의 **{cell}**: *학습*을 눌러 배우는 모습을 "
                       "보세요.",
    "st_model_trained": "여기서 학습 중인 **{cell}**: {total}단계 중 {step}단계, 평균 손실 "
                        "{loss:.4f}.",
    "st_no_pretrained": "사전 학습된 가중치는 *hello*, 은닉 유닛 4개에만 있습니다. 다른 설정은 "
                        "무작위 가중치에서 시작합니다.",
    "st_step": "**t = {t} 단계**: 읽는 글자 **{x}** (원-핫 입력이므로 W_ih x_{t} = "
               "W_ih[:, {k}], 곧 **{x}**의 열입니다. 열 번호는 PyTorch처럼 0부터 셉니다). "
               "정답: **{target}**. 예측: **{pred}** (p = {p:.2f}). "
               "L_{t} = −log p_{t}[{target}] = **{loss}**.",
    "st_step_last": "**t = {t} 단계**: 마지막 글자 읽기 (**{x}**). 예측할 다음 글자가 없으므로 "
                    "여기에는 손실이 없습니다. 다음 글자 예측: **{pred}**.",
    "st_gates_lstm": "t = {t}의 LSTM: c_t = f ⊙ c_{{t-1}} + i ⊙ g, h_t = o ⊙ tanh(c_t). "
                     "PyTorch 가중치에서 게이트 순서는 i, f, g, o입니다.",
    "st_gates_gru": "t = {t}의 GRU: h_t = (1 − z) ⊙ n + z ⊙ h_{{t-1}}, 후보 상태 "
                    "n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{{t-1}} + b_hn)).",
    "st_tf_title": "#### 교사 강요(teacher forcing)와 생성의 비교",
    "st_tf": "**교사 강요** (학습 방식: 매 단계 *실제* 이전 글자를 읽음), 매 단계 가장 확률이 "
             "높은 글자(argmax)를 고름: 읽은 텍스트 `{inp}` → 예측 `{tf}`.\n\n**탐욕적 생성** "
             "(사용 방식: 매 단계 *자신이 낸* 이전 출력을 읽음), 역시 argmax를 고름: 시작 글자 "
             "`{start}` → 생성 `{greedy}`.",
    "st_tf_part": "둘 다 argmax를 고르므로 다른 것은 읽는 글자뿐입니다. {w}단계에서 모델은 "
                  "텍스트의 `{right}` 자리에 `{wrong}`을(를) 예측했습니다. 그다음부터 교사 "
                  "강요는 실제 "
                  "`{right}`을(를), 생성은 자기가 낸 `{wrong}`을(를) 읽어 {t}단계에서 "
                  "갈라집니다. 한 번의 오류가 다음 오류로 이어질 수 있습니다.",
    "st_tf_same": "여기서는 모든 단계에서 둘이 같습니다: 자기 출력을 읽어도 실제 텍스트를 "
                  "읽을 때와 같은 글자를 냈습니다.",
    "st_blur_title": "#### 순방향 흐려짐 (forward blurring)",
    "st_blur": "첫 글자를 바꾸고 이후의 h_t가 얼마나 달라지는지 보세요. 두 실행은 그 뒤로 같은 "
               "텍스트를 읽으므로, 그림은 첫 글자의 영향이 어디까지 미치는지 보여 줍니다. 이 "
               "영향이 흐려지는지는 셀에 따라 다릅니다: 그림 아래 설명은 측정한 값을 따릅니다.",
    "st_layers": "위의 식은 1층의 것입니다. 각 층의 h_t는 다음 층의 입력이 되고, 맨 위 층이 "
                 "출력으로 이어집니다. t = {t}에서 각 층의 h_t:",
    "st_units_title": "#### 어떤 글자가 각 유닛을 켜는가",
    "st_units": "텍스트의 글자마다 각 은닉 유닛의 값입니다 (빨강 +1, 파랑 −1). 더 긴 텍스트에서는 "
                "일부 유닛이 읽을 수 있는 무언가를 따라가게 됩니다: 모음, 단어의 시작, 따옴표 안 "
                "(Karpathy가 글자 모델에서 발견한 것처럼). 직접 문장을 넣고 학습시켜 보세요.",
    "fig_units_title": "모든 유닛(행)의 글자별(열) h_t",
    "st_course_title": "#### 강의 노트의 예제를 실제로 실행",
    "st_course": "\"hello\", \"eolll\", \"lleel\"을 (3, 5, 4) 텐서로 쌓아 "
                 "`nn.RNN(input_size=4, hidden_size=2)`에 넣습니다. 기본값 `batch_first=False`"
                 "에서는 **시퀀스 5개짜리 배치의 3단계**로 읽힙니다: 각 단어의 j번째 글자들이 한 "
                 "시퀀스가 되므로, 같은 글자가 같은 이력을 만나는 곳마다 출력 행이 반복됩니다. "
                 "`batch_first=True`이면 5단계짜리 시퀀스 3개입니다.",
    "fig_eq_title": "t = {t} 단계: 순환식의 모든 항",
    "fig_concat_title": "t = {t} 단계, 이어 붙인 형태: a_t = [W_hh  W_ih] [h_(t-1); x_t] + b",
    "fig_probs": "t = {t}의 softmax p_t (정답은 주황)",
    "fig_losses": "각 단계의 L_t",
    "fig_mean_loss": "평균: L = (1/{T}) Σ L_t = {mean:.4g}",
    "fig_blur_title": "‖h_t − h′_t‖: 첫 글자의 영향, 단계별",
    "fig_sum_loss": "합: Σ L_t = {total:.4g} (강의 노트의 L)",
    "st_sample": "**샘플링**은 또 다른 생성 방식입니다: 매 단계 온도 T = {temp}에서 "
                 "softmax(y_t / T)에 따라 글자를 뽑고(난수 시드 {seed}) 다음 단계에서 그 글자를 "
                 "읽습니다. 시작 글자 `{start}` → 샘플링 결과 `{sampled}`.",
    "st_sample_part": "{t}단계에서 탐욕적 생성과 달라지는데, 이는 모델의 실수가 아니라 "
                      "우연입니다: T가 0에 가깝지 않으면, 모델이 옳을 때도 샘플링은 가끔 확률이 "
                      "낮은 글자를 뽑습니다. 그러니 샘플링은 교사 강요가 아니라 탐욕적 생성과 "
                      "비교하세요. T가 0으로 가면 샘플링은 탐욕적 생성이 됩니다.",
    "st_sample_same": "여기서는 뽑힌 글자가 모든 단계에서 탐욕적 생성의 선택과 같았습니다. "
                      "온도를 높이면 확률이 낮은 글자가 더 자주 뽑힙니다.",
    "st_temp_empty": "온도 칸이 비어 있습니다: {low}에서 {high} 사이의 숫자를 입력하세요 (0에 "
                     "가까우면 탐욕적 생성과 같고, 1이면 모델의 확률 그대로 뽑습니다).",
    "st_blur_values": "측정한 ‖h_t − h′_t‖ (t = 1 … {T}): {values}.",
    "st_blur_fades": "매 단계 줄어들어 마지막 단계에서는 처음의 {pct}입니다: 여기서는 첫 글자의 "
                     "영향이 흐려집니다.",
    "st_blur_shrinks": "처음보다 작게 끝나지만(처음의 {pct}) 매 단계 줄지는 않습니다: "
                       "{steps}단계에서 다시 커집니다.",
    "st_blur_grows": "흐려지지 않습니다: 마지막 단계에서 처음의 {pct}이고, {steps}단계에서 "
                     "커집니다.",
    "st_blur_layers": "층이 {layers}개이면 그림은 맨 위 층을 따릅니다. 그 층의 입력(아래 층의 "
                      "h_t)도 달라지므로, 거기서는 차이가 아래에서도 들어옵니다.",
    "st_blur_same": "두 실행의 첫 글자가 같아 따라갈 차이가 없습니다. 다른 글자를 고르세요.",
    "st_blur_rnn": "**기본 RNN.** 그 뒤의 입력은 같으므로, 차이가 다음 단계로 넘어가는 길은 이전 "
                   "상태 h_{t-1} 하나뿐입니다: `a_t − a′_t = W_hh (h_{t-1} − h′_{t-1})`, 그다음 "
                   "tanh. 1차 근사로 보면 매 단계 차이에 단계 야코비안(dh_t/dh_{t-1} = "
                   "diag(tanh′(a_t)) W_hh)을 곱하는 셈이며, 이는 기울기를 시간의 역방향으로 나르는 "
                   "바로 그 곱입니다: 이 곱이 차이를 줄이는 곳에서는 첫 글자의 영향이 순방향으로 "
                   "흐려지고, 그 기울기는 역방향으로 소실됩니다.",
    "st_blur_lstm": "**LSTM.** 차이는 셀 상태에도 남습니다: c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t, "
                    "h_t = o_t ⊙ tanh(c_t). 망각 게이트 f_t이(가) 1에 가까운 곳에서는 c_{t-1}의 "
                    "차이가 거의 그대로 넘어갑니다. 또 게이트들은 h_{t-1}을(를) 읽으므로 두 실행의 "
                    "게이트가 다르게 열리고, 차이를 살려 두거나 다시 키울 수도 있습니다. 그러니 "
                    "흐려지지 않을 수 있습니다. 역방향에서도 같은 게이트가 기울기가 살아남을지를 "
                    "정합니다 (셀 상태를 따라가는 야코비안은 diag(f_t)).",
    "st_blur_gru": "**GRU.** 매 단계 이전 상태의 일부를 그대로 남깁니다: h_t = (1 − z_t) ⊙ n_t + "
                   "z_t ⊙ h_{t-1}. 업데이트 게이트 z_t이(가) 1에 가까운 곳에서는 h_{t-1}의 차이가 "
                   "거의 그대로 넘어갑니다. 또 두 게이트(r_t, z_t)는 h_{t-1}을(를) 읽으므로 두 "
                   "실행의 게이트가 서로 달라 차이를 살려 둘 수 있습니다. 그러니 흐려지지 않을 수 "
                   "있습니다. 역방향에서도 같은 업데이트 게이트가 기울기가 살아남을지를 정합니다.",
    "st_job_running": "학습 중: {total}단계 중 {step}단계, 평균 손실 {loss:.4f}",
    "st_paused": "{steps} 뒤 일시정지했습니다. *학습*은 이 가중치에서 이어 가고, *초기화*는 "
                 "처음으로 돌아갑니다.",
    "text": "텍스트",
    "t": "시간 단계 t",
    "weights": "가중치",
    "concat": "이어 붙인 형태",
    "temperature": "샘플링 온도",
    "first": "첫 글자 대신 읽을 글자",
    "ticket": "작업 티켓",
    "n_values_one": "값 {n}개",
    "n_values_many": "값 {n}개",
    "err_arity": "{endpoint}에는 {count}({names})를 넘겨야 하는데 {got}개를 받았습니다.",
    "err_arity_none": "{endpoint}에는 값을 넘기지 않아야 하는데 {got}개를 받았습니다.",
    "err_arity_state": "{endpoint}에는 data에 {count}({names}; 세션 상태 자리는 null)를 "
                       "넘겨야 하는데 {got}개를 받았습니다.",
    "err_kwargs": "{endpoint}에는 {bad} 매개변수가 없습니다. 매개변수는 {names}입니다.",
    "err_kwargs_missing": "{endpoint}에는 {missing} 값이 필요합니다.",
    "err_endpoint": "{endpoint} 엔드포인트는 없습니다. 엔드포인트는 {names}입니다.",
    "err_range": "{name} 값은 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    "err_equal": "{name} 값으로는 {low}만 쓸 수 있습니다 (입력값: {value}).",
    "err_type": "{name} 값은 {expected}이어야 합니다 (입력값: {value}).",
    "err_empty": "입력이 비어 있습니다: {vocab} 중에서 입력하세요.",
    "err_vocab": "{bad}은(는) 이 과제가 읽을 수 없는 기호입니다: {vocab}만 쓰세요.",
    "err_length": "입력 기호가 {count}입니다. 이 과제는 {low}개에서 {high}개까지 받습니다.",
    "err_length_exact": "입력 기호가 {count}입니다. 이 과제는 정확히 {need}를 받습니다.",
    "err_autoregressive": "{topology} 모델은 자기회귀(각 단계가 직전 출력을 읽음)이므로 양방향이 "
                          "될 수 없습니다.",
    "err_queue": "지금은 대기 중인 학습이 너무 많습니다. 1분 뒤에 다시 시도하세요.",
    "err_job": "그 학습 작업을 더는 찾을 수 없습니다 (만료되었을 수 있음). 다시 시작하세요.",
    "err_text_empty": "텍스트가 비어 있습니다: 단어나 문장을 입력하세요.",
    "err_text_short": "텍스트는 적어도 2글자여야 합니다: 읽을 글자 하나, 예측할 글자 하나.",
    "err_text_long": "텍스트가 {n}글자입니다. 최대 {max}글자까지 됩니다.",
    "err_text_vocab": "텍스트에 서로 다른 글자가 {n}개 있습니다. 최대 {max}개까지 됩니다.",
    "err_internal": "서버에서 문제가 생겼습니다: {error}",
    "err_unexpected": "서버에서 문제가 생겼습니다 (개발자를 위해 서버 기록에 "
                      "남겼습니다). 다른 입력으로 다시 해 보세요.",
}

# Tabs added later keep their strings in a module of their own (``i18n_<tab>.py``, with ``EN``
# and ``KO`` dicts), so that work on one tab doesn't touch another's text.
for _tab in (i18n_bptt, i18n_seq2seq):
    _clash = (set(_tab.EN) | set(_tab.KO)) & set(EN)
    assert not _clash, f"{_tab.__name__} redefines {_clash}"
    EN.update(_tab.EN)
    KO.update(_tab.KO)

assert EN.keys() == KO.keys(), set(EN) ^ set(KO)

LANGS = {"en": EN, "ko": KO}
I18N = gr.I18n(en=EN, ko=KO)


def lang_of(value: object) -> str:
    """Normalise a language code from the page or the API ("ko-KR" -> "ko"); English otherwise."""
    return "ko" if isinstance(value, str) and value.lower().startswith("ko") else "en"


def tr(lang: str, key: str, **kw: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``kw``."""
    text = LANGS[lang_of(lang)][key]
    return text.format(**kw) if kw else text


def count(lang: str, key: str, n: int) -> str:
    """``n`` with its noun in the user's language: "1 symbol", "3 symbols", "3개".

    ``key`` names a pair of strings, ``key + "_one"`` and ``key + "_many"`` (e.g. "n_symbols").
    """
    return tr(lang, key + ("_one" if n == 1 else "_many"), n=n)
