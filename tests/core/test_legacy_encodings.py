"""TCVN3 (ABC) and VNI: tables, round trips and detection."""

import random
import unicodedata

import pytest

from lms.core.legacy_encodings import (
    TCVN3,
    VNI,
    detect_legacy,
    from_unicode,
    is_syllable,
    restore_tcvn3_name_case,
    to_unicode,
)

VOWELS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
ACCENTED = [letter for letter in VOWELS if letter not in "aeiouy"] + ["đ"]
CAPITAL_CODES = "ĂÂÊÔƠƯĐ"  # the only capitals TCVN3 (VN3) encodes

NAMES = [
    "Nguyễn Văn Ánh", "Trần Thị An", "Lê Văn Anh", "Phạm Thị Ân", "Hoàng Đức Bình",
    "Đỗ Thị Bích", "Vũ Văn Dũng", "Ngô Thị Đào", "Trịnh Xuân Ước", "Phùng Thị Hường",
    "Lương Thị Thuỳ Dương", "Đặng Quốc Khánh", "Bùi Thị Ngọc Huyền", "Lê Thị Quỳnh Nga",
]
PHRASES = [
    "Sở Nội vụ tỉnh Thanh Hóa", "Trường Đại học Hồng Đức", "Phòng Tổ chức cán bộ",
    "UBND huyện Thọ Xuân", "Chuyên viên chính", "Bồi dưỡng kỹ năng công nghệ thông tin",
    "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", "Ngày, tháng, năm sinh",
]


def test_tables_cover_all_134_letters():
    letters = ACCENTED + [letter.upper() for letter in ACCENTED]
    assert len(letters) == 134
    assert len({from_unicode(letter, VNI) for letter in letters}) == 134
    small_codes = {from_unicode(letter, TCVN3) for letter in ACCENTED}
    assert len(small_codes) == 67
    assert all("\xa1" <= code <= "\xfe" for code in small_codes)


@pytest.mark.parametrize("letter", ACCENTED + [letter.upper() for letter in ACCENTED])
def test_vni_round_trips_every_letter(letter):
    assert to_unicode(from_unicode(letter, VNI), VNI) == letter


@pytest.mark.parametrize("letter", ACCENTED + list(CAPITAL_CODES))
def test_tcvn3_round_trips_every_small_letter_and_coded_capital(letter):
    assert to_unicode(from_unicode(letter, TCVN3), TCVN3) == letter


@pytest.mark.parametrize("letter", [letter.upper() for letter in ACCENTED if letter.upper() not in CAPITAL_CODES])
def test_tcvn3_capital_toned_vowels_come_back_inside_capital_words(letter):
    assert from_unicode(letter, TCVN3) == from_unicode(letter.lower(), TCVN3)
    assert to_unicode(from_unicode(f"NG{letter}N", TCVN3), TCVN3) == f"NG{letter}N"


@pytest.mark.parametrize(
    ("legacy", "encoding", "unicode"),
    [
        # Samples published with public converters, checked against their tables.
        ("B¶o Th¾ng", TCVN3, "Bảo Thắng"),
        ("M\xadêng Kh\xad¬ng", TCVN3, "Mường Khương"),
        ("Thanh Hãa", TCVN3, "Thanh Hóa"),
        ("Xin chaøo caùc baïn", VNI, "Xin chào các bạn"),
        ("Tröôøng Ñaïi hoïc Hoàng Ñöùc", VNI, "Trường Đại học Hồng Đức"),
    ],
)
def test_known_samples(legacy, encoding, unicode):
    assert to_unicode(legacy, encoding) == unicode
    assert from_unicode(unicode, encoding) == legacy


@pytest.mark.parametrize("text", NAMES + PHRASES)
def test_vni_round_trips_names_and_phrases(text):
    assert to_unicode(from_unicode(text, VNI), VNI) == text


@pytest.mark.parametrize("text", NAMES + PHRASES)
def test_tcvn3_round_trips_names_and_phrases(text):
    converted = to_unicode(from_unicode(text, TCVN3), TCVN3)
    if text in NAMES:
        converted = restore_tcvn3_name_case(converted)
    assert converted == text


def test_tcvn3_without_name_case_restoration_loses_a_capital_toned_initial():
    assert to_unicode("Lª ThÞ ¸nh", TCVN3) == "Lê Thị ánh"
    assert restore_tcvn3_name_case("Lê Thị ánh") == "Lê Thị Ánh"
    assert restore_tcvn3_name_case("ánh") == "Ánh"
    assert restore_tcvn3_name_case("lê thị ánh") == "lê thị ánh"


def test_tcvn3_short_words_take_the_case_of_the_text():
    assert to_unicode("§ç ThÞ Tæ", TCVN3) == "Đỗ Thị Tổ"
    assert to_unicode("§ç §øC", TCVN3) == "ĐỖ ĐỨC"
    assert to_unicode("L\xfd ANH \xfd", TCVN3) == "LÝ ANH Ý"
    # A sentence's capital toned initial is lost: TCVN3 has no code for it.
    assert to_unicode("ñy ban nh©n d©n", TCVN3) == "ủy ban nhân dân"


def test_to_unicode_leaves_other_text_alone():
    assert to_unicode("14758 - UBND, 2024", TCVN3) == "14758 - UBND, 2024"
    assert to_unicode("abc@thanhhoa.gov.vn", VNI) == "abc@thanhhoa.gov.vn"
    with pytest.raises(ValueError):
        to_unicode("x", "viscii")
    with pytest.raises(ValueError):
        from_unicode("x", "viscii")


@pytest.mark.parametrize("text", NAMES + PHRASES)
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_detects_the_encoding_of_names_and_phrases(text, encoding):
    assert detect_legacy(from_unicode(text, encoding)) == encoding


@pytest.mark.parametrize(
    "text",
    [
        *NAMES, *PHRASES, "Hà Tú", "Lê Tú Anh", "Hoà", "José María", "Müller", "Café Hélène",
        "Số hiệu: 00123", "", "Nguyen Van An", unicodedata.normalize("NFD", "Nguyễn Thị Hòa"),
    ],
)
def test_never_touches_unicode_or_plain_text(text):
    assert detect_legacy(text) is None


def test_ambiguous_text_needs_a_hint():
    # "Tó" is a syllable as it stands, and "Tú" in TCVN3; only the file can tell.
    assert detect_legacy("Lý Tó") is None
    assert detect_legacy("Lý Tó", hint=TCVN3) == TCVN3
    # A character TCVN3 never produces rules it out, hint or not.
    assert detect_legacy("Hà Tú", hint=TCVN3) is None


def test_detection_on_generated_names_is_never_wrong_and_rarely_unsure():
    rng = random.Random(5)
    ho = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Đỗ", "Vũ", "Bùi", "Hồ", "Lý", "Trịnh"]
    dem = ["", "Văn", "Thị", "Đức", "Hữu", "Thị Ngọc", "Xuân", "Quang", "Minh"]
    ten = ["An", "Ánh", "Ân", "Bình", "Dũng", "Đào", "Hà", "Hằng", "Hòa", "Ước", "Yến", "Tú", "Quỳnh"]
    unsure = 0
    for _ in range(500):
        name = " ".join(part for part in (rng.choice(ho), rng.choice(dem), rng.choice(ten)) if part)
        name = name.upper() if rng.random() < 0.3 else name
        assert detect_legacy(name) is None
        for encoding in (TCVN3, VNI):
            found = detect_legacy(from_unicode(name, encoding))
            assert found in (encoding, None), name
            unsure += found is None
    assert unsure < 50


@pytest.mark.parametrize(
    "word", ["Nguyễn", "người", "khuỷu", "quýt", "Quỳnh", "giữa", "giếng", "hòa", "hoà", "toán", "thuý", "ăn"]
)
def test_is_syllable_accepts_vietnamese(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["haỉ", "ỹn", "bènh", "NguyÔn", "V¨n", "Hoaø", "Vieät", "hóà", "xyz"])
def test_is_syllable_rejects_mojibake_and_misplaced_tones(word):
    assert not is_syllable(word)
