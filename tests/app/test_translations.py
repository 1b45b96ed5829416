"""Every Vietnamese string of the interface has an English translation (no fuzzy guesses)."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "lms"), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_english_catalogue_translates_every_message():
    with (ROOT / "lms/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(_source_messages() - translated)
    assert missing == [], f"run `make extract-messages` and translate: {missing[:20]}"
