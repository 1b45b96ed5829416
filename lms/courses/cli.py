"""``flask lms courses import|export``: the course-folder format on the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.admin.operations import audit
from lms.courses.export import export_course_folder
from lms.courses.models import Course
from lms.courses.operations import import_course
from lms.courses.spec import read_course_folder
from lms.extensions import db

courses_cli = AppGroup("courses", help="Nhập, xuất khóa học theo định dạng thư mục (courses/).")


def find_course_folders(paths: list[Path]) -> list[Path]:
    """Every folder holding a ``course.yaml`` at or below ``paths``, in name order."""
    folders: set[Path] = set()
    for path in paths:
        if (path / "course.yaml").is_file():
            folders.add(path)
        elif path.is_dir():
            folders.update(p.parent for p in path.rglob("course.yaml"))
    return sorted(folders)


@courses_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_command(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Import course folders (one folder, or a tree of them); idempotent."""
    folders = find_course_folders(list(paths))
    if not folders:
        raise click.ClickException("no course.yaml found under the given paths")
    failed = 0
    for folder in folders:
        spec, problems = read_course_folder(folder)
        if problems:
            failed += 1
            for problem in problems:
                click.echo(problem, err=True)
            click.echo(f"{folder}: not imported ({len(problems)} problems)", err=True)
            continue
        report = import_course(spec)
        state = "created" if report.created else (f"{len(report.changes)} changes" if report.changes else "unchanged")
        click.echo(f"{spec.code} ({folder}): {state}{' (dry run)' if dry_run else ''}")
        if not report.created:
            for change in report.changes[:20]:
                click.echo(f"  - {change}")
        if report.created or report.changes:
            audit("course.import", db.session.scalar(select(Course).where(Course.code == spec.code)),
                  folder=str(folder), changes=len(report.changes))
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if failed:
        sys.exit(1)


@courses_cli.command("export")
@click.argument("code")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(code: str, directory: Path) -> None:
    """Write course CODE as a course folder into DIRECTORY (created; must be empty)."""
    course = db.session.scalar(select(Course).where(Course.code == code.upper()))
    if course is None:
        raise click.ClickException(f"no course with code {code}")
    try:
        count = export_course_folder(course, directory)
    except FileExistsError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{course.code}: {count} files written to {directory}")
