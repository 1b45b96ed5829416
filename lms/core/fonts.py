"""The Liberation Serif family for reportlab, embedded as TrueType subsets built once.

The PDF base-14 fonts cannot encode Vietnamese, so every document embeds Liberation Serif
(shipped with its licence in ``lms/static/fonts``). reportlab rebuilds, recompresses and
reformats each face's subset for every PDF; the classes here keep each distinct subset, so a
bundle of certificates pays for it once. The bytes written are the ones reportlab would write.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_FAMILY = "LiberationSerif"
FONT_REGULAR = "LiberationSerif"
FONT_BOLD = "LiberationSerif-Bold"
FONT_ITALIC = "LiberationSerif-Italic"
FONT_BOLD_ITALIC = "LiberationSerif-BoldItalic"

_FONT_FILES = {
    FONT_REGULAR: "LiberationSerif-Regular.ttf",
    FONT_BOLD: "LiberationSerif-Bold.ttf",
    FONT_ITALIC: "LiberationSerif-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}

# Font subsets kept per face: a few MB in all (an entry is ~25 KB raw plus
# ~15 KB compressed); certificates of one course or unit share most subsets.
_SUBSET_CACHE_SIZE = 64


def register_fonts() -> None:
    """Register the Liberation Serif family with reportlab (idempotent).

    After this call ``canvas.setFont(FONT_BOLD, ...)`` works, and the family
    name maps ``<b>``/``<i>`` in Platypus paragraphs to the right faces.
    It also switches off reportlab's ASCII85 stream encoding, process-wide:
    in pure Python it costs about a fifth of a certificate's render time and
    makes streams 25 % larger, for 7-bit safety no PDF consumer needs.
    """
    rl_config.useA85 = 0
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(_SubsetCachingTTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        FONT_FAMILY,
        normal=FONT_REGULAR,
        bold=FONT_BOLD,
        italic=FONT_ITALIC,
        boldItalic=FONT_BOLD_ITALIC,
    )


class _PrecompressedFlate:
    """A stream filter for content that is already zlib-compressed."""

    pdfname = "FlateDecode"

    @staticmethod
    def encode(content: bytes) -> bytes:
        return content


class _SubsetCachingFace(TTFontFace):
    """A TrueType face that builds each distinct subset (and compresses it) once.

    reportlab subsets and compresses every face anew for every PDF, ~2 ms a
    face.  A subset is ASCII plus the other characters in order of first use,
    so certificates of one course, unit or issue day repeat most of them.
    The bytes written are the ones reportlab would write.
    """

    def makeSubset(self, subset):
        """Return the subset font file, from the cache."""
        return self._cached_subset(tuple(subset))[0]

    def addSubsetObjects(self, doc, fontname, subset):
        """Add the font objects as reportlab does, with the stream compressed once."""
        descriptor = super().addSubsetObjects(doc, fontname, subset)
        if doc.compression:
            stream = doc.idToObject[f"fontFile:{self.filename}({fontname})"]
            stream.content = self._cached_subset(tuple(subset))[1]
            stream.filters = [_PrecompressedFlate]
        return descriptor

    @lru_cache(maxsize=_SUBSET_CACHE_SIZE * len(_FONT_FILES))
    def _cached_subset(self, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
        raw = super().makeSubset(list(subset))
        return raw, zlib.compress(raw)


class _WidthsArray(pdfdoc.PDFArray):
    """A font's /Widths, formatted once per distinct list of widths.

    reportlab formats each of a subset's ~150 widths with its pure-Python
    number formatter: a tenth of a certificate's render time.
    """

    def format(self, document, IND=b"\n "):
        """The bytes reportlab would write: integers do not depend on the document."""
        return _formatted_widths(tuple(self.sequence))


@lru_cache(maxsize=_SUBSET_CACHE_SIZE * len(_FONT_FILES))
def _formatted_widths(widths: tuple[int, ...]) -> bytes:
    return pdfdoc.PDFArray(widths).format(None)


class _SubsetCachingTTFont(TTFont):
    """reportlab's TTFont with a :class:`_SubsetCachingFace` and cached /Widths."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        # The face is built inside TTFont.__init__ with no hook; its subclass
        # adds only methods, so the parsed face is reused as is.
        self.face.__class__ = _SubsetCachingFace

    def addObjects(self, doc):
        """Add the font objects as reportlab does, then swap in cached /Widths."""
        subsets = len(self.state[doc].subsets) if doc in self.state else 0
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(subsets)]
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            fonts[name].Widths = _WidthsArray(fonts[name].Widths.sequence)
