"""One form per question type: each builds the type's ``data`` and fills itself from it.

Weights are typed in percent (100 = right, 0 = wrong, negative for a penalty) and stored
as fractions. Rows left blank are ignored; the page shows a few spare rows.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from lms.authoring.forms import EditForm
from lms.core.text import nfc
from lms.quizzes.qtypes import ParsedQuestion
from lms.quizzes.qtypes.base import TEXT_FORMATS

SPARE_ROWS = 2
MIN_ROWS = 4


def _number(text: str | None) -> float | None:
    """A number typed with a comma or a point; ``None`` for blank, ``nan`` for nonsense."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _text(value: str | None) -> str:
    return nfc((value or "").strip()) or ""


class AnswerRow(Form):
    text = StringField(_l("Phương án"))
    weight = StringField(_l("Điểm (%)"))
    feedback = StringField(_l("Phản hồi"))


class NumberRow(Form):
    value = StringField(_l("Giá trị"))
    tolerance = StringField(_l("Sai số cho phép"))
    weight = StringField(_l("Điểm (%)"))
    feedback = StringField(_l("Phản hồi"))


class PairRow(Form):
    question = StringField(_l("Vế trái (để trống: phương án gây nhiễu)"))
    answer = StringField(_l("Vế phải"))


class QuestionForm(EditForm):
    """The fields every type has; subclasses add the answers."""

    qtype = ""
    name = StringField(_l("Tên câu hỏi"), validators=[InputRequired(), Length(max=300)])
    category = StringField(_l("Nhóm"), validators=[Length(max=200)])
    text = TextAreaField(_l("Nội dung câu hỏi"), validators=[InputRequired(), Length(max=50_000)])
    text_format = SelectField(_l("Định dạng nội dung"), choices=[(f, f) for f in TEXT_FORMATS], default="plain")
    general_feedback = TextAreaField(_l("Phản hồi chung"), validators=[Length(max=20_000)])

    def question(self) -> ParsedQuestion:
        """The question the form describes."""
        return ParsedQuestion(type=self.qtype, name=_text(self.name.data), text=self.text.data.strip(),
                              format=self.text_format.data, category=_text(self.category.data) or None,
                              general_feedback=self.general_feedback.data.strip(), data=self.data_dict())

    def data_dict(self) -> dict:
        return {}

    @classmethod
    def initial(cls, item: dict) -> dict:
        """Keyword data to build the form from a draft question."""
        return {"name": item["name"], "category": item["category"], "text": item["text"],
                "text_format": item["format"], "general_feedback": item["general_feedback"]}


def _rows(rows: list[dict]) -> list[dict]:
    return rows + [{}] * max(SPARE_ROWS, MIN_ROWS - len(rows))


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}"


class MultiChoiceForm(QuestionForm):
    qtype = "multichoice"
    single = BooleanField(_l("Chỉ một đáp án đúng (nút chọn); bỏ chọn: nhiều đáp án (ô đánh dấu)"), default=True)
    answers = FieldList(FormField(AnswerRow), min_entries=MIN_ROWS)

    def data_dict(self) -> dict:
        answers = [{"text": _text(row.text.data), "fraction": (_number(row.weight.data) or 0) / 100,
                    "feedback": _text(row.feedback.data)} for row in self.answers if _text(row.text.data)]
        return {"single": bool(self.single.data), "answers": answers}

    @classmethod
    def initial(cls, item: dict) -> dict:
        rows = [{"text": a["text"], "weight": _percent(a["fraction"]), "feedback": a["feedback"]}
                for a in item["data"].get("answers", [])]
        return super().initial(item) | {"single": item["data"].get("single", True), "answers": _rows(rows)}


class TrueFalseForm(QuestionForm):
    qtype = "truefalse"
    correct = RadioField(_l("Câu này"), choices=[("true", _l("Đúng")), ("false", _l("Sai"))], default="true")
    feedback_right = StringField(_l("Phản hồi khi trả lời đúng"))
    feedback_wrong = StringField(_l("Phản hồi khi trả lời sai"))

    def data_dict(self) -> dict:
        return {"correct": self.correct.data == "true", "feedback_wrong": _text(self.feedback_wrong.data),
                "feedback_right": _text(self.feedback_right.data)}

    @classmethod
    def initial(cls, item: dict) -> dict:
        data = item["data"]
        return super().initial(item) | {"correct": "true" if data.get("correct", True) else "false",
                                        "feedback_right": data.get("feedback_right", ""),
                                        "feedback_wrong": data.get("feedback_wrong", "")}


class ShortAnswerForm(QuestionForm):
    qtype = "shortanswer"
    # No "ignore diacritics" box: GIFT, and so the course folder, cannot hold that flag.
    answers = FieldList(FormField(AnswerRow), min_entries=MIN_ROWS)

    def data_dict(self) -> dict:
        answers = [{"text": _text(row.text.data), "fraction": (_number(row.weight.data) if row.weight.data else 100) / 100,
                    "feedback": _text(row.feedback.data)} for row in self.answers if _text(row.text.data)]
        return {"answers": answers}

    @classmethod
    def initial(cls, item: dict) -> dict:
        rows = [{"text": a["text"], "weight": _percent(a["fraction"]), "feedback": a["feedback"]}
                for a in item["data"].get("answers", [])]
        return super().initial(item) | {"answers": _rows(rows)}


class NumericalForm(QuestionForm):
    qtype = "numerical"
    answers = FieldList(FormField(NumberRow), min_entries=MIN_ROWS)

    def data_dict(self) -> dict:
        answers = []
        for row in self.answers:
            if not (row.value.data or "").strip():
                continue
            value = None if row.value.data.strip() == "*" else _number(row.value.data)
            weight = _number(row.weight.data)
            answers.append({"value": value, "tolerance": _number(row.tolerance.data) or 0.0,
                            "fraction": (100 if weight is None else weight) / 100, "feedback": _text(row.feedback.data)})
        return {"answers": answers}

    @classmethod
    def initial(cls, item: dict) -> dict:
        rows = [{"value": "*" if a["value"] is None else f"{a['value']:g}", "tolerance": f"{a['tolerance']:g}",
                 "weight": _percent(a["fraction"]), "feedback": a["feedback"]} for a in item["data"].get("answers", [])]
        return super().initial(item) | {"answers": _rows(rows)}


class MatchingForm(QuestionForm):
    qtype = "matching"
    pairs = FieldList(FormField(PairRow), min_entries=MIN_ROWS)

    def data_dict(self) -> dict:
        return {"pairs": [{"question": _text(row.question.data), "answer": _text(row.answer.data)}
                          for row in self.pairs if _text(row.question.data) or _text(row.answer.data)]}

    @classmethod
    def initial(cls, item: dict) -> dict:
        return super().initial(item) | {"pairs": _rows(list(item["data"].get("pairs", [])))}


class EssayForm(QuestionForm):
    qtype = "essay"


class DescriptionForm(QuestionForm):
    qtype = "description"


QUESTION_FORMS: dict[str, type[QuestionForm]] = {
    form.qtype: form
    for form in (MultiChoiceForm, TrueFalseForm, ShortAnswerForm, NumericalForm, MatchingForm, EssayForm, DescriptionForm)
}
