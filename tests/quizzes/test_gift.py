"""The GIFT reader and writer: every construct of Moodle's documentation, tricky files,
errors with their line numbers, and the round trip ``parse(dump(parse(file)))``."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from lms.quizzes.gift import (
    GiftError, dump_gift, escape, format_number, format_weight, parse_gift,
)
from lms.quizzes.qtypes import QUESTION_TYPES, ParsedQuestion, parse_file

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(DATA.glob("*.gift"))
BROKEN = sorted((DATA / "broken").glob("*.gift"))
EXAMPLES_CATEGORY = "$course$/top/Ví dụ GIFT"


def by_name(filename: str) -> dict[str, ParsedQuestion]:
    return {question.name: question for question in parse_file(DATA / filename)}


def one(text: str) -> ParsedQuestion:
    (question,) = parse_gift(text)
    return question


@pytest.fixture(scope="module")
def examples() -> list[ParsedQuestion]:
    return parse_file(DATA / "moodle_examples.gift")


# Moodle's documented examples ------------------------------------------------------


def test_documented_examples_get_moodles_types(examples):
    assert [q.type for q in examples] == [
        "truefalse", "multichoice", "shortanswer", "matching", "numerical", "numerical",
        "numerical", "essay", "multichoice", "multichoice", "multichoice", "multichoice",
        "multichoice", "truefalse", "truefalse", "shortanswer", "shortanswer", "matching",
        "numerical", "numerical", "numerical", "numerical", "multichoice", "shortanswer",
        "truefalse", "multichoice", "shortanswer", "shortanswer", "multichoice",
        "multichoice", "multichoice", "multichoice", "truefalse", "truefalse",
        "description",
    ]


def test_questions_know_the_line_they_start_on(examples):
    assert [q.line for q in examples[:8]] == [7, 10, 14, 17, 20, 23, 26, 32]
    assert examples[-1].line == 138


def test_true_false_with_title_and_escaped_equals(examples):
    q1 = examples[0]
    assert (q1.name, q1.text, q1.format) == ("Q1", "1 + 1 = 2", "moodle")
    assert q1.category == EXAMPLES_CATEGORY
    assert q1.data == {"correct": True, "feedback_wrong": "", "feedback_right": ""}


def test_multiple_choice_with_feedback_on_each_answer(examples):
    q2 = examples[1]
    assert q2.text == "Màu nào nằm giữa màu da cam và màu xanh lá trong quang phổ?"
    assert q2.data == {"single": True, "answers": [
        {"text": "vàng", "fraction": 1.0, "feedback": "đúng, giỏi lắm!"},
        {"text": "đỏ", "fraction": 0.0, "feedback": "sai, đó là màu vàng"},
        {"text": "xanh lam", "fraction": 0.0, "feedback": "sai, đó là màu vàng"},
    ]}


def test_missing_word_puts_a_blank_where_the_answers_were(examples):
    assert examples[2].text == "Hai cộng _____ bằng bốn."
    assert [a["text"] for a in examples[2].data["answers"]] == ["hai", "2"]
    assert examples[9].text == "Phần mềm Moodle _____ khi tải về từ moodle.org."
    assert examples[10].text.endswith("Việt Nam là _____.")


def test_answers_at_the_end_leave_no_blank(examples):
    assert examples[8].text == 'Ai là tác giả của "Truyện Kiều"?'
    assert examples[11].text == "Chữ Quốc ngữ được xây dựng chủ yếu dựa trên bảng chữ cái nào?"


def test_matching_pairs(examples):
    assert examples[3].data == {"pairs": [
        {"question": "mèo", "answer": "thức ăn cho mèo"},
        {"question": "chó", "answer": "thức ăn cho chó"},
    ]}
    assert examples[17].general_feedback == "Nên biết tỉnh lỵ của các tỉnh."
    assert examples[17].data["pairs"][3] == {"question": "Đắk Lắk", "answer": "Buôn Ma Thuột"}


def test_numerical_tolerance_and_range_mean_the_same(examples):
    expected = {"answers": [{"value": 3.0, "tolerance": 2.0, "fraction": 1.0, "feedback": ""}]}
    assert examples[4].data == expected
    assert examples[5].data == expected


def test_numerical_answers_with_partial_credit_and_feedback(examples):
    assert examples[6].data["answers"] == [
        {"value": 1890.0, "tolerance": 0.0, "fraction": 1.0,
         "feedback": "Chính xác! Được trọn điểm."},
        {"value": 1890.0, "tolerance": 2.0, "fraction": 0.5,
         "feedback": "Người sinh năm 1890. Được nửa điểm vì gần đúng."},
    ]
    assert examples[19].data["answers"][0]["value"] == 3.14159
    assert examples[19].data["answers"][0]["tolerance"] == 0.0005
    assert examples[20].data["answers"][0]["value"] == pytest.approx(3.1415)
    assert examples[20].data["answers"][0]["tolerance"] == pytest.approx(0.0005)


def test_essay_and_description(examples):
    assert (examples[7].name, examples[7].text, examples[7].data) == (
        "Q8", "Bạn thấy khoá học thế nào?", {})
    assert examples[-1].type == "description"
    assert examples[-1].text == "Các câu hỏi sau nói về lịch sử Việt Nam."


def test_untitled_questions_are_named_after_their_text(examples):
    assert examples[8].name == 'Ai là tác giả của "Truyện Kiều"?'
    long_text = "Câu hỏi " + "rất " * 40 + "dài {T}"
    name = one(long_text).name
    assert len(name) <= 80 and name.endswith("...") and name.startswith("Câu hỏi rất")


def test_several_right_answers_with_negative_weights(examples):
    question = examples[12]
    assert question.data["single"] is False
    assert [a["fraction"] for a in question.data["answers"]] == [-1.0, 0.5, 0.5, -1.0]


def test_true_false_feedback_first_is_for_a_wrong_answer(examples):
    question = examples[24]
    assert question.data == {
        "correct": False,
        "feedback_wrong": "Không, Thành phố Hồ Chí Minh đông dân hơn.",
        "feedback_right": "Chính xác!",
    }
    assert [examples[13].data["correct"], examples[14].data["correct"]] == [True, False]


def test_percentage_weights_and_feedback(examples):
    assert [(a["fraction"], a["feedback"]) for a in examples[25].data["answers"]] == [
        (0.0, "Không phải."), (0.25, "Quá chung chung."),
        (0.5, "Đúng tỉnh, cần cụ thể hơn."), (1.0, "Chính xác!")]
    assert [(a["text"], a["fraction"]) for a in examples[26].data["answers"]] == [
        ("Nghệ An", 1.0), ("Nghe An", 0.75), ("Hà Tĩnh", 0.25)]


def test_general_feedback(examples):
    assert examples[27].general_feedback == "Đáp án là 4 (bốn)."
    assert [a["text"] for a in examples[27].data["answers"]] == ["4", "bốn"]


def test_escaped_control_characters(examples):
    assert [a["text"] for a in examples[28].data["answers"]] == [
        "= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = examples[29]
    assert [a["text"] for a in control.data["answers"]] == ["~", "=", "#", "{", "}", "\\"]
    assert control.data["answers"][5]["fraction"] == 1.0
    assert control.data["answers"][0]["feedback"] == "~ là ký tự điều khiển."


def test_text_formats_after_the_title(examples):
    formats = {q.name: q for q in examples[30:34]}
    assert formats["Markdown"].format == "markdown"
    assert formats["Markdown"].text == "Từ nào được **in đậm** trong câu này?"
    assert formats["HTML"].format == "html"
    assert formats["HTML"].text == "<p>Thẻ nào làm chữ <b>đậm</b>?</p>"
    assert formats["HTML"].general_feedback == "<p>Thẻ <b> nghĩa là <i>bold</i>.</p>"
    assert formats["Thuần"].format == "plain"
    assert (formats["Moodle"].format, formats["Moodle"].text) == (
        "moodle", "Câu này dùng định dạng mặc định.")
    assert formats["Markdown"].category == EXAMPLES_CATEGORY + "/Định dạng"


def test_moodle_export_layout_is_read_back():
    question = one("// question: 666  name: Q8\n"
                   "::Q8::What's between orange and green in the spectrum?{\n"
                   "\t=yellow#right; good!\n"
                   "\t~red#[html]wrong, it's yellow\n"
                   "\t~[plain]blue#wrong, it's yellow\n"
                   "}\n")
    assert [(a["text"], a["feedback"]) for a in question.data["answers"]] == [
        ("yellow", "right; good!"), ("red", "wrong, it's yellow"),
        ("blue", "wrong, it's yellow")]


# How the answer block decides the type (Moodle's order) ---------------------------


@pytest.mark.parametrize("block, qtype", [
    ("{}", "essay"),
    ("{####Chỉ có phản hồi chung}", "essay"),
    ("{#5}", "numerical"),
    ("{~a =b}", "multichoice"),
    ("{~%50%a ~%50%b}", "multichoice"),
    ("{~a -> b =c}", "multichoice"),
    ("{=a -> b =c -> d}", "matching"),
    ("{T}", "truefalse"),
    ("{TRUE#sai#đúng}", "truefalse"),
    ("{F}", "truefalse"),
    ("{FALSE}", "truefalse"),
    ("{t}", "shortanswer"),
    ("{true}", "shortanswer"),
    ("{=T}", "shortanswer"),
    ("{Hà Nội}", "shortanswer"),
    ("{=Nghệ An =%50%Nghe An}", "shortanswer"),
])
def test_type_detection(block, qtype):
    assert one("Câu hỏi " + block).type == qtype


def test_a_block_without_equals_sign_is_one_accepted_answer():
    assert one("Thủ đô của Việt Nam là {Hà Nội#Đúng}").data == {
        "answers": [{"text": "Hà Nội", "fraction": 1.0, "feedback": "Đúng"}]}


def test_a_weight_after_equals_sign_is_text_in_multiple_choice():
    # Moodle reads no weight after "=": the answer is worth 100% and keeps its text.
    answers = one("Chọn {=%50%giảm nửa giá ~nguyên giá}").data["answers"]
    assert answers[0] == {"text": "%50%giảm nửa giá", "fraction": 1.0, "feedback": ""}


def test_essay_with_general_feedback_only():
    question = one("::Tự luận::Trình bày ý kiến. {####Sẽ được giảng viên chấm.}")
    assert (question.type, question.general_feedback) == ("essay", "Sẽ được giảng viên chấm.")


def test_title_only_is_an_empty_description():
    question = one("::Chỉ có tiêu đề::")
    assert (question.type, question.name, question.text) == ("description", "Chỉ có tiêu đề", "")


# Tricky files ------------------------------------------------------------------------


def test_escapes():
    questions = by_name("escapes.gift")
    assert questions["Tiêu đề có :: bên trong"].text == "Tập hợp {1, 2} có bao nhiêu phần tử?"
    assert questions["Xuống dòng"].text == "Dòng một\nDòng hai"
    assert questions["Đường dẫn"].text == "Đường dẫn C:\\Windows\\new có mấy dấu gạch chéo ngược?"
    assert questions["Bảng tính"].text == "Công thức =SUM(A1:A3) trả về _____ của ba ô."
    hashes = questions["Dấu thăng"]
    assert hashes.text == "Ô hiện #### nghĩa là gì?"
    assert hashes.general_feedback == ""
    assert hashes.data["answers"][0] == {
        "text": "cột quá hẹp", "fraction": 1.0, "feedback": "Đúng: cột quá hẹp ~ cần nới rộng"}
    assert [a["text"] for a in hashes.data["answers"][1:]] == ["lỗi #VALUE!", "lỗi #NAME?"]
    assert questions["Hai gạch chéo"].data["answers"][0]["text"] == "\\\\"
    assert questions["Dấu ngoặc"].data["answers"][0]["text"] == "{"
    assert [a["text"] for a in questions["Dấu bằng trong đáp án ngắn"].data["answers"]] == [
        "TRUE", "=TRUE"]


def test_a_backslash_before_other_characters_stays():
    assert one(r"Biểu thức \d+ khớp với {=chữ số}").text == r"Biểu thức \d+ khớp với"


def test_comments_are_dropped_wherever_they_stand_on_their_own_line():
    questions = parse_file(DATA / "comments_multiline.gift")
    assert [q.line for q in questions] == [6, 15, 20]
    assert questions[0].text == "Câu hỏi này\nđược viết trên\nnhiều dòng."
    assert [a["text"] for a in questions[0].data["answers"]] == ["đúng", "sai"]
    assert questions[1].text == "Câu hỏi // chỗ này không phải chú thích"
    assert questions[2].text == 'Ai là tác giả\nbài thơ "Nam quốc sơn hà"?'
    assert questions[2].data["answers"][0]["feedback"] == "Theo truyền thuyết."


def test_bom_and_crlf_line_endings_change_nothing():
    assert (DATA / "crlf_bom.gift").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (DATA / "crlf_bom.gift").read_bytes()
    crlf = parse_file(DATA / "crlf_bom.gift")
    plain = parse_file(DATA / "comments_multiline.gift")
    assert crlf == plain
    assert [q.line for q in crlf] == [q.line for q in plain]


def test_old_mac_line_endings():
    questions = parse_gift("::A::Một {T}\r\r::B::Hai {F}\r")
    assert [(q.name, q.line) for q in questions] == [("A", 1), ("B", 3)]


def test_decomposed_unicode_is_composed(examples):
    nfd = parse_file(DATA / "nfd.gift")
    assert nfd == examples
    assert all(unicodedata.is_normalized("NFC", q.text + q.name) for q in nfd)


def test_weights():
    questions = by_name("weights.gift")
    single = questions["Một đáp án, điểm từng phần"].data
    assert single["single"] is True
    assert [a["fraction"] for a in single["answers"]] == [1.0, 0.5, -0.25, 0.0]
    thirds = questions["Ba phần ba"].data
    assert thirds["single"] is False
    assert [a["fraction"] for a in thirds["answers"]] == [0.3333333] * 3 + [-1.0]
    assert [a["fraction"] for a in questions["Trọng số âm"].data["answers"]] == [
        0.5, 0.5, -0.5, -0.5]
    short = questions["Trả lời ngắn có trọng số"].data["answers"]
    assert [(a["text"], a["fraction"]) for a in short] == [("HĐH", 1.0), ("HDH", 0.5), ("*", 0.0)]
    percent = questions["Dấu phần trăm trong đáp án"].data["answers"]
    assert [(a["text"], a["fraction"]) for a in percent] == [
        ("25%", 1.0), ("%50% không giảm thêm", 0.0), ("0%", 0.0)]


def test_numerical_file():
    questions = by_name("numerical.gift")
    value = {name: [(a["value"], a["tolerance"]) for a in q.data["answers"]]
             for name, q in questions.items()}
    assert value["Sai số"] == [(3.14, 0.005)]
    assert value["Khoảng"] == [(0.0, 0.5)]
    assert value["Khoảng âm"] == [(-3.0, 2.0)]
    assert value["Số mũ"] == [(1000.0, 0.0)]
    assert value["Điểm từng phần"] == [(1831.0, 0.0), (1831.0, 5.0), (1825.0, 25.0), (None, 0.0)]
    partial = questions["Điểm từng phần"].data["answers"]
    assert [a["fraction"] for a in partial] == [1.0, 0.5, 0.25, 0.0]
    assert partial[3]["feedback"] == "Sai hoàn toàn."
    assert questions["Số ở giữa câu"].text == "Một năm thường có _____ ngày."
    no_equals = questions["Không có dấu bằng"]
    assert no_equals.data["answers"][0]["feedback"] == "Đúng rồi!"
    assert no_equals.general_feedback == "Phép nhân cơ bản."


def test_matching_file():
    questions = by_name("matching.gift")
    activities = questions["Hoạt động Moodle"]
    assert (activities.format, activities.text) == (
        "html", "Ghép mỗi <b>hoạt động</b> với mô tả của nó.")
    assert activities.data["pairs"][0] == {
        "question": "Hoạt động thảo luận không đồng bộ.", "answer": "Diễn đàn"}
    assert activities.data["pairs"][-1] == {"question": "", "answer": "Trò chuyện"}
    shortcuts = questions["Phím tắt"].data["pairs"]
    assert [p["answer"] for p in shortcuts] == ["Sao chép", "Sao chép", "Dán", "Cắt", "In"]
    assert questions["Mũi tên ở vế phải"].data["pairs"][1] == {
        "question": "a", "answer": "b -> a -> b"}


def test_categories_file():
    questions = parse_file(DATA / "categories.gift")
    assert [(q.name, q.category) for q in questions] == [
        ("Không danh mục", None), ("Word 1", "Tin học/Word"), ("Word 2", "Tin học/Word"),
        ("Excel 1", "Tin học/Excel"), ("Lại không danh mục", None)]
    assert questions[3].line == 11


# Errors --------------------------------------------------------------------------------


def expectation(path: Path) -> tuple[int, str]:
    match = re.match(r"// expect: (\d+): (.*)", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} must start with '// expect: LINE: message'"
    return int(match[1]), match[2]


@pytest.mark.parametrize("path", BROKEN, ids=lambda path: path.stem)
def test_broken_files_report_message_and_line(path):
    line, message = expectation(path)
    with pytest.raises(GiftError) as caught:
        parse_file(path)
    assert (caught.value.line, caught.value.message) == (line, message)
    assert caught.value.source == str(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


def test_there_is_a_broken_file_for_every_kind_of_error():
    assert {expectation(path)[1] for path in BROKEN} == {
        "unclosed answer block", "unexpected } outside an answer block",
        "only one answer block per question; missing blank line?",
        "question title is not closed with ::", "matching question needs at least two pairs",
        "matching pair needs -> between question and answer", "matching pair has no answer",
        "multiple choice question has no right answer", "each answer must start with ~ or =",
        "multiple choice question needs at least two answers",
        "the right answers' weights must add up to 100%", "answer text is empty",
        "answer weight must be between -100% and 100%", "one answer must be worth 100%",
        "numerical answer is not a number", "numerical question has no answer",
        "numerical range minimum is greater than maximum",
        "numerical tolerance must not be negative",
    }


def test_errors_from_a_string_name_the_source():
    with pytest.raises(GiftError) as caught:
        parse_gift("\n\nCâu hỏi {=a", source="bai1.gift")
    assert str(caught.value) == "bai1.gift:3: unclosed answer block"


@pytest.mark.parametrize("text, line, message", [
    # Without "=", the second line belongs to the first pair's answer, as in Moodle.
    ("Ghép {\n=a -> b\nc -> d\n}", 1, "matching question needs at least two pairs"),
    ("Ghép {c -> d\n=a -> b\n=e -> f}", 1, "each matching pair must start with ="),
    ("Câu {=a} sau đó }", 1, "unexpected } outside an answer block"),
    ("Dòng một\nDòng hai {=a\n~b\n~%abc%c ~}", 4, "answer text is empty"),
])
def test_more_errors_with_their_lines(text, line, message):
    with pytest.raises(GiftError) as caught:
        parse_gift(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_private_use_placeholders_are_refused():
    with pytest.raises(GiftError) as caught:
        parse_gift("Câu một {T}\n\nCâu \ue001 hai {T}")
    assert caught.value.line == 3


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "tcvn3.gift"
    path.write_bytes("Câu một {T}\n\n".encode() + b"C\xb8u hai {T}\n")
    with pytest.raises(GiftError) as caught:
        parse_file(path)
    assert (caught.value.line, caught.value.message) == (3, "file is not UTF-8 text")


def test_empty_and_comment_only_files_have_no_questions():
    assert parse_gift("") == []
    assert parse_gift("// chỉ có chú thích\n\n   \n// thêm một dòng\n") == []


# Writing and the round trip -------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_every_sample_file_survives_a_round_trip(path):
    questions = parse_file(path)
    assert parse_gift(dump_gift(questions)) == questions


def tricky_questions() -> list[ParsedQuestion]:
    text = "Ký tự ~ = # { } : \\ và \\n, [html] ở giữa, xuống\ndòng, _____ và 50%"
    answers = [{"text": "%50% " + text, "fraction": 1.0, "feedback": "#### " + text},
               {"text": "[html]<b>đậm</b>", "fraction": 0.0, "feedback": "[plain]x"},
               {"text": "%10% giảm", "fraction": 0.0, "feedback": ""}]
    return [
        ParsedQuestion("multichoice", ":: tên :: " + text, "[markdown]" + text, "moodle",
                       "A/B: C\\D", "[html]" + text, {"single": True, "answers": answers}),
        ParsedQuestion("multichoice", "Nhiều", text, "html", None, "",
                       {"single": False, "answers": [
                           {"text": "a", "fraction": 1.0, "feedback": ""},
                           {"text": "b", "fraction": -0.3333333, "feedback": ""}]}),
        ParsedQuestion("multichoice", "Hai đáp án 100%", "x", "moodle", None, "",
                       {"single": True, "answers": [
                           {"text": "a", "fraction": 1.0, "feedback": ""},
                           {"text": "b", "fraction": 1.0, "feedback": ""}]}),
        ParsedQuestion("truefalse", "Đ/S", text, "plain", None, text,
                       {"correct": False, "feedback_wrong": "", "feedback_right": text}),
        ParsedQuestion("shortanswer", "Ngắn", text, "markdown", None, "",
                       {"answers": [{"text": "T", "fraction": 1.0, "feedback": ""},
                                    {"text": "%5%", "fraction": 1.0, "feedback": ""},
                                    {"text": "#" + text, "fraction": 0.1, "feedback": text}]}),
        ParsedQuestion("matching", "Ghép", text, "moodle", None, text,
                       {"pairs": [{"question": "[html]a", "answer": "x -> y"},
                                  {"question": text, "answer": text},
                                  {"question": "", "answer": "[html]nhiễu"}]}),
        ParsedQuestion("numerical", "Số", text, "moodle", None, "",
                       {"answers": [{"value": -0.1, "tolerance": 1e-7, "fraction": 1.0,
                                     "feedback": text},
                                    {"value": 1e20, "tolerance": 0.0, "fraction": 0.3333333,
                                     "feedback": ""},
                                    {"value": None, "tolerance": 0.0, "fraction": 0.0,
                                     "feedback": "khác"}]}),
        ParsedQuestion("numerical", "Bất kỳ", "x", "moodle", None, "",
                       {"answers": [{"value": None, "tolerance": 0.0, "fraction": 1.0,
                                     "feedback": ""}]}),
        ParsedQuestion("essay", "Tự luận", text, "html", None, text, {}),
        ParsedQuestion("description", "Mô tả", text, "markdown", None, "", {}),
    ]


@pytest.mark.parametrize("question", tricky_questions(), ids=lambda q: q.name)
def test_tricky_questions_of_every_type_survive_a_round_trip(question):
    assert "\n\n" not in QUESTION_TYPES[question.type].to_gift(question)
    assert parse_gift(dump_gift([question])) == [question]


def test_dump_writes_category_lines_only_when_the_category_changes():
    questions = [
        ParsedQuestion("truefalse", "A", "a", data={"correct": True, "feedback_wrong": "",
                                                    "feedback_right": ""}, category="X"),
        ParsedQuestion("essay", "B", "b", category="X"),
        ParsedQuestion("essay", "C", "c", category="Y"),
        ParsedQuestion("essay", "D", "d"),
    ]
    assert dump_gift(questions) == (
        "$CATEGORY: X\n\n::A::a{TRUE}\n\n::B::b{}\n\n$CATEGORY: Y\n\n::C::c{}\n\n"
        "$CATEGORY:\n\n::D::d{}\n")
    assert parse_gift(dump_gift(questions)) == questions
    assert dump_gift([]) == ""


def test_writer_layout_follows_moodles_export():
    question = parse_gift("::Q2::Màu gì?{=vàng#đúng ~đỏ ####Chung}")[0]
    assert dump_gift([question]) == "::Q2::Màu gì?{\n\t=vàng#đúng\n\t~đỏ\n\t####Chung\n}\n"
    numeric = parse_gift("::Q5::Số?{#3:2~#Sai hoàn toàn}")[0]
    assert dump_gift([numeric]) == "::Q5::Số?{\n\t#\n\t=3:2\n\t~#Sai hoàn toàn\n}\n"


def test_writer_helpers():
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    assert format_weight(0.3333333) == "%33.33333%"
    assert format_weight(-1.0) == "%-100%"
    assert format_weight(0.125) == "%12.5%"
    assert [format_number(x) for x in (1822.0, -0.5, 3.14159, 1e20)] == [
        "1822", "-0.5", "3.14159", "1e+20"]


def test_line_is_not_part_of_equality():
    first = ParsedQuestion("essay", "A", "a", line=3)
    assert first == ParsedQuestion("essay", "A", "a", line=40)
