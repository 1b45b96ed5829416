"""Signals sent by the organisation area inside the writer's transaction (receivers only flush).

- ``staff_changed(sender=None, users=[…])`` (users or their ids): people were created, moved
  (posting, transfer, reorganisation, placement), had their category or position changed, or
  were deactivated. Sent by :func:`lms.org.operations.announce_staff_changes` from
  ``create_person``, ``deactivate_person``/``deactivate_people``, the roster import (once per
  file), ``merge_unit``, ``split_unit``, ``place_person`` and ``apply_mapping`` (once per reform),
  and by :func:`lms.auth.operations.deactivate_account`. Training targets recompute those
  people's membership and status (:func:`lms.targets.operations.refresh_people`), or rebuild
  every active target when more than 500 people changed at once.
"""

from blinker import Namespace

_signals = Namespace()

staff_changed = _signals.signal("staff-changed")
