"""Reminder e-mails: one to each person not finished, a digest to the HR officers of their units.

A person reminded less than ``REMINDER_MIN_INTERVAL_HOURS`` ago is skipped, so the
dashboard button and the scheduled command can both run without flooding anyone. Mail
goes out in batches of ``REMINDER_BATCH_SIZE`` with a pause between them; without
``LMS_SMTP_HOST`` it is written to the log instead (development).
"""

from __future__ import annotations

import smtplib
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.admin.operations import audit
from lms.auth.models import RoleGrant, User
from lms.core.models import utcnow
from lms.core.pdf import vn_numeric_date
from lms.extensions import db
from lms.org.models import OrgUnit
from lms.targets.models import TargetMember, TargetReminder, TrainingTarget
from lms.targets.queries import not_finished


@dataclass(frozen=True)
class ReminderResult:
    learners: int
    digests: int
    skipped: int


def send_reminders(target: TrainingTarget, unit: OrgUnit, *, by: User | None = None,
                   now: datetime | None = None) -> ReminderResult:
    """Remind the people of ``unit``'s subtree who have not finished ``target`` (flush only).

    :param target: the target
    :param unit: the subtree whose people are reminded
    :param by: who asked (``None`` for the scheduler)
    :param now: the time of sending (for tests)
    """
    now = now or utcnow()
    members = db.session.scalars(not_finished(target, unit)).all()
    recent = _recently_reminded(target, now)
    due = [m for m in members if m.user.email and m.user_id not in recent]
    digests = _digests(target, due)
    with force_locale("vi"):  # the people written to read Vietnamese, whatever the sender's language
        messages = [_learner_message(target, m.user) for m in due]
        messages += [_digest_message(target, hr, people) for hr, people in digests]
    deliver(messages)
    for member in due:
        _record(target, member.user, "learner", 1, by, now)
    for hr, people in digests:
        _record(target, hr, "digest", len(people), by, now)
    audit("target.remind", target, unit_id=unit.id, actor_id=by.id if by else None, learners=len(due), digests=len(digests))
    return ReminderResult(len(due), len(digests), len(members) - len(due))


def _recently_reminded(target: TrainingTarget, now: datetime) -> set[int]:
    cutoff = now - timedelta(hours=current_app.config["REMINDER_MIN_INTERVAL_HOURS"])
    stmt = select(TargetReminder.user_id).where(
        TargetReminder.target_id == target.id, TargetReminder.kind == "learner", TargetReminder.sent_at >= cutoff
    )
    return set(db.session.scalars(stmt))


def _digests(target: TrainingTarget, members: list[TargetMember]) -> list[tuple[User, list[User]]]:
    """Each HR officer with e-mail and the reminded people of the nearest unit above them that has HR."""
    ancestors = {m.user_id: m.unit.ancestors_ids() for m in members}
    unit_ids = {unit_id for ids in ancestors.values() for unit_id in ids}
    grants = db.session.scalars(
        select(RoleGrant).options(joinedload(RoleGrant.user)).where(RoleGrant.role == "hr", RoleGrant.unit_id.in_(unit_ids))
    ).all()
    hr_by_unit = defaultdict(list)
    for grant in grants:
        if grant.user.email and grant.user.active:
            hr_by_unit[grant.unit_id].append(grant.user)
    people = defaultdict(list)
    for member in members:
        nearest = next((unit_id for unit_id in reversed(ancestors[member.user_id]) if unit_id in hr_by_unit), None)
        for hr in hr_by_unit.get(nearest, []):
            people[hr].append(member.user)
    return sorted(people.items(), key=lambda item: item[0].id)


def _record(target, recipient: User, kind: str, people: int, by: User | None, now: datetime) -> None:
    db.session.add(TargetReminder(target_id=target.id, user_id=recipient.id, kind=kind, email=recipient.email,
                                  people=people, sent_at=now, sent_by_id=by.id if by else None))


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def _learner_message(target: TrainingTarget, person: User) -> EmailMessage:
    courses = "\n".join(f"- {course.code}: {course.title}" for course in target.courses)
    body = _("Kính gửi %(name)s,\n\nĐồng chí chưa hoàn thành kế hoạch bồi dưỡng \"%(target)s\"; hạn hoàn thành là "
             "%(deadline)s. Các khóa học bắt buộc:\n%(courses)s\n\nĐăng nhập để tiếp tục học: %(url)s\n",
             name=person.full_name, target=target.name, deadline=vn_numeric_date(target.deadline),
             courses=courses, url=current_app.config["PUBLIC_BASE_URL"])
    return _message(person.email, _("Nhắc hoàn thành: %(target)s", target=target.name), body)


def _digest_message(target: TrainingTarget, hr: User, people: list[User]) -> EmailMessage:
    names = "\n".join(f"- {p.full_name} ({p.staff_code})" for p in sorted(people, key=lambda p: p.sort_key))
    body = _("Kính gửi %(name)s,\n\nHệ thống đã gửi thư nhắc %(count)d người chưa hoàn thành kế hoạch \"%(target)s\" "
             "(hạn %(deadline)s):\n%(names)s\n", name=hr.full_name, count=len(people), target=target.name,
             deadline=vn_numeric_date(target.deadline), names=names)
    return _message(hr.email, _("Tổng hợp nhắc học: %(target)s", target=target.name), body)


def deliver(messages: list[EmailMessage]) -> None:
    """Send ``messages`` over SMTP in batches (one connection each), or log them without a server."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        for message in messages:
            current_app.logger.info("E-mail (no SMTP server configured) to %s: %s\n%s", message["To"], message["Subject"], message.get_content())
        return
    size = max(1, config["REMINDER_BATCH_SIZE"])
    for start in range(0, len(messages), size):
        if start:
            time.sleep(config["REMINDER_BATCH_PAUSE_SECONDS"])
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            for message in messages[start:start + size]:
                smtp.send_message(message)
