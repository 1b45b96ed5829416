"""The ``flask lms …`` command group; each area contributes its sub-commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from lms.extensions import db

SHIPPED_COURSES = Path(__file__).resolve().parent.parent / "courses"
lms_cli = AppGroup("lms", help="Lệnh quản trị hệ thống LMS.")


@lms_cli.command("demo")
@click.option("--staff", default=2000, show_default=True, help="Number of invented staff.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def demo_command(staff: int, if_empty: bool) -> None:
    """Load the demo data (Thanh Hóa units, departments, staff, demo accounts) if missing."""
    from lms.auth.models import User
    from lms.org.demo import DEMO_ACCOUNTS, build_demo

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu trình diễn.")
    else:
        counts = build_demo(staff=staff)
        counts["courses"] = _import_shipped_courses()
        counts.update(_demo_learning())
        db.session.commit()
        click.echo(", ".join(f"{name}: {value} mới" for name, value in counts.items()))
    click.echo("Tài khoản trình diễn (số hiệu / mật khẩu):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role:<8} {account.staff_code:<12} {account.password}")


def _import_shipped_courses() -> int:
    """Import the curriculum shipped in ``courses/``; returns how many courses were created."""
    from lms.courses.cli import find_course_folders
    from lms.courses.operations import import_course
    from lms.courses.spec import read_course_folder

    created = 0
    for folder in find_course_folders([SHIPPED_COURSES]):
        spec, problems = read_course_folder(folder)
        if problems:
            raise click.ClickException("\n".join(problems))
        created += import_course(spec).created
    return created


def _demo_learning() -> dict[str, int]:
    """Simulated learning history in a few units, then the province's training targets."""
    import random

    from lms.learning.demo import simulate_progress
    from lms.targets.demo import create_demo_targets

    completions = simulate_progress(random.Random(2026))
    return {"completions": completions, "targets": create_demo_targets(), "editors": _demo_editors()}


def _demo_editors() -> int:
    """The demo trainer edits the shipped courses (a course without staff is admin-only)."""
    from lms.auth.models import User
    from lms.authoring.operations import assign_staff
    from lms.courses.models import Course

    trainer = db.session.scalar(select(User).where(User.staff_code == "giangvien"))
    courses = list(db.session.scalars(select(Course)))
    for course in courses:
        assign_staff(course, trainer, "editor")
    return len(courses)


def register_cli(app: Flask) -> None:
    """Attach ``flask lms`` and its sub-groups to ``app``."""
    from lms.admin.cli import COMMANDS as admin_commands
    from lms.certificates.cli import COMMANDS as certificate_commands
    from lms.courses.cli import courses_cli
    from lms.org.cli import staff_cli, units_cli
    from lms.quizzes.cli import questions_cli, quizzes_cli
    from lms.targets.cli import COMMANDS as target_commands

    for group in (courses_cli, questions_cli, quizzes_cli, staff_cli, units_cli, *admin_commands, *certificate_commands,
                  *target_commands):
        lms_cli.add_command(group)
    app.cli.add_command(lms_cli)
