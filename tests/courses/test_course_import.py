"""`flask lms courses import|export`: the course-folder format, as a trainer uses it."""

from sqlalchemy import func, select

from lms.courses.models import Course, Lesson, Question
from lms.extensions import db


def _import(runner, *paths, dry_run=False):
    args = ["lms", "courses", "import", *map(str, paths)] + (["--dry-run"] if dry_run else [])
    return runner.invoke(args=args)


def test_import_creates_the_course(runner, app_ctx, course_folder):
    result = _import(runner, course_folder)
    assert result.exit_code == 0, result.output
    assert "TEST1" in result.output and "created" in result.output
    course = db.session.scalars(select(Course).where(Course.code == "TEST1")).one()
    assert course.title == "Khóa học thử nghiệm" and course.passing_score == 60 and course.study_hours == 2
    assert course.quiz["draw"] == {"Cơ bản": 2} and course.quiz["attempts_allowed"] == 2
    assert [lesson.slug for lesson in course.lessons] == ["mo-dau", "bai-hai"]
    assert [q.qtype for q in course.questions] == ["multichoice", "truefalse", "numerical"]
    assert course.media[0].content_type == "image/svg+xml"


def test_reimport_unchanged_changes_nothing(runner, app_ctx, course_folder):
    _import(runner, course_folder)
    before = db.session.scalars(select(Course).where(Course.code == "TEST1")).one().updated_at
    result = _import(runner, course_folder)
    assert "unchanged" in result.output
    db.session.expire_all()
    assert db.session.scalars(select(Course).where(Course.code == "TEST1")).one().updated_at == before


def test_changed_lesson_and_question_update_in_place(runner, app_ctx, course_folder):
    _import(runner, course_folder)
    lesson_id = db.session.scalar(select(Lesson.id).where(Lesson.slug == "bai-hai"))
    question_id = db.session.scalar(select(Question.id).where(Question.name == "Q1 Thủ đô"))
    (course_folder / "lessons" / "02-bai-hai.md").write_text("---\ntitle: Bài hai (sửa)\nminutes: 8\n---\nMới.\n", encoding="utf-8")
    gift = (course_folder / "questions.gift").read_text(encoding="utf-8").replace("~Huế", "~Huế ~Vinh")
    (course_folder / "questions.gift").write_text(gift, encoding="utf-8")
    (course_folder / "lessons" / "01-mo-dau.md").unlink()
    (course_folder / "media" / "so-do.svg").unlink()

    result = _import(runner, course_folder)
    assert result.exit_code == 0, result.output
    lesson = db.session.get(Lesson, lesson_id)
    assert lesson.title == "Bài hai (sửa)" and lesson.position == 1
    question = db.session.get(Question, question_id)
    assert question.version == 2 and len(question.data["answers"]) == 4
    retired = db.session.scalars(select(Lesson).where(Lesson.slug == "mo-dau")).one()
    assert retired.retired is True


def test_dry_run_writes_nothing(runner, app_ctx, course_folder):
    result = _import(runner, course_folder, dry_run=True)
    assert result.exit_code == 0 and "dry run" in result.output
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_broken_gift_names_file_and_line_and_imports_nothing(runner, app_ctx, course_folder):
    gift = course_folder / "questions.gift"
    gift.write_text(gift.read_text(encoding="utf-8") + "\n::Q4 Ghép::Ghép đôi {=a -> b}\n", encoding="utf-8")
    result = _import(runner, course_folder)
    assert result.exit_code == 1
    assert f"{gift}:9: matching question needs at least two pairs" in result.output
    assert db.session.scalar(select(func.count(Course.id))) == 0
    assert db.session.scalar(select(func.count(Lesson.id))) == 0


def test_every_problem_is_reported_with_file_and_line(runner, app_ctx, course_folder):
    (course_folder / "lessons" / "02-bai-hai.md").write_text("---\nminutes: 8\n---\nThiếu tiêu đề\n", encoding="utf-8")
    (course_folder / "lessons" / "01-mo-dau.md").write_text(
        "---\ntitle: A\nminutes: 5\n---\n\nDòng 6\n![x](media/khong-co.png)\n", encoding="utf-8"
    )
    (course_folder / "media" / "virus.png").write_bytes(b"MZ\x90\x00 not an image")
    result = _import(runner, course_folder)
    assert result.exit_code == 1
    assert "02-bai-hai.md:2: front matter needs a 'title'" in result.output
    assert "01-mo-dau.md:7: missing media file media/khong-co.png" in result.output
    assert "virus.png:1: not an accepted media file" in result.output


def test_quiz_drawing_more_than_the_bank_holds_is_an_error(runner, app_ctx, course_folder):
    yaml_path = course_folder / "course.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("Cơ bản: 2", "Cơ bản: 9"), encoding="utf-8")
    result = _import(runner, course_folder)
    assert result.exit_code == 1
    assert "quiz draws 9 questions from category 'Cơ bản' which has 3" in result.output


def test_export_then_import_gives_the_same_course(runner, app_ctx, course_folder, tmp_path):
    _import(runner, course_folder)
    out = tmp_path / "exported"
    result = runner.invoke(args=["lms", "courses", "export", "test1", str(out)])
    assert result.exit_code == 0, result.output
    first = _snapshot()
    assert _import(runner, out).output.strip().endswith("unchanged")
    assert _snapshot() == first


def _snapshot():
    course = db.session.scalars(select(Course).where(Course.code == "TEST1")).one()
    return (
        {c: getattr(course, c) for c in ("title", "summary", "study_hours", "passing_score", "quiz", "certificate")},
        [(lesson.slug, lesson.title, lesson.minutes, lesson.body) for lesson in course.active_lessons],
        [(q.name, q.qtype, q.text, q.category, q.data, q.version) for q in course.active_questions],
        [(m.filename, m.sha256) for m in course.media],
    )


def test_shipped_curriculum_imports_clean_and_round_trips(runner, app_ctx, shipped_copy, tmp_path):
    result = _import(runner, shipped_copy)
    assert result.exit_code == 0, result.output
    courses = db.session.scalars(select(Course).order_by(Course.code)).all()
    assert [c.code for c in courses] == ["ATTT", "CQDT", "IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
    for course in courses:
        assert len(course.active_lessons) >= 5
        assert len(course.active_questions) >= 40
        assert len({q.qtype for q in course.active_questions}) >= 5
        out = tmp_path / "out" / course.code
        assert runner.invoke(args=["lms", "courses", "export", course.code, str(out)]).exit_code == 0
    again = _import(runner, tmp_path / "out")
    assert again.exit_code == 0 and again.output.count("unchanged") == 8
