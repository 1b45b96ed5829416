"""Benchmark: read_roster on a 100,000-row roster as CSV and as XLSX.

Usage::

    .venv/bin/python bench/roster_files.py [-n 100000]

The files are generated into a temporary folder; each is then read in a fresh child
process, so that its peak RSS (``resource.getrusage``) is the reader's alone. Times
are given in wall-clock and in CPU seconds (robust against other load on the machine).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
      "Hồ", "Ngô", "Dương", "Lý", "Mai", "Trịnh", "Lương", "Đinh"]
DEM = ["Văn", "Thị", "Đức", "Hữu", "Ngọc", "Minh", "Thanh", "Quang", "Thu", "Xuân", "Thị Thu", "Văn Đức"]
TEN = ["An", "Anh", "Ánh", "Bình", "Bích", "Cường", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hòa",
       "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn",
       "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến", "Ước"]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Trưởng phòng", "Phó trưởng phòng", "Kế toán", "Văn thư"]
CATEGORIES = ["Cán bộ", "Công chức", "Viên chức", "HĐ 68"]
FILE_NAMES = ("roster.csv", "roster-excel.xlsx", "roster-openpyxl.xlsx")
TITLE = "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
HEADER = ["STT", "Số hiệu", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Mã đơn vị", "Tên đơn vị",
          "Email", "Điện thoại", "Phân loại"]


def person(number: int, rng: random.Random) -> list:
    """One realistic roster row; the date of birth stays a ``date`` for XLSX."""
    ho, dem, ten = rng.choice(HO), rng.choice(DEM), rng.choice(TEN)
    unit = rng.randrange(14000, 15000)
    return [
        number, f"{number:07d}", f"{ho} {dem} {ten}",
        date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40)),
        "Nữ" if "Thị" in dem else "Nam", rng.choice(POSITIONS), str(unit), f"UBND xã số {unit}",
        f"cb{number}@thanhhoa.gov.vn", f"09{rng.randrange(10**8):08d}", rng.choice(CATEGORIES),
    ]


def write_files(folder: Path, rows: int) -> None:
    """Write the same roster as CSV (UTF-8 with BOM) and twice as XLSX, below a title row.

    Excel stores text in a shared-strings table; openpyxl writes every text cell
    inline, which openpyxl also reads about twice as slowly. Both are measured.
    """
    rng = random.Random(1)
    table = [[TITLE], HEADER, *(person(number, rng) for number in range(1, rows + 1))]
    paths = [folder / name for name in FILE_NAMES]
    with paths[0].open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([value.strftime("%d/%m/%Y") if isinstance(value, date) else value
                                      for value in row] for row in table)
    write_excel_style(paths[1], table)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for row in table:
        sheet.append(row)
    workbook.save(paths[2])


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" Target="xl/workbook.xml" '
        f'Type="{_REL_NS}/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
        '<sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    # Style 1 is the built-in date format 14 (d/m/yyyy under a Vietnamese locale).
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Times New Roman"/>'
        '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    ),
}


def write_excel_style(path: Path, table: list[list]) -> None:
    """Write an XLSX laid out as Excel saves one: shared strings and a dimension."""
    strings: dict[str, int] = {}
    lines = [f'<worksheet xmlns="{_MAIN_NS}"><dimension ref="A1:K{len(table)}"/><sheetData>']
    for number, row in enumerate(table, start=1):
        cells = "".join(_excel_cell(value, strings) for value in row)
        lines.append(f'<row r="{number}">{cells}</row>')
    lines.append("</sheetData></worksheet>")
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, xml)
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN_NS}" uniqueCount="{len(strings)}">{items}</sst>')
        archive.writestr("xl/worksheets/sheet1.xml", "".join(lines))


def _excel_cell(value: object, strings: dict[str, int]) -> str:
    if isinstance(value, date):
        return f'<c s="1"><v>{(value - date(1899, 12, 30)).days}</v></c>'
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    return f'<c t="s"><v>{strings.setdefault(value, len(strings))}</v></c>'


def read_and_report(path: str) -> None:
    """Child process: time read_roster on one file and print the figures."""
    from lms.org.roster_file import read_roster

    wall, cpu = time.perf_counter(), time.process_time()
    result = read_roster(path, Path(path).name)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{Path(path).name:>20}: {len(result.rows):,} rows, {len(result.errors)} errors, "
          f"{wall:.1f} s ({cpu:.1f} s CPU), {len(result.rows) / wall:,.0f} rows/s, peak RSS {peak_mb:.0f} MB")


def main() -> None:
    """Generate the files in one child process, then read each in another.

    Children, because Linux carries a process's peak RSS over into the program it
    executes: a reader forked from the generator would report the generator's peak.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="rows in the roster")
    parser.add_argument("--write", help=argparse.SUPPRESS)
    parser.add_argument("--read", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.write:
        started = time.perf_counter()
        write_files(Path(arguments.write), arguments.n)
        seconds = time.perf_counter() - started
        print(f"generated {arguments.n:,} rows as CSV and XLSX (Excel-style and openpyxl-written) in {seconds:.1f} s")
    elif arguments.read:
        read_and_report(arguments.read)
    else:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([sys.executable, __file__, "-n", str(arguments.n), "--write", folder], check=True)
            for name in FILE_NAMES:
                subprocess.run([sys.executable, __file__, "--read", str(Path(folder) / name)], check=True)


if __name__ == "__main__":
    main()
