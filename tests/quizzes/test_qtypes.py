"""The question-type registry: presentation, responses, grading, feedback, validation,
the JSON shape, and that nothing secret reaches the learner's browser."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from lms.quizzes.gift import parse_gift
from lms.quizzes.qtypes import (
    QUESTION_TYPES, InvalidResponse, ParsedQuestion, parse_file, to_json_dict,
)

DATA = Path(__file__).parent / "data"
ALL_SAMPLES = sorted(DATA.glob("*.gift")) + sorted((DATA / "aiken").glob("*.txt"))


def question(text: str) -> ParsedQuestion:
    (parsed,) = parse_gift(text)
    return parsed


def attempt(parsed: ParsedQuestion, seed: int = 7, shuffle: bool = True):
    """Prepare an attempt as the quiz engine would: (type, data, presentation)."""
    qtype = QUESTION_TYPES[parsed.type]
    presentation = qtype.prepare(parsed.data, random.Random(seed), shuffle)
    return qtype, parsed.data, json.loads(json.dumps(presentation))


def answer(parsed: ParsedQuestion, values: list[str], seed: int = 7):
    """Submit ``values`` and return (grade, feedback)."""
    qtype, data, presentation = attempt(parsed, seed)
    response = json.loads(json.dumps(qtype.parse_response(data, presentation, values)))
    return qtype.grade(data, response), qtype.feedback(data, response)


def key_of(parsed: ParsedQuestion, text: str, seed: int = 7, field: str = "options") -> str:
    """The opaque key under which the browser shows the option with ``text``."""
    qtype, data, presentation = attempt(parsed, seed)
    options = qtype.public(data, presentation)[field]
    return next(option["key"] for option in options if option["text"] == text)


COLOURS = question("::Q2::Màu nào nằm giữa da cam và xanh lá?{=vàng#Giỏi lắm! "
                   "~%-50%đỏ#Sai, đó là màu vàng. ~xanh lam ~%50%vàng nhạt#Gần đúng.}")
BROWSERS = question("::B::Đâu là trình duyệt web?{~%50%Firefox#Đúng ~%50%Chrome#Đúng "
                    "~%-100%Word#Word là trình soạn thảo ~Excel}")


# The registry --------------------------------------------------------------------------


def test_registry_holds_the_seven_types_with_vietnamese_labels():
    assert {name: qtype.label for name, qtype in QUESTION_TYPES.items()} == {
        "multichoice": "Nhiều lựa chọn", "truefalse": "Đúng/Sai",
        "shortanswer": "Trả lời ngắn", "matching": "Ghép đôi", "numerical": "Số",
        "essay": "Tự luận", "description": "Mô tả",
    }
    assert all(name == qtype.name for name, qtype in QUESTION_TYPES.items())


def test_graded_flags():
    flags = {name: (q.graded, q.auto_graded) for name, q in QUESTION_TYPES.items()}
    assert flags.pop("description") == (False, False)
    assert flags.pop("essay") == (True, False)
    assert set(flags.values()) == {(True, True)}


# Multiple choice -----------------------------------------------------------------------


def test_choices_are_shown_in_a_frozen_shuffled_order_with_position_keys():
    qtype, data, presentation = attempt(COLOURS, seed=3)
    assert sorted(presentation["order"]) == [0, 1, 2, 3]
    assert presentation == attempt(COLOURS, seed=3)[2]
    public = qtype.public(data, presentation)
    assert public["single"] is True
    assert [o["key"] for o in public["options"]] == ["0", "1", "2", "3"]
    assert [o["text"] for o in public["options"]] == [
        data["answers"][i]["text"] for i in presentation["order"]]
    shuffled = {tuple(attempt(COLOURS, seed=seed)[2]["order"]) for seed in range(20)}
    assert len(shuffled) > 1


def test_without_shuffle_the_file_order_is_kept():
    assert attempt(COLOURS, shuffle=False)[2] == {"order": [0, 1, 2, 3]}


def test_single_choice_grades_with_the_chosen_fraction():
    assert answer(COLOURS, [key_of(COLOURS, "vàng")]) == (1.0, ["Giỏi lắm!"])
    assert answer(COLOURS, [key_of(COLOURS, "vàng nhạt")]) == (0.5, ["Gần đúng."])
    assert answer(COLOURS, [key_of(COLOURS, "xanh lam")]) == (0.0, [])
    # A negative fraction never takes the grade below zero.
    assert answer(COLOURS, [key_of(COLOURS, "đỏ")]) == (0.0, ["Sai, đó là màu vàng."])


def test_multiple_answers_add_their_weights_and_clamp_at_zero():
    firefox, chrome, word = (key_of(BROWSERS, t) for t in ("Firefox", "Chrome", "Word"))
    assert answer(BROWSERS, [firefox, chrome]) == (1.0, ["Đúng", "Đúng"])
    assert answer(BROWSERS, [firefox])[0] == 0.5
    assert answer(BROWSERS, [firefox, chrome, word])[0] == 0.0
    assert answer(BROWSERS, [word])[0] == 0.0


def test_an_empty_submission_is_no_answer():
    qtype, data, presentation = attempt(COLOURS)
    assert qtype.parse_response(data, presentation, []) is None
    assert qtype.parse_response(data, presentation, [""]) is None
    assert (qtype.grade(data, None), qtype.feedback(data, None)) == (0.0, [])


@pytest.mark.parametrize("values", [["4"], ["-1"], ["01"], ["1.0"], ["x"], ["0", "1"]])
def test_malformed_single_choices_are_refused(values):
    qtype, data, presentation = attempt(COLOURS)
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, values)


def test_a_choice_sent_twice_is_refused():
    qtype, data, presentation = attempt(BROWSERS)
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, ["1", "1"])


def test_responses_store_original_indices_and_form_values_give_keys_back():
    qtype, data, presentation = attempt(BROWSERS, seed=11)
    values = sorted([key_of(BROWSERS, "Chrome", 11), key_of(BROWSERS, "Word", 11)])
    response = qtype.parse_response(data, presentation, values)
    assert response == [1, 2]
    assert sorted(qtype.form_values(data, presentation, response)) == values


def test_right_answer_text_for_choices():
    qtype = QUESTION_TYPES["multichoice"]
    assert qtype.right_answer_text(COLOURS.data) == "vàng"
    assert qtype.right_answer_text(BROWSERS.data) == "Firefox; Chrome"


# True/false ----------------------------------------------------------------------------


def test_true_false_grading_and_moodles_two_feedbacks():
    statement = question("Hà Nội là thành phố đông dân nhất Việt Nam.{FALSE#Sai rồi.#Chính xác!}")
    assert answer(statement, ["false"]) == (1.0, ["Chính xác!"])
    assert answer(statement, ["true"]) == (0.0, ["Sai rồi."])
    assert answer(statement, []) == (0.0, [])
    qtype, data, presentation = attempt(statement)
    assert qtype.public(data, presentation) == {"options": [
        {"key": "true", "text": "Đúng"}, {"key": "false", "text": "Sai"}]}
    assert qtype.right_answer_text(data) == "Sai"
    assert qtype.form_values(data, presentation, False) == ["false"]
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, ["TRUE"])
    shape = to_json_dict(statement)
    assert (shape["true_feedback"], shape["false_feedback"]) == ("Sai rồi.", "Chính xác!")
    assert (shape["feedback_wrong"], shape["feedback_right"]) == ("Sai rồi.", "Chính xác!")


# Short answer --------------------------------------------------------------------------


PROVINCE = question("Bác Hồ sinh ra ở tỉnh {=Nghệ An#Chính xác! =%50%Xứ Nghệ#Gần đúng. "
                    "=%25%Hà *#Tỉnh bên cạnh? =%0%*#Chưa đúng.}")


@pytest.mark.parametrize("typed, grade, feedback", [
    ("Nghệ An", 1.0, ["Chính xác!"]),
    ("  nghệ   AN ", 1.0, ["Chính xác!"]),
    ("Nghê An", 0.0, ["Chưa đúng."]),
    ("Nghe An", 0.0, ["Chưa đúng."]),
    ("xứ nghệ", 0.5, ["Gần đúng."]),
    ("Hà Tĩnh", 0.25, ["Tỉnh bên cạnh?"]),
    ("Hà", 0.0, ["Chưa đúng."]),
])
def test_short_answers_ignore_case_and_spaces_and_take_the_best_match(typed, grade, feedback):
    assert answer(PROVINCE, [typed]) == (grade, feedback)


def test_short_answers_can_ignore_diacritics():
    lenient = ParsedQuestion("shortanswer", "n", "t", data=PROVINCE.data | {
        "ignore_diacritics": True})
    assert answer(lenient, ["nghe an"])[0] == 1.0
    assert answer(lenient, ["NGHÊ ÁN"])[0] == 1.0
    assert answer(lenient, ["Ha Tinh"])[0] == 0.25
    ascii_d = ParsedQuestion("shortanswer", "n", "t", data={"ignore_diacritics": True, "answers": [
        {"text": "Đà Nẵng", "fraction": 1.0, "feedback": ""}]})
    assert answer(ascii_d, ["da nang"])[0] == 1.0


def test_decomposed_input_matches_composed_answers():
    assert answer(PROVINCE, ["Nghe\u0302\u0323 An"])[0] == 1.0


def test_a_backslash_star_is_a_real_asterisk():
    stars = question("Ký tự nhân trong Excel là {=\\*}")
    assert answer(stars, ["*"])[0] == 1.0
    assert answer(stars, ["x"])[0] == 0.0


def test_short_answer_responses():
    qtype, data, presentation = attempt(PROVINCE)
    assert qtype.public(data, presentation) == {}
    assert qtype.parse_response(data, presentation, ["   "]) is None
    assert qtype.parse_response(data, presentation, [" Nghệ An "]) == "Nghệ An"
    assert qtype.form_values(data, presentation, "Nghệ An") == ["Nghệ An"]
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, ["a", "b"])
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, ["x" * 1001])
    assert qtype.right_answer_text(data) == "Nghệ An"


# Numerical -----------------------------------------------------------------------------


THANH_HOA = parse_file(DATA / "numerical.gift")[4]


@pytest.mark.parametrize("typed, grade", [
    ("1831", 1.0), ("1831.0", 1.0), ("1834", 0.5), ("1826", 0.5), ("1850", 0.25),
    ("1800", 0.25), ("1799", 0.0), ("2000", 0.0),
])
def test_numerical_tolerances_ranges_and_partial_credit(typed, grade):
    assert answer(THANH_HOA, [typed])[0] == grade


def test_numerical_feedback_includes_moodles_catch_all():
    assert answer(THANH_HOA, ["1831"])[1] == ["Chính xác: năm Minh Mạng thứ 12."]
    assert answer(THANH_HOA, ["42"]) == (0.0, ["Sai hoàn toàn."])


def test_range_ends_are_accepted_despite_binary_rounding():
    between = question("Số nào từ 0,1 đến 0,3? {#0.1..0.3}")
    assert [answer(between, [x])[0] for x in ("0.1", "0.3", "0.30001", "0.2")] == [
        1.0, 1.0, 0.0, 1.0]


@pytest.mark.parametrize("typed, number", [
    ("3,14", 3.14), (" -2,5 ", -2.5), ("\u22121", -1.0), ("1e3", 1000.0), (".5", 0.5),
    ("+7", 7.0),
])
def test_numbers_may_use_a_decimal_comma(typed, number):
    qtype, data, presentation = attempt(THANH_HOA)
    assert qtype.parse_response(data, presentation, [typed]) == number


@pytest.mark.parametrize("typed", ["abc", "1.000,5", "1,2,3", "inf", "nan", "1e999", "3 m"])
def test_text_that_is_not_a_number_is_refused(typed):
    qtype, data, presentation = attempt(THANH_HOA)
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, [typed])


def test_numerical_right_answer_text_and_form_values():
    qtype = QUESTION_TYPES["numerical"]
    pi = question("Số pi là {#3.14:0.005}")
    assert qtype.right_answer_text(pi.data) == "3.14 ± 0.005"
    assert qtype.right_answer_text(THANH_HOA.data) == "1831"
    assert qtype.form_values(pi.data, {}, 3.0) == ["3"]


# Matching ------------------------------------------------------------------------------


SHORTCUTS = parse_file(DATA / "matching.gift")[1]


def match_values(parsed: ParsedQuestion, pairs: dict[str, str], seed: int = 7) -> list[str]:
    return [f"{key_of(parsed, left, seed, 'stems')}:{key_of(parsed, right, seed)}"
            for left, right in pairs.items()]


def test_matching_shows_each_distinct_answer_once_with_distractors():
    qtype, data, presentation = attempt(SHORTCUTS)
    public = qtype.public(data, presentation)
    assert sorted(s["text"] for s in public["stems"]) == ["Ctrl+C", "Ctrl+Insert", "Ctrl+V"]
    assert sorted(o["text"] for o in public["options"]) == ["Cắt", "Dán", "In", "Sao chép"]
    assert [o["key"] for o in public["options"]] == ["0", "1", "2", "3"]


def test_matching_answers_are_always_shuffled_questions_only_on_request():
    kept = {tuple(attempt(SHORTCUTS, seed, shuffle=False)[2]["stems"]) for seed in range(20)}
    assert kept == {(0, 1, 2)}
    choices = {tuple(attempt(SHORTCUTS, seed, shuffle=False)[2]["choices"]) for seed in range(20)}
    assert len(choices) > 1
    stems = {tuple(attempt(SHORTCUTS, seed)[2]["stems"]) for seed in range(20)}
    assert len(stems) > 1


def test_matching_grade_is_the_share_of_right_pairs():
    right = {"Ctrl+C": "Sao chép", "Ctrl+Insert": "Sao chép", "Ctrl+V": "Dán"}
    assert answer(SHORTCUTS, match_values(SHORTCUTS, right)) == (1.0, [])
    two = match_values(SHORTCUTS, {"Ctrl+C": "Sao chép", "Ctrl+V": "Dán"})
    assert answer(SHORTCUTS, two)[0] == pytest.approx(2 / 3)
    wrong = match_values(SHORTCUTS, {"Ctrl+C": "Cắt", "Ctrl+V": "In"})
    assert answer(SHORTCUTS, wrong)[0] == 0.0
    assert answer(SHORTCUTS, [])[0] == 0.0


@pytest.mark.parametrize("values", [["0"], ["0:9"], ["9:0"], ["a:b"], ["0:1", "0:2"], ["0-1"]])
def test_malformed_matches_are_refused(values):
    qtype, data, presentation = attempt(SHORTCUTS)
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, values)


def test_matching_form_values_round_trip():
    qtype, data, presentation = attempt(SHORTCUTS, seed=5)
    values = sorted(match_values(SHORTCUTS, {"Ctrl+C": "In", "Ctrl+V": "Dán"}, seed=5))
    response = json.loads(json.dumps(qtype.parse_response(data, presentation, values)))
    assert sorted(qtype.form_values(data, presentation, response)) == values
    assert qtype.right_answer_text(data) == (
        "Ctrl+C → Sao chép; Ctrl+Insert → Sao chép; Ctrl+V → Dán")


# Essay and description -----------------------------------------------------------------


def test_essays_wait_for_a_trainer():
    essay = question("Trình bày ý kiến của bạn. {}")
    qtype, data, presentation = attempt(essay)
    response = qtype.parse_response(data, presentation, ["Ý kiến\nnhiều dòng"])
    assert response == "Ý kiến\nnhiều dòng"
    assert (qtype.grade(data, response), qtype.feedback(data, response)) == (None, [])
    assert qtype.parse_response(data, presentation, [" "]) is None
    assert qtype.right_answer_text(data) == ""


def test_descriptions_take_no_answer():
    description = question("Phần sau nói về lịch sử.")
    qtype, data, presentation = attempt(description)
    assert qtype.parse_response(data, presentation, []) is None
    assert qtype.grade(data, None) is None
    with pytest.raises(InvalidResponse):
        qtype.parse_response(data, presentation, ["gì đó"])


# Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("qtype, data, problem", [
    ("multichoice", {"answers": []}, "multiple choice data needs single and answers"),
    ("multichoice", {"single": True, "answers": [
        {"text": "a", "fraction": 1, "feedback": ""}]},
     "multiple choice question needs at least two answers"),
    ("multichoice", {"single": True, "answers": [
        {"text": "a", "fraction": 0.9, "feedback": ""},
        {"text": "b", "fraction": 0, "feedback": ""}]}, "one answer must be worth 100%"),
    ("multichoice", {"single": False, "answers": [
        {"text": "a", "fraction": 2, "feedback": ""},
        {"text": " ", "fraction": 0, "feedback": ""}]}, "answer text is empty"),
    ("truefalse", {"correct": "yes", "feedback_wrong": "", "feedback_right": ""},
     "true/false question needs correct set to true or false"),
    ("shortanswer", {"answers": [{"text": "a -> b", "fraction": 1, "feedback": ""}]},
     "answer text cannot contain '->'"),
    ("shortanswer", {"answers": [{"text": "a", "fraction": -0.5, "feedback": ""}]},
     "answer weight must be between 0% and 100%"),
    ("numerical", {"answers": [{"value": "3", "tolerance": 0, "fraction": 1,
                                "feedback": ""}]}, "numerical answer is not a number"),
    ("numerical", {"answers": [{"value": 3, "tolerance": -1, "fraction": 1,
                                "feedback": ""}]}, "numerical tolerance must not be negative"),
    ("matching", {"pairs": [{"question": "a -> b", "answer": "c"},
                            {"question": "d", "answer": "e"}]},
     "matching question text cannot contain '->'"),
    ("matching", {"pairs": "a"}, "matching data needs pairs of question and answer texts"),
])
def test_validation_reports_problems(qtype, data, problem):
    assert problem in QUESTION_TYPES[qtype].validate(data)


def test_every_sample_question_is_valid():
    for path in ALL_SAMPLES:
        for parsed in parse_file(path):
            assert QUESTION_TYPES[parsed.type].validate(parsed.data) == []


# The JSON shape ------------------------------------------------------------------------


def test_json_shape_of_every_type():
    common = {"type", "name", "text", "format", "category", "general_feedback", "line"}
    examples = {q.type: q for q in parse_file(DATA / "moodle_examples.gift")}
    extra = {name: set(to_json_dict(q)) - common for name, q in examples.items()}
    assert extra == {
        "multichoice": {"single", "answers"},
        "truefalse": {"correct", "feedback_wrong", "feedback_right", "true_feedback",
                      "false_feedback"},
        "shortanswer": {"answers", "ignore_diacritics"},
        "matching": {"pairs"},
        "numerical": {"answers"},
        "essay": set(), "description": set(),
    }
    assert set(to_json_dict(examples["multichoice"])["answers"][0]) == {
        "text", "fraction", "feedback"}
    assert set(to_json_dict(examples["numerical"])["answers"][0]) == {
        "value", "tolerance", "fraction", "feedback"}
    assert set(to_json_dict(examples["matching"])["pairs"][0]) == {"question", "answer"}


def test_json_dicts_of_all_samples_serialise():
    for path in ALL_SAMPLES:
        for parsed in parse_file(path):
            shape = to_json_dict(parsed)
            assert json.loads(json.dumps(shape)) == shape
            assert all(-1 <= a["fraction"] <= 1 and isinstance(a["fraction"], float)
                       for a in shape.get("answers", []))


# Secrets never reach the browser -------------------------------------------------------


SECRET_KEYS = {"fraction", "feedback", "correct", "answers", "pairs", "value", "tolerance",
               "order", "choices"}


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def secrets_of(parsed: ParsedQuestion) -> list[str]:
    data, texts = parsed.data, [parsed.general_feedback]
    texts += [a["feedback"] for a in data.get("answers", [])]
    texts += [data.get("feedback_wrong", ""), data.get("feedback_right", "")]
    if parsed.type in ("shortanswer", "numerical"):
        texts += [a["text"] for a in data["answers"] if "text" in a]
        texts.append(QUESTION_TYPES[parsed.type].right_answer_text(data))
    return [text for text in texts if text]


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda path: path.name)
def test_public_views_never_contain_answers_or_feedback(path):
    for parsed in parse_file(path):
        qtype, data, presentation = attempt(parsed)
        public = qtype.public(data, presentation)
        blob = json.dumps(public, ensure_ascii=False)
        visible = [o["text"] for o in public.get("options", []) + public.get("stems", [])]
        assert not keys_of(public) & SECRET_KEYS
        for secret in secrets_of(parsed):
            escaped = json.dumps(secret, ensure_ascii=False)[1:-1]
            assert escaped not in blob or any(secret in text for text in visible), secret
        keys = [o["key"] for o in public.get("options", [])]
        if parsed.type != "truefalse":
            assert keys == [str(i) for i in range(len(keys))]
