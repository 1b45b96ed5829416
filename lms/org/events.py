"""Signals sent by the organisation area inside the writer's transaction (receivers only flush).

- ``staff_changed(sender=None, users=[…])``: people were created, moved (posting, transfer,
  reorganisation), had their category or position changed, or were deactivated. Training
  targets recompute those people's membership and status (:func:`lms.targets.operations.refresh_person`).
"""

from blinker import Namespace

_signals = Namespace()

staff_changed = _signals.signal("staff-changed")
