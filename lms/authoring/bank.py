"""Writes on a draft's question bank: save, duplicate, move, retire, and two-step imports.

A question is kept by its name when the draft is published (as in a course-folder
import), so past attempts and item analysis stay attached to it. Retiring takes it out
of the draft; publishing then retires the published question, and attempts keep their
own frozen copies.
"""

from __future__ import annotations

from lms.admin.operations import audit
from lms.authoring.drafts import check_version, editing, parsed, question_dict, question_ref
from lms.authoring.models import CourseDraft
from lms.authoring.operations import AuthoringError
from lms.courses.spec import duplicate_names
from lms.quizzes.gift import dump_gift, parse_gift
from lms.quizzes.qtypes import QUESTION_TYPES, ParsedQuestion, QuestionFormatError


def question_problems(question: ParsedQuestion) -> list[str]:
    """Why a question cannot go into the bank: its type's checks, and a GIFT round trip.

    The bank is exported as GIFT, so a question that does not come back equal from GIFT
    (a description with general feedback, say) would change on the way out.
    """
    qtype = QUESTION_TYPES.get(question.type)
    if qtype is None:
        return [f"unknown question type {question.type}"]
    problems = qtype.validate(question.data)
    if not question.name.strip():
        problems.append("question name is empty")
    if problems:
        return problems
    try:
        again = parse_gift(dump_gift([question]))
    except QuestionFormatError as error:
        return [error.message]
    return [] if again == [question] else ["this question cannot be written to GIFT unchanged"]


def _index(content: dict, key: str) -> int:
    for index, item in enumerate(content["questions"]):
        if item["key"] == key:
            return index
    raise LookupError(key)


def save_question(draft: CourseDraft, key: str | None, question: ParsedQuestion, *, version: str | None) -> str:
    """Add a question (``key`` ``None``) or replace one; returns its key.

    :param draft: the draft, its row locked
    :param key: the question to replace, or ``None``
    :param question: the question, built by a form
    :param version: the question's version the form was loaded with (ignored for a new question)
    :raises EditConflict: when someone else saved, moved or retired the question since
    :raises AuthoringError: when the question is unusable or its name is taken
    :raises LookupError: for an unknown key
    """
    if key is not None:
        check_version(draft, question_ref(key), version)
    problems = question_problems(question)
    with editing(draft) as content:
        others = [item for item in content["questions"] if item["key"] != key]
        if any(item["name"] == question.name for item in others):
            problems.append("Tên câu hỏi này đã có trong ngân hàng.")
        if problems:
            raise AuthoringError(problems)
        if key is None:
            item = question_dict(question)
            content["questions"].append(item)
        else:
            item = question_dict(question, key)
            content["questions"][_index(content, key)] = item
    audit("authoring.question_save", draft.course, question=question.name)
    return item["key"]


def duplicate_question(draft: CourseDraft, key: str) -> str:
    """A copy of a question, named "… (bản sao)", right after it; returns the copy's key.

    :raises LookupError: for an unknown key
    """
    with editing(draft) as content:
        index = _index(content, key)
        names = {item["name"] for item in content["questions"]}
        copy = parsed(content["questions"][index])
        base, number = f"{copy.name} (bản sao)", 2
        copy.name = base
        while copy.name in names:
            copy.name, number = f"{base} {number}", number + 1
        item = question_dict(copy)
        content["questions"].insert(index + 1, item)
    audit("authoring.question_duplicate", draft.course, question=copy.name)
    return item["key"]


def move_questions(draft: CourseDraft, keys: list[str], category: str) -> int:
    """Put the questions with ``keys`` in ``category``; returns how many were moved."""
    wanted = set(keys)
    with editing(draft) as content:
        moved = [item for item in content["questions"] if item["key"] in wanted]
        for item in moved:
            item["category"] = category.strip()
    audit("authoring.question_move", draft.course, count=len(moved), category=category.strip())
    return len(moved)


def retire_question(draft: CourseDraft, key: str) -> None:
    """Take a question out of the bank (past attempts keep their frozen copy).

    :raises LookupError: for an unknown key
    """
    with editing(draft) as content:
        item = content["questions"].pop(_index(content, key))
    audit("authoring.question_retire", draft.course, question=item["name"])


def stage_import(draft: CourseDraft, questions: list[ParsedQuestion], source: str) -> list[str]:
    """Check imported questions and keep them until the trainer confirms; returns the problems.

    Nothing is kept when there is any problem. A question whose name is already in the
    bank will replace it.

    :param draft: the draft
    :param questions: the questions read from the file
    :param source: the file name, for the problems and the audit log
    """
    problems = [f"{source}:{q.line}: question name '{q.name}' already used on line {first.line}"
                for q, first in duplicate_names(questions)]
    for question in questions:
        problems += [f"{source}:{question.line}: {message}" for message in question_problems(question)]
    if not questions:
        problems.append(f"{source}: no question found")
    draft.pending_import = None if problems else [question_dict(q) | {"line": q.line} for q in questions]
    audit("authoring.import_stage", draft.course, source=source, count=len(questions), problems=len(problems))
    return problems


def confirm_import(draft: CourseDraft) -> tuple[int, int]:
    """Add the staged questions to the bank, all of them at once; returns (created, replaced).

    :raises AuthoringError: when nothing is staged
    """
    staged = draft.pending_import
    if not staged:
        raise AuthoringError("Không có câu hỏi nào đang chờ nhập.")
    created = replaced = 0
    with editing(draft) as content:
        by_name = {item["name"]: index for index, item in enumerate(content["questions"])}
        for item in staged:
            item = {name: value for name, value in item.items() if name != "line"}
            if item["name"] in by_name:
                content["questions"][by_name[item["name"]]] = item | {"key": content["questions"][by_name[item["name"]]]["key"]}
                replaced += 1
            else:
                content["questions"].append(item)
                created += 1
    draft.pending_import = None
    audit("authoring.import_confirm", draft.course, created=created, replaced=replaced)
    return created, replaced


def cancel_import(draft: CourseDraft) -> None:
    """Forget the staged questions."""
    draft.pending_import = None
    audit("authoring.import_cancel", draft.course)
