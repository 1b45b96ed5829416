"""`flask lms questions parse FILE`: what a trainer runs before importing a file."""

import json


def test_parse_prints_json_array(runner, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(
        "$CATEGORY: An toàn\n\n::Mật khẩu::Mật khẩu mạnh có ít nhất {#8:0} ký tự.\n\n"
        "::Ghép::Ghép đôi {=USB -> thiết bị lưu trữ =Email -> thư điện tử}\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["lms", "questions", "parse", str(path)])
    assert result.exit_code == 0, result.output
    questions = json.loads(result.output)
    assert [q["type"] for q in questions] == ["numerical", "matching"]
    assert questions[0]["category"] == "An toàn"
    assert questions[0]["answers"][0]["value"] == 8 and questions[0]["answers"][0]["tolerance"] == 0
    assert questions[1]["pairs"][0] == {"question": "USB", "answer": "thiết bị lưu trữ"}


def test_missing_word_shows_the_blank(runner, tmp_path):
    path = tmp_path / "mw.gift"
    path.write_text("Phím tắt sao chép là {=Ctrl+C ~Ctrl+V} trong Windows.\n", encoding="utf-8")
    question = json.loads(runner.invoke(args=["lms", "questions", "parse", str(path)]).output)[0]
    assert question["text"] == "Phím tắt sao chép là _____ trong Windows."
    assert question["single"] is True


def test_aiken(runner, tmp_path):
    path = tmp_path / "bank.txt"
    path.write_text("Thủ đô của Việt Nam?\nA. Huế\nB. Hà Nội\nANSWER: B\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "questions", "parse", str(path), "--format", "aiken"])
    answers = json.loads(result.output)[0]["answers"]
    assert [a["fraction"] for a in answers] == [0.0, 1.0]


def test_syntax_error_exits_2_with_file_and_line(runner, tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text("::A::Câu một {=x ~y}\n\n::B::Câu hai {=a -> b}\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "questions", "parse", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3: matching question needs at least two pairs" in result.output
