"""Signals between areas, sent inside the writer's transaction (receivers only flush).

- ``attempt_graded(sender=None, attempt=…)``: a quiz attempt got its final grade (sent by
  the quiz engine); the learning area re-checks the course's completion.
- ``course_completed(sender=None, completion=…)``: a learner completed a course (sent by the
  learning area); certificates and training-target rollups react to it.
"""

from blinker import Namespace

_signals = Namespace()

attempt_graded = _signals.signal("attempt-graded")
course_completed = _signals.signal("course-completed")
