"""Vietnamese text helpers: normalisation, search keys, name sorting and splitting.

Every string the application stores goes through :func:`nfc` (or :func:`clean_text`),
because the same Vietnamese letter can arrive precomposed (NFC, what most keyboards
type) or decomposed (NFD, what macOS and some Excel exports produce); without that,
``"Hòa" != "Hòa"`` and searches silently miss people.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters pasted from web pages and Word survive strip() and split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Tone marks as they appear after NFD, in the order used by the standard Vietnamese
# dictionary (Hoàng Phê, Từ điển tiếng Việt) and by the Unicode CLDR collation for
# ``vi``: ngang (none), huyền, hỏi, ngã, sắc, nặng.
TONE_ORDER = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_RANK = {mark: rank for rank, mark in enumerate(TONE_ORDER) if mark}

# Vietnamese letter order; f, j, w, z (loan words, foreign names) sit where ASCII puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

# Ranks double as characters of name_sort_string(): only [0-9a-z], whose relative order
# is the same under byte ("C") and the usual locale collations. "0" ends a field, "1"
# separates words inside a name part, letters take "2".."y", anything else "z".
_RANK_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_WORD_SEPARATOR = 1
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET, start=2)}
_OTHER = len(_RANK_CHARS) - 1


def nfc(value: str | None) -> str | None:
    """Return ``value`` NFC-normalised and stripped; ``None`` stays ``None``.

    :param value: any text, possibly decomposed (NFD) or padded with spaces
    """
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).strip()


def clean_text(value: str | None) -> str | None:
    """Like :func:`nfc`, and also collapse internal runs of whitespace to one space.

    Non-breaking spaces count as whitespace; zero-width characters are removed.

    :param value: any text; ``None`` stays ``None``
    """
    if value is None:
        return None
    text = str(value)
    if not text.isascii():  # ASCII is already NFC and has no invisible characters
        text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return " ".join(text.split())


def search_key(value: str | None) -> str:
    """Return a diacritic- and case-insensitive key for searching.

    ``"Nguyễn Thị Hoà"``, ``"Nguyễn Thị Hòa"`` and ``"nguyen thi hoa"`` share the key
    ``"nguyen thi hoa"``: every combining mark is dropped (so old and new tone
    placement agree), đ becomes d, and whitespace is collapsed.

    :param value: any text; ``None`` gives ``""``
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").lower().split())


def search_words(key: str) -> list[str]:
    """The distinct words of a search key, in order: what a name search matches word by word.

    Punctuation separates words (``"o'neil"`` gives ``o`` and ``neil``).

    :param key: a :func:`search_key` result
    """
    return list(dict.fromkeys(re.findall(r"\w+", key)))


@lru_cache(maxsize=4096)
def _letter_and_tone(char: str) -> tuple[int, int]:
    """Rank of the letter carried by a lowercase character, and rank of its tone."""
    if char.isspace():
        return _WORD_SEPARATOR, 0
    decomposed = unicodedata.normalize("NFD", char)
    tone = max((_TONE_RANK.get(mark, 0) for mark in decomposed[1:]), default=0)
    letter = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONE_RANK))
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter], tone
    # Foreign letters (ç, ö, é in a French name) sort as their base letter.
    return _LETTER_RANK.get(decomposed[0], _OTHER), tone


def _part_key(part: str | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Letters and tones of one name part, both as rank tuples of equal length."""
    letters: list[int] = []
    tones: list[int] = []
    for char in (clean_text(part) or "").lower():
        if unicodedata.combining(char):
            # A stray combining tone NFC could not attach still marks the previous letter.
            if letters and char in _TONE_RANK:
                tones[-1] = max(tones[-1], _TONE_RANK[char])
            continue
        if not char.isalnum() and not char.isspace():
            continue  # punctuation inside names (hyphens, dots) does not affect order
        letter, tone = _letter_and_tone(char)
        letters.append(letter)
        tones.append(tone)
    return tuple(letters), tuple(tones)


def name_sort_key(ho: str | None, ten_dem: str | None, ten: str | None) -> tuple:
    """Return a key for :func:`sorted` that orders people the Vietnamese way.

    People are ordered by tên, then tên đệm, then họ. Inside each part the letters of
    the whole part are compared first, in the order of :data:`ALPHABET`
    (``a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z``), and only
    when they are all equal are the tones compared, letter by letter, in the order
    of :data:`TONE_ORDER`: ngang, huyền, hỏi, ngã, sắc, nặng. Case is ignored.

    Tones are a tie-breaker rather than part of each letter because that is how
    Vietnamese dictionaries and the CLDR ``vi`` collation work: ``An < Án < Anh``
    (``Anh`` is a different word, so it comes after every tone of ``an``), whereas
    ranking tones per letter would put ``Anh`` between ``An`` and ``Án``.

    The key agrees with :func:`name_sort_string`, which databases sort by.

    :param ho: family name (họ)
    :param ten_dem: middle name(s) (tên đệm), may be empty
    :param ten: given name (tên)
    """
    return (*_part_key(ten), *_part_key(ten_dem), *_part_key(ho))


def name_sort_string(ho: str | None, ten_dem: str | None, ten: str | None) -> str:
    """Return an ASCII string whose plain string order equals :func:`name_sort_key`.

    Stored in a column so that ``ORDER BY`` gives Vietnamese order. It uses only the
    characters ``0-9a-z`` and is at most ``2 * len(ho + ten_dem + ten) + 5`` long.

    :param ho: family name (họ)
    :param ten_dem: middle name(s) (tên đệm), may be empty
    :param ten: given name (tên)
    """
    fields = name_sort_key(ho, ten_dem, ten)
    # Letter fields hold ranks 1..35; tone fields hold 0..5 and are shifted by one so
    # that the field terminator "0" stays below every character of every field.
    encoded = (
        "".join(_RANK_CHARS[rank + (index % 2)] for rank in field)
        for index, field in enumerate(fields)
    )
    return "0".join(encoded)


def split_full_name(full: str | None) -> tuple[str, str, str]:
    """Split a full name into ``(ho, ten_dem, ten)``.

    The first word is họ, the last word is tên, the words between are tên đệm; a
    one-word name is only a tên and a two-word name has no tên đệm. Compound surnames
    (``Tôn Nữ``, ``Nguyễn Phước``) are not guessed: their second word lands in tên đệm.

    :param full: the full name; NFC-normalised and whitespace-cleaned here
    """
    words = (clean_text(full) or "").split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def full_name(ho: str | None, ten_dem: str | None, ten: str | None) -> str:
    """Join the name parts, skipping empty ones, as Vietnamese writes them.

    :param ho: family name (họ)
    :param ten_dem: middle name(s) (tên đệm), may be empty
    :param ten: given name (tên)
    """
    return " ".join(part for part in map(clean_text, (ho, ten_dem, ten)) if part)
