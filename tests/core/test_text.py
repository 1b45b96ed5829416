"""Vietnamese normalisation, search keys, name order and name splitting."""

import random
import unicodedata

import pytest

from lms.core.text import clean_text, full_name, name_sort_key, name_sort_string, nfc, search_key, split_full_name


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfc_composes_and_strips():
    assert nfc(nfd("  Nguyễn Thị Hòa ")) == "Nguyễn Thị Hòa"
    assert nfc(None) is None
    assert nfc("") == ""


def test_clean_text_collapses_whitespace_and_drops_invisible_characters():
    assert clean_text(" Lê\u00a0 Văn\t\tAn\u200b ") == "Lê Văn An"
    assert clean_text(nfd("Đỗ   Thị  Bích")) == "Đỗ Thị Bích"
    assert clean_text(None) is None


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn An", "NGUYỄN VĂN AN", nfd("Nguyễn Văn An"), "nguyen  van an", "Nguyen Van An"],
)
def test_search_key_ignores_diacritics_case_and_spacing(text):
    assert search_key(text) == "nguyen van an"


def test_search_key_folds_old_and_new_tone_placement():
    assert search_key("Thanh Hoá") == search_key("Thanh Hóa") == "thanh hoa"
    assert search_key("Nguyễn Thị Hoà") == search_key("Nguyễn Thị Hòa") == "nguyen thi hoa"


def test_search_key_of_nfd_input_equals_that_of_nfc_input():
    for name in ["Đặng Thị Ngọc Ánh", "Trịnh Xuân Ước", "Phùng Thị Hường", "Lưu Quang Vũ"]:
        assert search_key(nfd(name)) == search_key(name)
    assert search_key("Đinh Đức") == "dinh duc"
    assert search_key(None) == ""


def sort_by_key(names):
    return sorted(names, key=lambda name: name_sort_key(*split_full_name(name)))


def sort_by_string(names):
    return sorted(names, key=lambda name: name_sort_string(*split_full_name(name)))


def test_names_sort_by_ten_then_ten_dem_then_ho_in_dictionary_order():
    expected = [
        "Trần Thị An",
        "Lê Văn Anh",
        "Nguyễn Văn Ánh",
        "Phạm Thị Ân",
        "Đỗ Thị Bích",
        "Hoàng Đức Bình",
        "Trần Văn Dung",
        "Vũ Văn Dũng",
        "Ngô Thị Đào",
        "Bùi Thị Hà",
        "Lê Thị Hằng",
        "Đinh Thị Hân",
        "Lê Văn Hùng",
        "Trương Văn Hưng",
        "Lý Thị Yến",
    ]
    shuffled = random.Random(7).sample(expected, len(expected))
    assert sort_by_key(shuffled) == expected
    assert sort_by_string(shuffled) == expected


def test_same_ten_sorts_by_ten_dem_then_ho():
    expected = ["Trần Thị An", "Lê Văn An", "Nguyễn Văn An", "Lê Văn Minh An"]
    assert sort_by_key(reversed(expected)) == expected
    assert sort_by_string(reversed(expected)) == expected


def test_tones_break_ties_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    expected = ["Lê Thị Ha", "Lê Thị Hà", "Lê Thị Hả", "Lê Thị Hã", "Lê Thị Há", "Lê Thị Hạ"]
    assert sort_by_key(reversed(expected)) == expected
    assert sort_by_string(reversed(expected)) == expected


def test_base_letters_of_the_whole_word_come_before_tones():
    expected = ["Lê Văn An", "Lê Văn Án", "Lê Văn Anh", "Lê Văn Ánh", "Lê Văn Ăn", "Lê Văn Ân"]
    assert sort_by_key(reversed(expected)) == expected
    assert sort_by_string(reversed(expected)) == expected


def test_order_ignores_case_and_normal_form():
    assert name_sort_key("NGUYỄN", "VĂN", "ÁNH") == name_sort_key("nguyễn", "văn", "ánh")
    assert name_sort_string(nfd("Nguyễn"), nfd("Văn"), nfd("Ánh")) == name_sort_string("Nguyễn", "Văn", "Ánh")


def test_foreign_letters_sit_where_ascii_puts_them():
    expected = ["Phan Văn Em", "Trần Fanny", "Lê Văn Giang", "Lê Văn Ích", "Trần Jenny", "Lê Văn Kha"]
    assert sort_by_key(reversed(expected)) == expected
    assert sort_by_string(reversed(expected)) == expected


def test_sort_string_is_ascii_digits_and_lowercase_letters_only():
    key = name_sort_string("Nguyễn", "Thị Ngọc", "Ánh")
    assert key.isascii() and key.isalnum() and key == key.lower()
    assert len(key) <= 2 * len("NguyễnThị NgọcÁnh") + 5


HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Đỗ", "Vũ", "Võ", "Bùi", "Ưng", "Âu", "Ông"]
DEM = ["", "Văn", "Thị", "Đức", "Hữu", "Thị Ngọc", "Văn Đức", "Thu", "Xuân", "Quang", "Tôn Nữ"]
TEN = ["An", "Án", "Anh", "Ánh", "Ân", "Ấn", "Ăn", "Bình", "Bích", "Dung", "Dũng", "Đào", "Hà", "Hạ",
       "Hả", "Hằng", "Hân", "Hoà", "Hòa", "Hoa", "Ước", "Uyên", "Yến", "Ý", "Y", "Zin", "Fan", "Wu"]


def generated_names(count: int) -> list[tuple[str, str, str]]:
    rng = random.Random(2024)
    names = []
    for _ in range(count):
        parts = [rng.choice(HO), rng.choice(DEM), rng.choice(TEN)]
        if rng.random() < 0.2:
            parts = [part.upper() for part in parts]
        if rng.random() < 0.2:
            parts = [nfd(part) for part in parts]
        names.append(tuple(parts))
    return names


def test_tuple_key_and_sort_string_agree_on_generated_names():
    names = generated_names(400)
    by_key = sorted(names, key=lambda name: name_sort_key(*name))
    by_string = sorted(names, key=lambda name: name_sort_string(*name))
    assert by_key == by_string


def test_tuple_key_and_sort_string_agree_pairwise():
    names = generated_names(250)

    def sign(a, b):
        return (a > b) - (a < b)

    for first in names:
        for second in names:
            assert sign(name_sort_key(*first), name_sort_key(*second)) == sign(
                name_sort_string(*first), name_sort_string(*second)
            ), (first, second)


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Tôn Nữ Thị Ngọc Hà", ("Tôn", "Nữ Thị Ngọc", "Hà")),
        ("Lê Anh", ("Lê", "", "Anh")),
        ("Ánh", ("", "", "Ánh")),
        ("  Đỗ \u00a0 Thị   Bích ", ("Đỗ", "Thị", "Bích")),
        (nfd("Phạm Thị Ân"), ("Phạm", "Thị", "Ân")),
        ("", ("", "", "")),
        (None, ("", "", "")),
    ],
)
def test_split_full_name(full, parts):
    assert split_full_name(full) == parts


def test_full_name_skips_empty_parts():
    assert full_name("Lê", "", "Anh") == "Lê Anh"
    assert full_name(" Nguyễn ", "Văn  Đức", nfd("Ánh")) == "Nguyễn Văn Đức Ánh"
    assert full_name(None, None, "Ánh") == "Ánh"
