"""``flask lms targets …`` (rebuild, remind) and ``flask lms bench-data``."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.extensions import db

targets_cli = AppGroup("targets", help="Kế hoạch bồi dưỡng: tính lại số liệu, gửi nhắc nhở.")


@targets_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute every active target's members and counters from scratch."""
    from lms.targets.operations import rebuild_all

    started = time.perf_counter()
    count = rebuild_all()
    db.session.commit()
    click.echo(f"Đã tính lại {count} kế hoạch trong {time.perf_counter() - started:.2f} giây.")


@targets_cli.command("remind")
@click.argument("target_id", type=int)
@click.option("--unit", "unit_code", help="Only this unit's subtree (its code); the whole audience by default.")
def remind_command(target_id: int, unit_code: str | None) -> None:
    """E-mail the people who have not finished TARGET_ID, and a digest to their HR (for a scheduler)."""
    from lms.org.queries import current_unit_by_code
    from lms.targets.models import TrainingTarget
    from lms.targets.reminders import send_reminders

    target = db.session.get(TrainingTarget, target_id)
    if target is None or not target.active:
        raise click.ClickException(f"Không có kế hoạch đang áp dụng số {target_id}.")
    units = [current_unit_by_code(unit_code)] if unit_code else target.units
    if None in units:
        raise click.ClickException(f"Không có đơn vị mã {unit_code}.")
    for unit in units:
        result = send_reminders(target, unit)
        db.session.commit()
        click.echo(f"{unit.name}: nhắc {result.learners} người, {result.digests} thư tổng hợp, bỏ qua {result.skipped}.")


@click.command("bench-data")
@click.option("--staff", default=100_000, show_default=True, help="Number of invented staff.")
def bench_data_command(staff: int) -> None:
    """Make an invented province of STAFF people in ~600 units, 10 courses and progress (empty database only)."""
    from lms.auth.models import User
    from lms.targets.bench_data import build_bench_data

    if db.session.scalar(select(User.id).limit(1)) is not None:
        raise click.ClickException("Cơ sở dữ liệu đã có dữ liệu; dùng một cơ sở dữ liệu trống.")
    started = time.perf_counter()
    counts = build_bench_data(staff)
    db.session.commit()
    click.echo(", ".join(f"{name}: {value}" for name, value in counts.items())
               + f" ({time.perf_counter() - started:.1f} giây)")


COMMANDS = [targets_cli, bench_data_command]
