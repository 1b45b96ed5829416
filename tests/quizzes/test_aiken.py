"""The Aiken reader: Moodle's example, multi-line texts, encodings, errors with lines,
format guessing from the file name, and writing Aiken questions out as GIFT."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.quizzes.aiken import AikenError, parse_aiken
from lms.quizzes.gift import dump_gift, parse_gift
from lms.quizzes.qtypes import parse_file, to_json_dict

DATA = Path(__file__).parent / "data" / "aiken"


def test_moodles_example():
    first, second = parse_file(DATA / "moodle_example.txt")
    assert (first.type, first.format, first.category, first.line) == (
        "multichoice", "plain", None, 1)
    assert first.text == first.name == "Câu trả lời đúng cho câu hỏi này là gì?"
    assert first.data == {"single": True, "answers": [
        {"text": "Có phải là đáp án này?", "fraction": 0.0, "feedback": ""},
        {"text": "Hay là đáp án này?", "fraction": 0.0, "feedback": ""},
        {"text": "Có thể là đáp án này?", "fraction": 0.0, "feedback": ""},
        {"text": "Chắc chắn là đáp án này!", "fraction": 1.0, "feedback": ""},
    ]}
    assert second.line == 8
    assert [a["text"] for a in second.data["answers"]] == [
        "Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"]
    assert [a["fraction"] for a in second.data["answers"]] == [1.0] + [0.0] * 5


def test_multi_line_text_roman_numerals_and_blank_lines():
    first, second = parse_file(DATA / "multiline.txt")
    assert first.text == (
        "Theo Luật Cán bộ, công chức, nội dung nào sau đây\n"
        "là nghĩa vụ của công chức?\n"
        "I. Trung thành với Đảng, Nhà nước và Nhân dân.\n"
        "II. Chấp hành quyết định của cấp trên.")
    assert len(first.name) <= 80 and first.name.endswith("...")
    assert [a["text"] for a in first.data["answers"]] == [
        "Chỉ I", "Chỉ II", "Cả I và II", "Không có nội dung nào"]
    assert first.data["answers"][2]["fraction"] == 1.0
    assert second.line == 10
    assert second.text == "Phím tắt để lưu tài liệu trong Microsoft Word là gì?"
    assert [a["text"] for a in second.data["answers"]] == ["Ctrl+S", "Ctrl+P"]


def test_bom_crlf_and_decomposed_unicode_change_nothing():
    raw = (DATA / "crlf_bom_nfd.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    tricky = parse_file(DATA / "crlf_bom_nfd.txt")
    plain = parse_file(DATA / "multiline.txt")
    assert tricky == plain
    assert [q.line for q in tricky] == [q.line for q in plain]


@pytest.mark.parametrize("name, line, message", [
    ("option_first", 1, "option or ANSWER line before any question text"),
    ("no_answer", 6, "question has no ANSWER line"),
    ("letters_out_of_order", 3, "expected option B"),
    ("answer_out_of_range", 4, "ANSWER E has no matching option"),
    ("answer_two_letters", 4, "ANSWER must be a single capital letter"),
    ("one_option", 1, "question needs at least two options"),
    ("text_after_options", 4, "expected an option or the ANSWER line"),
    ("empty_option", 2, "option text is empty"),
    ("lowercase_answer", 4, "expected an option or the ANSWER line"),
])
def test_broken_files_report_message_and_line(name, line, message):
    path = DATA / "broken" / f"{name}.txt"
    with pytest.raises(AikenError) as caught:
        parse_file(path, "aiken")
    assert (caught.value.line, caught.value.message) == (line, message)
    assert str(caught.value) == f"{path}:{line}: {message}"


def test_both_option_styles_and_spacing():
    (parsed,) = parse_aiken("  Câu hỏi?  \nA)  Một \nB.\tHai\nANSWER:B")
    assert parsed.text == "Câu hỏi?"
    assert [(a["text"], a["fraction"]) for a in parsed.data["answers"]] == [
        ("Một", 0.0), ("Hai", 1.0)]


def test_errors_from_a_string_name_the_source():
    with pytest.raises(AikenError) as caught:
        parse_aiken("Câu hỏi?\nA. Một\n", source="de1.txt")
    assert str(caught.value) == "de1.txt:1: question has no ANSWER line"


def test_format_is_guessed_from_the_file_name(tmp_path):
    aiken = tmp_path / "de.txt"
    aiken.write_text("Câu hỏi?\nA. Một\nB. Hai\nANSWER: A\n", encoding="utf-8")
    assert parse_file(aiken)[0].type == "multichoice"
    gift = tmp_path / "de_gift.txt"
    gift.write_text("Câu hỏi? {=Một ~Hai}\n", encoding="utf-8")
    assert parse_file(gift)[0].format == "moodle"
    with pytest.raises(AikenError):
        parse_file(gift, "aiken")
    other = tmp_path / "de.docx"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError):
        parse_file(other)
    assert parse_file(other, "gift")[0].type == "description"
    with pytest.raises(ValueError):
        parse_file(aiken, "xml")


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "vni.txt"
    path.write_bytes("Câu hỏi?\nA. Một\n".encode() + b"B. Hai \xe1\n")
    with pytest.raises(AikenError) as caught:
        parse_file(path, "aiken")
    assert (caught.value.line, caught.value.message) == (3, "file is not UTF-8 text")


def test_aiken_questions_can_be_written_as_gift():
    for path in DATA.glob("*.txt"):
        questions = parse_file(path)
        assert parse_gift(dump_gift(questions)) == questions


def test_json_shape():
    shape = to_json_dict(parse_file(DATA / "moodle_example.txt")[0])
    assert shape["single"] is True
    assert shape["answers"][3] == {"text": "Chắc chắn là đáp án này!", "fraction": 1.0,
                                   "feedback": ""}
