"""The Step-through-time tab's strings, in English and Korean (registered with
``playground.i18n``)."""

from __future__ import annotations

from ...i18n import register

EN: dict[str, str] = {
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
}

KO: dict[str, str] = {
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
}

register(EN, KO)
