"""Programme certificates: a training target that groups courses (IU01–IU06) and has
``programme_certificate`` on issues one certificate to each person of its audience who
completes all of its courses, besides the course certificates (flush only).

The programme is keyed by ``TrainingTarget.programme_code`` (``KH-<id>``): renaming the target
or changing its courses never gives a holder a second certificate for it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select

from lms.certificates.issuing import certificate_in_force, local_date, lock_counter, new_certificate, store
from lms.certificates.models import Certificate
from lms.core.models import utcnow
from lms.extensions import db
from lms.learning.models import CourseCompletion, Enrollment
from lms.targets.audience import wanted_rows
from lms.targets.models import PROGRAMME_CODE_PREFIX, TrainingTarget, target_courses


def programme_targets(course_id: int | None = None) -> list[TrainingTarget]:
    """Active targets that issue programme certificates (those requiring ``course_id``)."""
    stmt = select(TrainingTarget).where(TrainingTarget.active, TrainingTarget.programme_certificate)
    if course_id is not None:
        stmt = stmt.join(target_courses).where(target_courses.c.course_id == course_id)
    return list(db.session.scalars(stmt.order_by(TrainingTarget.id)))


def target_of(certificate: Certificate) -> TrainingTarget | None:
    """The training target whose programme ``certificate`` is for."""
    return db.session.get(TrainingTarget, int(certificate.programme_code.removeprefix(PROGRAMME_CODE_PREFIX)))


def completed_by(target: TrainingTarget, user_ids: list[int] | None = None):
    """``SELECT user_id`` of the people in ``target``'s audience who completed all its courses.

    The Targets area's own rule (:func:`lms.targets.audience.wanted_rows`), so a certificate
    goes exactly to the people its figures count as completed.
    """
    rows = wanted_rows(target, user_ids).subquery()
    return select(rows.c.user_id).where(rows.c.status == "completed")


def programme_achievement(target: TrainingTarget, user_id: int) -> dict | None:
    """What a programme certificate of ``target`` prints for ``user_id``, or ``None`` until
    every course is completed: the summed study hours, first enrolment to last completion."""
    course_ids = sorted(target.course_ids)
    done = db.session.execute(
        select(func.count(), func.max(CourseCompletion.completed_at))
        .where(CourseCompletion.user_id == user_id, CourseCompletion.course_id.in_(course_ids))
    ).one()
    if not course_ids or done[0] < len(course_ids):
        return None
    started = db.session.scalar(
        select(func.min(Enrollment.enrolled_at)).where(Enrollment.user_id == user_id, Enrollment.course_id.in_(course_ids))
    )
    return {
        "programme_code": target.programme_code, "title": target.certificate_title,
        "programme_courses": [course.code for course in target.courses],
        "study_hours": sum(course.study_hours for course in target.courses),
        "period_start": local_date(started) if started else None, "period_end": local_date(done[1]),
    }


def issue_programme_certificate(target: TrainingTarget, user, now: datetime | None = None) -> Certificate | None:
    """Issue ``target``'s programme certificate to ``user`` if earned and not issued yet.

    :param target: a target with ``programme_certificate`` on
    :param user: a person of its audience who completed all its courses
    :param now: the issue time (default: now)
    :return: the new certificate, the one in force already (valid or revoked), or ``None``
        when ``user`` is not in the audience or has not completed every course
    """
    now = now or utcnow()
    # Read under the issuing lock: two courses of one programme completed at the same moment
    # in two transactions each see the other's completion or wait for it, so exactly one issues.
    lock_counter(local_date(now).year)
    existing = certificate_in_force(user.id, programme_code=target.programme_code)
    if existing is not None:
        return existing
    if db.session.scalar(completed_by(target, [user.id])) is None:
        return None
    return store(new_certificate(user, now, **programme_achievement(target, user.id)))


def issue_programmes_completed(completion: CourseCompletion) -> None:
    """Issue the programme certificates that ``completion`` (maybe the last missing course) earns.

    :param completion: a course completion just recorded
    """
    for target in programme_targets(completion.course_id):
        issue_programme_certificate(target, completion.user)


def owed_programmes() -> list[tuple[TrainingTarget, int]]:
    """(target, person) for every programme certificate owed and not issued (none after revocation)."""
    owed = []
    for target in programme_targets():
        done = completed_by(target).subquery()
        in_force = and_(Certificate.user_id == done.c.user_id, Certificate.programme_code == target.programme_code,
                        Certificate.status != "replaced")
        stmt = select(done.c.user_id).outerjoin(Certificate, in_force).where(Certificate.id.is_(None))
        owed.extend((target, user_id) for user_id in db.session.scalars(stmt.order_by(done.c.user_id)))
    return owed
