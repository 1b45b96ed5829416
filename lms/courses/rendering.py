"""Lesson and question text to safe HTML: markdown-it-py, then the nh3 sanitiser.

Learners see exactly this output, and the authoring preview uses the same function, so
what a trainer previews is what a learner gets. Links to ``media/<file>`` are rewritten
to the course's media URL; scripts, event handlers and ``javascript:`` URLs never pass.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import lru_cache
from html import escape

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")
_TAGS = set(nh3.ALLOWED_TAGS) | {"video", "source", "audio"}
_ATTRIBUTES = deepcopy(nh3.ALLOWED_ATTRIBUTES)
_ATTRIBUTES.update(
    {
        "img": {"alt", "src", "width", "height", "title"},
        "a": {"href", "title"},
        "video": {"src", "controls", "width", "height", "poster", "preload"},
        "audio": {"src", "controls", "preload"},
        "source": {"src", "type"},
        "th": {"scope", "colspan", "rowspan", "align"},
        "td": {"colspan", "rowspan", "align"},
    }
)
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_MEDIA_ATTRIBUTES = {("img", "src"), ("a", "href"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("source", "src")}


def sanitise(html: str, media_url: Callable[[str], str] | None = None) -> str:
    """Keep only safe markup; rewrite ``media/…`` references with ``media_url``.

    :param html: untrusted HTML
    :param media_url: maps a media file name to its URL (``None``: leave links as they are)
    """

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if media_url and (tag, attribute) in _MEDIA_ATTRIBUTES and value.startswith("media/"):
            return media_url(value.removeprefix("media/"))
        return value

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        attribute_filter=rewrite,
        link_rel="noopener noreferrer",
    )


@lru_cache(maxsize=512)
def _render_markdown_cached(text: str, media_prefix: str) -> str:
    return sanitise(_MARKDOWN.render(text), lambda name: media_prefix + name)


def render_markdown(text: str, media_prefix: str = "") -> str:
    """Markdown (CommonMark + tables) to sanitised HTML.

    :param text: the Markdown source
    :param media_prefix: URL prefix that replaces ``media/`` in links and images
    """
    return _render_markdown_cached(text, media_prefix)


def render_question_text(text: str, text_format: str, media_prefix: str = "") -> str:
    """A question's text (or feedback) in its GIFT format, as sanitised HTML.

    :param text: the text
    :param text_format: ``markdown``, ``html``, ``moodle`` (HTML with line breaks) or ``plain``
    :param media_prefix: URL prefix that replaces ``media/``
    """
    if text_format == "markdown":
        return render_markdown(text, media_prefix)
    if text_format == "plain":
        return escape(text).replace("\n", "<br>")
    html = text.replace("\n", "<br>") if text_format == "moodle" else text
    return sanitise(html, lambda name: media_prefix + name)
