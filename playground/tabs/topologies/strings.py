"""The Topologies tab's strings, in English and Korean (registered with ``playground.i18n``)."""

from __future__ import annotations

from ...i18n import register

EN: dict[str, str] = {
    "topology": "Topology",
    "one_to_one": "One-to-one",
    "many_to_one": "Many-to-one",
    "many_to_many": "Many-to-many (aligned)",
    "encoder_decoder": "Encoder-decoder",
    "dropout": "Dropout between layers",
    "input_text": "Input",
    "run": "Run",
    "retrain": "Train these settings in the background",
    "cancel": "Cancel training",
    "diagram": "Folded and unrolled",
    "hidden_states": "Hidden states h_t",
    "code": "The PyTorch code, and the shapes it gives",
    "code_title": "#### The PyTorch code, and the shapes it really gives",
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
    "fig_forward": "forward",
    "fig_backward": "backward",
    "fig_dropout": "dropout p={p}",
    "fig_time": "time step t",
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
    "wrong": "(✗ wrong)",
    "job_running": "Training: step {step} of {total}, loss {loss:.3f}{shared}",
    "job_shared": " (shared with {people} who asked for exactly these settings)",
    "n_people_one": "{n} other person",
    "n_people_many": "{n} other people",
    "n_layers_one": "{n} layer",
    "n_layers_many": "{n} layers",
    "job_done": "✓ Trained: {acc:.1f}% {on}. The diagram now uses this model.",
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
}

KO: dict[str, str] = {
    "topology": "구조",
    "one_to_one": "일대일 (one-to-one)",
    "many_to_one": "다대일 (many-to-one)",
    "many_to_many": "다대다, 정렬형 (many-to-many)",
    "encoder_decoder": "인코더-디코더 (encoder-decoder)",
    "dropout": "층 사이 드롭아웃",
    "input_text": "입력",
    "run": "실행",
    "retrain": "이 설정으로 백그라운드에서 학습",
    "cancel": "학습 취소",
    "diagram": "접힌 모습과 펼친 모습",
    "hidden_states": "은닉 상태 h_t",
    "code": "PyTorch 코드와 그 텐서 모양",
    "code_title": "#### PyTorch 코드와, 실제로 실행해 얻은 텐서 모양",
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
    "fig_forward": "정방향",
    "fig_backward": "역방향",
    "fig_dropout": "드롭아웃 p={p}",
    "fig_time": "시간 단계 t",
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
    "wrong": "(✗ 오답)",
    "job_running": "학습 중: {total}단계 중 {step}단계, 손실 {loss:.3f}{shared}",
    "job_shared": " (같은 설정을 요청한 {people}과 함께 사용 중)",
    "n_people_one": "{n}명",
    "n_people_many": "{n}명",
    "n_layers_one": "{n}층",
    "n_layers_many": "{n}층",
    "job_done": "✓ 학습 완료: {on} {acc:.1f}%. 이제 그림이 이 모델을 사용합니다.",
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
}

register(EN, KO)
