"""Fill the English catalogue from a Python dict of translations (a maintainer's tool).

Usage: python tools/translate_en.py TRANSLATIONS.py — the file defines ``T = {vi: en}``.
Entries already translated are kept (fuzzy guesses from ``pybabel update`` are replaced);
the script reports what is still untranslated or fuzzy.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "lms" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def main(path: str) -> None:
    table = runpy.run_path(path)["T"]
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        needed = not message.string or message.fuzzy
        if message.id and needed and isinstance(message.id, str) and message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=120)
    print(f"{len(missing)} untranslated", *missing, sep="\n  ")


if __name__ == "__main__":
    main(sys.argv[1])
