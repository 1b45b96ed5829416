"""Verification codes: 130 random bits written as 26 Crockford base32 characters.

Crockford's alphabet has no I, L, O or U, so a code read off paper and typed back
cannot be mistyped into another; on input I and L read as 1, O as 0, and dashes,
spaces and case are ignored.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26  # 26 × 5 = 130 bits
GROUPS = (4, 4, 4, 4, 5, 5)
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-–—._]+")


def new_code() -> str:
    """A fresh code from the operating system's CSPRNG."""
    value = secrets.randbits(5 * LENGTH)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(LENGTH))


def display(code: str) -> str:
    """``code`` in groups for reading and typing, e.g. ``7K3M-9QXD-2PWA-…``."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start:start + size])
        start += size
    return "-".join(parts)


def normalise(typed: str | None) -> str | None:
    """The code as stored, from what a person typed; ``None`` if it cannot be a code."""
    code = _SEPARATORS.sub("", typed or "").upper().translate(_READ_AS)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code
