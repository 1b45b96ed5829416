"""Detect and convert the 8-bit Vietnamese encodings of old HR files.

Before Unicode, Vietnamese offices typed with font-based encodings: **TCVN3** (the ABC
standard, TCVN 5712:1993 VN3, fonts ``.VnTime``/``.VnArial``) and **VNI** (fonts
``VNI-Times``...). The bytes are ordinary Windows-1252 text with a special font, so a
CSV saved by old Excel, or an XLSX cell typed in such a font, reads as mojibake like
``Ng« V¨n Hïng`` or ``Nguyeãn Vaên Huøng``. This module works on that Windows-1252 /
Latin-1 view of the text.

Tables are checked against the TCVN 5712 table of X-TrueType (``TCVNtoUCS2.c``) and
the VNI table of the xvnkb keyboard (``vni.h``).

Limitations:

* TCVN3 has codes for the capitals Ă Â Ê Ô Ơ Ư Đ only; a capital vowel with a tone
  was typed with the same code as the small one and shown capital by the all-caps
  ``.VnTimeH`` font. :func:`to_unicode` capitalises such letters inside capital
  words (``NGUYÔN`` becomes ``NGUYỄN``) and in text all in capitals, but cannot know
  that a lone ``¸nh`` was meant as ``Ánh`` (see :func:`restore_tcvn3_name_case`),
  nor that a whole cell was shown in ``.VnTimeH``.
* The capitals of TCVN 5712 VN1 (0x80-0x9F and control codes) are not decoded: the
  ``.VnTime`` fonts used in offices are VN3 and never produce them.
"""

from __future__ import annotations

import re
import string
import unicodedata

TCVN3 = "tcvn3"
VNI = "vni"

# One row per vowel: the Unicode letters with tones in the order none, huyền, hỏi,
# ngã, sắc, nặng, and the matching codes.
_TCVN3_ROWS = {
    "aàảãáạ": b"a\xb5\xb6\xb7\xb8\xb9",
    "ăằẳẵắặ": b"\xa8\xbb\xbc\xbd\xbe\xc6",
    "âầẩẫấậ": b"\xa9\xc7\xc8\xc9\xca\xcb",
    "eèẻẽéẹ": b"e\xcc\xce\xcf\xd0\xd1",
    "êềểễếệ": b"\xaa\xd2\xd3\xd4\xd5\xd6",
    "iìỉĩíị": b"i\xd7\xd8\xdc\xdd\xde",
    "oòỏõóọ": b"o\xdf\xe1\xe2\xe3\xe4",
    "ôồổỗốộ": b"\xab\xe5\xe6\xe7\xe8\xe9",
    "ơờởỡớợ": b"\xac\xea\xeb\xec\xed\xee",
    "uùủũúụ": b"u\xef\xf1\xf2\xf3\xf4",
    "ưừửữứự": b"\xad\xf5\xf6\xf7\xf8\xf9",
    "yỳỷỹýỵ": b"y\xfa\xfb\xfc\xfd\xfe",
    "đ": b"\xae",
    "ĂÂÊÔƠƯĐ": b"\xa1\xa2\xa3\xa4\xa5\xa6\xa7",
}

# VNI writes a base letter followed by modifier characters; ơ ư đ and the toned i, ỵ
# have single codes. Capitals use the same sequences in upper case.
_VNI_ROWS = {
    "aàảãáạ": ("a", "aø", "aû", "aõ", "aù", "aï"),
    "ăằẳẵắặ": ("aê", "aè", "aú", "aü", "aé", "aë"),
    "âầẩẫấậ": ("aâ", "aà", "aå", "aã", "aá", "aä"),
    "eèẻẽéẹ": ("e", "eø", "eû", "eõ", "eù", "eï"),
    "êềểễếệ": ("eâ", "eà", "eå", "eã", "eá", "eä"),
    "iìỉĩíị": ("i", "ì", "æ", "ó", "í", "ò"),
    "oòỏõóọ": ("o", "oø", "oû", "oõ", "où", "oï"),
    "ôồổỗốộ": ("oâ", "oà", "oå", "oã", "oá", "oä"),
    "ơờởỡớợ": ("ô", "ôø", "ôû", "ôõ", "ôù", "ôï"),
    "uùủũúụ": ("u", "uø", "uû", "uõ", "uù", "uï"),
    "ưừửữứự": ("ö", "öø", "öû", "öõ", "öù", "öï"),
    "yỳỷỹýỵ": ("y", "yø", "yû", "yõ", "yù", "î"),
    "đ": ("ñ",),
}


def _tcvn3_encoder() -> dict[str, str]:
    """Unicode letter to TCVN3 character; capitals without a code share the small one."""
    table = {}
    for letters, codes in _TCVN3_ROWS.items():
        for letter, code in zip(letters, codes.decode("latin-1")):
            table[letter] = code
            table.setdefault(letter.upper(), code.upper() if code.isascii() else code)
    return table


def _vni_encoder() -> dict[str, str]:
    """Unicode letter (small and capital) to its VNI sequence."""
    table = {}
    for letters, sequences in _VNI_ROWS.items():
        for letter, sequence in zip(letters, sequences):
            table[letter] = sequence
            table[letter.upper()] = sequence.upper()
    return table


def _tcvn3_decoder(encoder: dict[str, str]) -> dict[int, str]:
    """TCVN3 code point to Unicode letter, for :meth:`str.translate`."""
    table = {ord(code): letter for letter, code in encoder.items() if letter.islower() and not code.isascii()}
    table.update((ord(encoder[letter]), letter) for letter in "ĂÂÊÔƠƯĐ")
    return table


_TCVN3_ENCODE = _tcvn3_encoder()
_VNI_ENCODE = _vni_encoder()
_TCVN3_DECODE = _tcvn3_decoder(_TCVN3_ENCODE)
# Codes of small letters: the all-capital .VnTimeH font showed them as capitals.
_TCVN3_CASELESS = frozenset(chr(code) for code, letter in _TCVN3_DECODE.items() if letter.islower())
# Decoding that drops the caseless codes, to see the case of the rest of a word.
_TCVN3_DECODE_CASED = {**_TCVN3_DECODE, **dict.fromkeys(map(ord, _TCVN3_CASELESS))}
_TCVN3_TONED_SMALL = frozenset(_TCVN3_DECODE[ord(code)] for code in _TCVN3_CASELESS) - set("ăâêôơưđ")


def _vni_decoder() -> dict[str, str]:
    """VNI sequence to Unicode letter, accepting a modifier of either case."""
    table = {}
    for letter, sequence in _VNI_ENCODE.items():
        if sequence == letter:
            continue
        table[sequence] = letter
        if len(sequence) == 2:
            table[sequence[0] + sequence[1].swapcase()] = letter
    return table


_VNI_DECODE = _vni_decoder()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)))
# The characters above ASCII each encoding can produce; any other one rules it out.
_PRODUCES = {
    encoding: frozenset("".join(table.values())) - frozenset(string.ascii_letters)
    for encoding, table in ((TCVN3, _TCVN3_ENCODE), (VNI, _VNI_ENCODE))
}

# A "word" for conversion: legacy codes include symbols (¸ · « ¬), so split only on
# whitespace and ASCII punctuation.
_WORD = re.compile(r"[^\s!-/:-@\[-`{-~]+")
# Text holding a character that no legacy view can produce is already real Unicode.
_NOT_LEGACY = re.compile(r"[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")
_LEGACY_CANDIDATE = re.compile(r"[\xa1-\xff]")


def from_unicode(text: str, encoding: str) -> str:
    """Encode Unicode text into the Windows-1252 view of a legacy encoding.

    Used to build test data and to check the tables by round trip. TCVN3 loses the
    case of capital toned vowels (see the module notes).

    :param text: Unicode text (any normal form)
    :param encoding: :data:`TCVN3` or :data:`VNI`
    """
    table = {TCVN3: _TCVN3_ENCODE, VNI: _VNI_ENCODE}.get(encoding)
    if table is None:
        raise ValueError(f"unknown legacy encoding: {encoding}")
    return "".join(table.get(char, char) for char in unicodedata.normalize("NFC", text))


def to_unicode(text: str, encoding: str) -> str:
    """Convert the Windows-1252 view of TCVN3 or VNI text to Unicode (NFC).

    :param text: text as read from a CSV decoded as Windows-1252 or from an XLSX cell
    :param encoding: :data:`TCVN3` or :data:`VNI`
    """
    if encoding == TCVN3:
        shouting = _is_all_capitals(text)
        return _WORD.sub(lambda match: _tcvn3_word(match.group(), shouting), text)
    if encoding == VNI:
        return _VNI_PATTERN.sub(lambda match: _VNI_DECODE[match.group()], text)
    raise ValueError(f"unknown legacy encoding: {encoding}")


def _cased_letters(word: str) -> str:
    """The letters of a TCVN3 word whose case the codes tell."""
    return "".join(char for char in word.translate(_TCVN3_DECODE_CASED) if char.isalpha())


def _is_all_capitals(text: str) -> bool:
    """Whether every word of TCVN3 text with two or more cased letters is in capitals."""
    words = [letters for letters in map(_cased_letters, _WORD.findall(text)) if len(letters) >= 2]
    return bool(words) and all(letters.isupper() for letters in words)


def _tcvn3_word(word: str, shouting: bool) -> str:
    """Convert one TCVN3 word, capitalising caseless codes inside a capital word.

    A word is taken as capitals when two or more of its cased letters are, or when
    the whole text is in capitals: alone, ``§ç`` is far more often ``Đỗ`` than ``ĐỖ``.
    """
    converted = word.translate(_TCVN3_DECODE)
    cased = _cased_letters(word)
    if len(cased) >= 2:
        capitals = cased.isupper()
    else:
        capitals = shouting and not cased.islower()
    return converted.upper() if capitals else converted


def restore_tcvn3_name_case(name: str) -> str:
    """Capitalise the toned initial vowel that TCVN3 could only store in small form.

    For a person's name converted from TCVN3: ``Lª ThÞ ¸nh`` converts to
    ``Lê Thị ánh`` and is given back as ``Lê Thị Ánh``. A name typed all in small
    letters is left alone.

    :param name: a name already converted by :func:`to_unicode`
    """
    words = name.split(" ")
    if len(words) > 1 and not any(word[:1].isupper() for word in words):
        return name
    return " ".join(_capitalise_toned_initial(word) for word in words)


def _capitalise_toned_initial(word: str) -> str:
    """Upper-case the first letter of ``word`` when it is a vowel carrying a tone."""
    if word and word[0] in _TCVN3_TONED_SMALL:
        return word[0].upper() + word[1:]
    return word


def detect_legacy(text: str, hint: str | None = None) -> str | None:
    """Guess whether ``text`` is the Windows-1252 view of TCVN3 or VNI text.

    Each word that a conversion changes is checked against the shape of a Vietnamese
    syllable. An encoding is claimed only when its conversion yields more valid
    syllables than the text as it stands, and more valid than invalid ones; so text
    already in Unicode is never touched (anything outside Latin-1 proves it), and
    neither is ASCII or Latin-1 text such as ``Hà Tú`` that reads fine as it is. A
    character an encoding never produces rules it out (``à`` is no TCVN3 code).

    :param text: the text to examine
    :param hint: an encoding already seen elsewhere in the same file; it is accepted
        whenever converting loses no valid syllable (``Tó`` is ``Tú`` in a TCVN3 file)
    """
    if text.isascii() or not _LEGACY_CANDIDATE.search(text) or _NOT_LEGACY.search(text):
        return None
    upper_half = set(_LEGACY_CANDIDATE.findall(text))
    scores = {
        encoding: _syllable_scores(text, encoding)
        for encoding, produced in _PRODUCES.items()
        if upper_half <= produced
    }
    if hint in scores:
        before, after, invalid = scores[hint]
        if after and after >= before:
            return hint
    claims = sorted(
        ((after - before, after - invalid), encoding)
        for encoding, (before, after, invalid) in scores.items()
        if after > before and after > invalid
    )
    if not claims or (len(claims) == 2 and claims[0][0] == claims[1][0]):
        return None
    return claims[-1][1]


def _syllable_scores(text: str, encoding: str) -> tuple[int, int, int]:
    """Over the words a conversion changes: valid syllables before, after, invalid after."""
    before = after = invalid = 0
    for word in _WORD.findall(text):
        converted = to_unicode(word, encoding)
        if converted == word:
            continue
        before += is_syllable(word)
        valid = is_syllable(converted)
        after += valid
        invalid += not valid
    return before, after, invalid


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(
    "(?P<onset>ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?P<rhyme>"
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu"
    "|(?:iê|yê|uô|ươ|oa|oă|oo|uâ|[aăâeoôuư])(?:ng|c)"
    "|(?:uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uy|[aăâeêioôơuư])[mnpt]"
    "|(?:oa|uê|uy|[aêi])(?:ch|nh)"
    "|oa|oe|uê|uy|uơ|[aeêioôơuưy])"
    # after qu the u is part of the onset: quýt, quỳnh
    "|qu(?P<qu_rhyme>y(?:nh|ch|[nt]))"
)


def is_syllable(word: str) -> bool:
    """Tell whether ``word`` is shaped like one Vietnamese syllable.

    Checks the onset, the rhyme, and that at most one tone sits on a vowel that can
    carry it (``hải``, not ``haỉ``); old and new placement (``hoà``, ``hòa``) both pass.

    :param word: a single word, any case and normal form
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    toned = [index for index, char in enumerate(decomposed) if char in _TONES]
    if len(toned) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    match = _SYLLABLE.fullmatch(bare)
    if match is None or not toned:
        return match is not None
    letter = sum(not unicodedata.combining(c) for c in decomposed[: toned[0]]) - 1
    rhyme_start = match.start("rhyme") if match["rhyme"] else match.start("qu_rhyme")
    rhyme = match["rhyme"] or match["qu_rhyme"]
    vowels = rhyme.rstrip("chgmnpt")
    return letter - rhyme_start in _tone_positions(vowels, final=rhyme != vowels)


def _tone_positions(vowels: str, final: bool) -> set[int]:
    """Where in the vowel cluster of a rhyme the tone may be written."""
    if len(vowels) == 1:
        return {0}
    marked = [index for index, vowel in enumerate(vowels) if vowel in "ăâêôơư"]
    if marked:
        return {marked[-1]}
    if len(vowels) == 3 or final:
        return {1}
    return {0, 1} if vowels in ("oa", "oe", "uy") else {0}
