"""The targets fixtures serve the report tests too."""

from tests.targets.conftest import complete, make_course, make_target, start, tree  # noqa: F401
