"""``flask lms staff …`` and ``flask lms units …``: roster import, unit import, reorganisation."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.extensions import db
from lms.org.mapping import read_mapping
from lms.org.models import OrgUnit
from lms.org.queries import current_unit_by_code
from lms.org.reorganisation import apply_mapping
from lms.org.staff_import import import_roster
from lms.org.units_import import import_units, read_unit_rows

staff_cli = AppGroup("staff", help="Cán bộ: nhập danh sách từ tệp XLSX/CSV.")
units_cli = AppGroup("units", help="Đơn vị: nhập cây đơn vị, tổ chức lại.")


def _unit(code: str | None) -> OrgUnit | None:
    if not code:
        return None
    unit = current_unit_by_code(code)
    if unit is None:
        raise click.BadParameter(f"không có đơn vị đang hoạt động mã {code}", param_hint="--unit")
    return unit


def _finish(write: bool) -> None:
    """Commit once, or write nothing at all."""
    if write:
        db.session.commit()
    else:
        db.session.rollback()


@staff_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_code", help="Unit code: default unit of the rows, and the subtree they must lie in.")
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--deactivate-missing", is_flag=True, help="Deactivate active staff of --unit missing from the file.")
def import_staff(file: Path, unit_code: str | None, dry_run: bool, as_json: bool, deactivate_missing: bool) -> None:
    """Import a staff roster (XLSX or CSV); any error writes nothing and exits 1."""
    if deactivate_missing and not unit_code:
        raise click.UsageError("--deactivate-missing chỉ dùng cùng --unit")
    plan = import_roster(file, file.name, unit=_unit(unit_code), deactivate_missing=deactivate_missing,
                         apply=not dry_run)
    _finish(not plan.errors and not dry_run)
    summary = plan.summary()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        for error in summary["errors"]:
            click.echo(_error_line(error), err=True)
        click.echo(", ".join(f"{key}: {value}" for key, value in summary.items() if key != "errors"))
    if plan.errors:
        raise SystemExit(1)


def _error_line(error: dict) -> str:
    place = ", ".join(part for part in (
        f"row {error['row']}" if error["row"] else "", f"column {error['column']}" if error["column"] else "",
    ) if part)
    return f"{place}: {error['message']}" if place else error["message"]


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--valid-from", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day in force of new units.")
def import_units_command(file: Path, valid_from) -> None:
    """Create or update units from a ``code,name,type,parent_code`` CSV; any error writes nothing."""
    rows, errors = read_unit_rows(file.read_text(encoding="utf-8-sig"), file.name)
    if errors:
        for error in errors:
            click.echo(error, err=True)
        raise SystemExit(1)
    report = import_units(rows, valid_from=valid_from.date() if valid_from else None)
    db.session.commit()
    click.echo(f"created: {report.created}, updated: {report.updated}, unchanged: {report.unchanged}")


@units_cli.command("reorganise")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--effective", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="First day of the new units.")
@click.option("--dry-run", is_flag=True, help="Report what would change, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def reorganise(mapping: Path, effective, dry_run: bool, as_json: bool) -> None:
    """Merge and split units from a ``new_code,new_name,old_code,old_name,kind`` table.

    Odd rows are reported and skipped; the rest is applied. Exit 1 only if the table
    cannot be read at all.
    """
    rows, problems = read_mapping(mapping.read_text(encoding="utf-8-sig"))
    if not rows:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1)
    report = apply_mapping(rows, effective.date(), problems)
    _finish(not dry_run)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(", ".join(f"{key}: {value}" for key, value in report.as_dict().items() if key != "problems"))
