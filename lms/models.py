"""Imports every model so that metadata (Alembic, the mappers) sees the whole schema."""

from lms.admin.models import AuditEvent  # noqa: F401
from lms.auth.models import RecoveryCode, RoleGrant, User, UserNameWord  # noqa: F401
from lms.org.models import OneTimePassword, OrgUnit, PendingPlacement, Posting, UnitSuccession  # noqa: F401
from lms.courses.models import Course, CourseMedia, Lesson, Question  # noqa: F401
from lms.authoring.models import CourseDraft, CourseStaff, DraftMedia  # noqa: F401
from lms.learning.models import CourseCompletion, Enrollment, LessonProgress  # noqa: F401
from lms.certificates.models import Certificate, CertificateCounter, Job  # noqa: F401
from lms.quizzes.models import Attempt, AttemptQuestion  # noqa: F401
from lms.targets.models import TargetCount, TargetExclusion, TargetMember, TargetReminder, TrainingTarget  # noqa: F401
