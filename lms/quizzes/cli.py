"""``flask lms questions parse`` (check a question file before importing it) and
``flask lms quizzes close-overdue`` (close attempts left open past their deadline)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.quizzes.operations import close_overdue_attempts
from lms.quizzes.qtypes import QuestionFormatError, parse_file, to_json_dict

questions_cli = AppGroup("questions", help="Kiểm tra tệp câu hỏi GIFT/Aiken.")


@questions_cli.command("parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["gift", "aiken"]), help="Default: from the file name.")
def parse_command(file: Path, fmt: str | None) -> None:
    """Print the questions of FILE as a JSON array; a syntax error exits 2 with FILE:LINE: message."""
    try:
        questions = parse_file(file, fmt)
    except QuestionFormatError as error:
        click.echo(f"{file}:{error.line}: {error.message}", err=True)
        sys.exit(2)
    except ValueError as error:
        click.echo(f"{file}: {error}", err=True)
        sys.exit(2)
    click.echo(json.dumps([to_json_dict(q) for q in questions], ensure_ascii=False, indent=2))


quizzes_cli = AppGroup("quizzes", help="Bài kiểm tra: các lần làm bài.")


@quizzes_cli.command("close-overdue")
def close_overdue_command() -> None:
    """Close and grade every attempt left open past its deadline (run it from a scheduler)."""
    closed = close_overdue_attempts()
    db.session.commit()
    click.echo(f"Đã đóng {closed} lần làm bài quá hạn.")
