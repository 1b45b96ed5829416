"""The question bank editor: one form per type, duplicate, move, retire, filters."""

import pytest
from sqlalchemy import select

from lms.authoring.models import CourseDraft
from lms.courses.models import Question
from lms.extensions import db
from lms.quizzes.models import AttemptQuestion
from lms.quizzes.operations import start_attempt
from tests.authoring.conftest import edit

COURSE = "/authoring/courses/AU01"
COMMON = {"category": "Mới", "text_format": "plain", "general_feedback": "Chung"}
FORMS = {
    "multichoice": ({"answers-0-text": "Hà Nội", "answers-0-weight": "100", "answers-0-feedback": "Đúng",
                     "answers-1-text": "Huế", "answers-1-weight": "0", "answers-1-feedback": "Sai", "single": "y"},
                    {"single": True, "answers": [{"text": "Hà Nội", "fraction": 1.0, "feedback": "Đúng"},
                                                 {"text": "Huế", "fraction": 0.0, "feedback": "Sai"}]}),
    "truefalse": ({"correct": "false", "feedback_right": "Giỏi", "feedback_wrong": "Xem lại"},
                  {"correct": False, "feedback_wrong": "Xem lại", "feedback_right": "Giỏi"}),
    "shortanswer": ({"answers-0-text": "Vinh", "answers-1-text": "TP Vinh", "answers-1-weight": "50"},
                    {"answers": [{"text": "Vinh", "fraction": 1.0, "feedback": ""},
                                 {"text": "TP Vinh", "fraction": 0.5, "feedback": ""}]}),
    "numerical": ({"answers-0-value": "3,14", "answers-0-tolerance": "0.01", "answers-0-feedback": "Pi"},
                  {"answers": [{"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": "Pi"}]}),
    "matching": ({"pairs-0-question": "Nghệ An", "pairs-0-answer": "Vinh", "pairs-1-question": "Quảng Ninh",
                  "pairs-1-answer": "Hạ Long", "pairs-2-answer": "Huế"},
                 {"pairs": [{"question": "Nghệ An", "answer": "Vinh"}, {"question": "Quảng Ninh", "answer": "Hạ Long"},
                            {"question": "", "answer": "Huế"}]}),
    "essay": ({}, {}),
    "description": ({"general_feedback": ""}, {}),
}


def _draft():
    db.session.expire_all()
    return db.session.scalars(select(CourseDraft)).one()


@pytest.mark.parametrize("qtype", FORMS)
def test_every_type_is_created_with_its_form_and_edited_again(authoring, new_course, qtype):
    fields, data = FORMS[qtype]
    values = {**COMMON, "name": f"Câu {qtype}", "text": "Nội dung?", **fields}
    response = authoring.post_form(f"{COURSE}/questions/new/{qtype}", values)
    assert response.status_code == 302, response.get_data(as_text=True)
    item = _draft().questions[-1]
    assert (item["type"], item["category"], item["data"]) == (qtype, "Mới", data)
    page = authoring.get(f"{COURSE}/questions/{item['key']}").get_data(as_text=True)
    assert "Nội dung?" in page
    edit(authoring, f"{COURSE}/questions/{item['key']}", {**values, "text": "Sửa lại?"})
    assert _draft().questions[-1]["text"] == "Sửa lại?" and len(_draft().questions) == 4


def test_a_bad_question_is_refused_with_the_types_message(authoring, new_course):
    page = authoring.post_form(f"{COURSE}/questions/new/multichoice", {
        **COMMON, "name": "Hỏng", "text": "?", "answers-0-text": "A", "answers-0-weight": "50",
        "answers-1-text": "B", "single": "y"}).get_data(as_text=True)
    assert "one answer must be worth 100%" in page and len(_draft().questions) == 3


def test_names_are_unique_in_the_bank(authoring, new_course):
    page = authoring.post_form(f"{COURSE}/questions/new/essay", {**COMMON, "name": "Thủ đô", "text": "?"})
    assert "Tên câu hỏi này đã có" in page.get_data(as_text=True)


def test_duplicate_move_and_filters(authoring, new_course):
    first = _draft().questions[0]["key"]
    authoring.post_form(f"{COURSE}/questions/{first}/duplicate")
    copy = _draft().questions[1]
    assert copy["name"] == "Thủ đô (bản sao)" and copy["data"] == _draft().questions[0]["data"]
    authoring.post_form(f"{COURSE}/questions/move", {"key": [first, copy["key"]], "category": "Địa lý"})
    assert [q["category"] for q in _draft().questions] == ["Địa lý", "Địa lý", "Cơ bản", "Cơ bản"]
    page = authoring.get(f"{COURSE}/questions", query_string={"q": "thu do", "category": "c:Địa lý"}).get_data(as_text=True)
    assert "Thủ đô (bản sao)" in page and "Kilobyte" not in page
    page = authoring.get(f"{COURSE}/questions", query_string={"type": "numerical"}).get_data(as_text=True)
    assert "Kilobyte" in page and "Thủ đô" not in page


def test_a_retired_question_stays_in_past_attempts(authoring, new_course, learner):
    authoring.post_form(f"{COURSE}/publish")
    attempt = start_attempt(learner, new_course)
    db.session.commit()
    authoring.post_form(f"{COURSE}/edit")
    key = next(q["key"] for q in _draft().questions if q["name"] == "Thủ đô")
    authoring.post_form(f"{COURSE}/questions/{key}/retire")
    authoring.post_form(f"{COURSE}/publish")
    question = db.session.scalar(select(Question).where(Question.name == "Thủ đô"))
    assert question.retired is True
    frozen = db.session.scalar(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id,
                                                             AttemptQuestion.question_id == question.id))
    assert frozen.snapshot["text"].startswith("Thủ đô của Việt Nam")
