"""The read-only JSON API of training targets (``/api/v1``): the dashboard's figures as data.

Every number comes from :mod:`lms.targets.queries`, the functions the HR pages and the XLSX
and PDF exports call, so the API, the screens and the files always agree. Access is the
logged-in session's (HR within their subtrees, admin everywhere); a unit or target out of
scope answers 404 like a missing one, and an anonymous request 401 (JSON, no redirect).
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from lms.core.access import role_required, target_or_404, unit_or_404
from lms.extensions import login_manager
from lms.org.models import OrgUnit
from lms.reports.wording import projection_sentence
from lms.targets.models import TargetMember, TrainingTarget
from lms.targets.queries import Burnup, Figures, Projection, dashboard_cards, not_finished_page, trend, unit_report

bp = Blueprint("targets_api", __name__, url_prefix="/api/v1/targets")

PER_PAGE, MAX_PER_PAGE = 50, 500


@bp.record_once
def _answer_401_not_login_page(_state) -> None:
    # Flask-Login aborts with 401 instead of redirecting when a blueprint's login view is None.
    login_manager.blueprint_login_views[bp.name] = None


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _unit(unit: OrgUnit) -> dict:
    return {"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind, "level": unit.level}


def _target(target: TrainingTarget) -> dict:
    return {"id": target.id, "name": target.name, "year": target.year, "start_date": target.start_date.isoformat(),
            "deadline": target.deadline.isoformat(), "target_percent": target.target_percent,
            "courses": [{"code": course.code, "title": course.title} for course in target.courses]}


def _figures(figures: Figures) -> dict:
    return {"audience": figures.audience, "completed": figures.completed, "in_progress": figures.in_progress,
            "not_started": figures.not_started, "overdue": figures.overdue, "percent": round(figures.percent, 1),
            "needed": figures.needed, "gap": figures.gap}


def _projection(target: TrainingTarget, projection: Projection) -> dict:
    return {"reached": projection.reached, "on": projection.on.isoformat() if projection.on else None,
            "short": projection.short, "per_week": round(projection.per_week, 1),
            "text": projection_sentence(target, projection)}


def _burnup(series: Burnup) -> dict:
    return {"needed": series.needed, "weeks": [{"end": end.isoformat(), "completed": done} for end, done in series.weeks]}


@bp.get("")
@role_required("hr", "admin")
def targets():
    """The active targets the user may see, each with the figures of the user's units it reaches."""
    listed: dict[int, dict] = {}
    for card in dashboard_cards(current_user):
        entry = listed.setdefault(card.target.id, {**_target(card.target), "units": []})
        entry["units"].append({"unit": _unit(card.unit), "figures": _figures(card.figures),
                               "projection": _projection(card.target, card.projection)})
    return {"targets": list(listed.values())}


@bp.get("/<int:target_id>/units/<int:unit_id>")
@role_required("hr", "admin")
def unit(target_id: int, unit_id: int):
    """A target in one unit: figures, burn-up, projection, child units worst first, breakdowns."""
    target, current = target_or_404(current_user, target_id), unit_or_404(current_user, unit_id)
    report = unit_report(target, current)
    series, projected = trend(target, current, report.total)
    return {
        "target": _target(target), "unit": _unit(current), "figures": _figures(report.total),
        "projection": _projection(target, projected), "burnup": _burnup(series),
        "rows": [{"unit": _unit(row.unit), "own": row.own, "figures": _figures(row.figures)} for row in report.rows],
        "by_level": {level: _figures(figures) for level, figures in report.by_level.items()},
        "by_category": {category: _figures(figures) for category, figures in report.by_category.items()},
    }


def _person(member: TargetMember, required: int) -> dict:
    user = member.user
    return {"id": user.id, "staff_code": user.staff_code, "full_name": user.full_name, "position": user.position,
            "unit": _unit(member.unit), "status": member.status, "done_courses": member.done_courses,
            "required_courses": required}


@bp.get("/<int:target_id>/units/<int:unit_id>/not-finished")
@role_required("hr", "admin")
def unfinished(target_id: int, unit_id: int):
    """The people of the unit's subtree not finished, in Vietnamese name order, a page at a time."""
    target, current = target_or_404(current_user, target_id), unit_or_404(current_user, unit_id)
    page = not_finished_page(target, current, request.args.get("per_page", PER_PAGE, type=int), MAX_PER_PAGE)
    required = len(target.courses)
    return {"page": page.page, "per_page": page.per_page, "pages": page.pages, "total": page.total,
            "people": [_person(member, required) for member in page.items]}
