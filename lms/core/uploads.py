"""What an uploaded or imported file really is, judged by its content, never its name."""

from __future__ import annotations

import re

# (content type, test on the first bytes)
_SIGNATURES = (
    ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("image/gif", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    ("video/mp4", lambda head: head[4:8] == b"ftyp"),
)
_SVG_RE = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]", re.DOTALL)
MEDIA_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "application/pdf", "video/mp4"}


def sniff_content_type(data: bytes) -> str | None:
    """The media type the bytes actually hold, among :data:`MEDIA_TYPES`, else ``None``.

    :param data: the file's content (at least its first kilobyte)
    """
    head = data[:1024]
    for content_type, matches in _SIGNATURES:
        if matches(head):
            return content_type
    if _SVG_RE.match(data[:4096]):
        return "image/svg+xml"
    return None
