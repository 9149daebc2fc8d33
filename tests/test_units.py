from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.period import Period
from scorecard.units import fold, load_registry, normalize_code, province_key, slug

OCT = Period("month", 2025, 10)
JUN = Period("month", 2025, 6)


def test_registry_has_34_new_and_63_old_units_and_a_complete_crosswalk():
    reg = load_registry()
    assert reg.count(OCT) == 34 and reg.count(JUN) == 63
    new_codes = {p.code for p in reg.provinces if p.era == "new"}
    old = [p for p in reg.provinces if p.era == "old"]
    assert all(p.successor in new_codes for p in old)
    # SPEC §2: Cần Thơ absorbed Sóc Trăng and Hậu Giang; Hồ Chí Minh, Bình Dương and BR-VT
    assert {p.name for p in old if p.successor == "H13"} == {"Cần Thơ", "Sóc Trăng", "Hậu Giang"}
    assert {p.name for p in old if p.successor == "H29"} == {
        "Hồ Chí Minh", "Bình Dương", "Bà Rịa – Vũng Tàu"}


@pytest.mark.parametrize(
    "name, code",
    [
        ("UBND tỉnh Khánh Hòa", "H32"),
        ("Khánh Hoà", "H32"),  # new tone placement
        ("KHÁNH HÒA", "H32"),
        ("Kha\u0301nh Ho\u0300a", "H32"),  # NFD
        ("ubnd  tỉnh   Thanh Hoá", "H56"),
        ("UBND Thành phố Hồ Chí Minh", "H29"),
        ("TP. Hồ Chí Minh", "H29"),
        ("Thành phố Huế", "H57"),
        ("Thừa Thiên Huế", "H57"),  # renamed, same unit
        ("Tỉnh Lạng Sơn - tỉnh Lạng Sơn", "H37"),
    ],
)
def test_province_names_match_however_they_are_written(name, code):
    assert load_registry().resolve(name, "", OCT).code == code


def test_codes_match_with_a_prefix():
    assert normalize_code("000.00.00.H37") == "H37"
    assert normalize_code(" h01.187 ") == "H01.187"
    assert load_registry().resolve("", "H37", OCT).name == "Lạng Sơn"


def test_a_merged_province_names_its_successor():
    with pytest.raises(LookupError, match="Hải Dương đã hợp nhất vào Hải Phòng từ 01/07/2025"):
        load_registry().resolve("UBND tỉnh Hải Dương", "", OCT)


def test_before_the_merger_the_63_are_in_force():
    assert load_registry().resolve("Hải Dương", "", JUN).successor == "H24"


def test_unknown_province_suggests_the_closest():
    with pytest.raises(LookupError) as e:
        load_registry().resolve("Bac Nnh", "", OCT)
    assert e.value.args[0].text("en") == (
        "'Bac Nnh' is not a province in force in October 2025; did you mean 'Bắc Ninh'?")
    assert e.value.args[0].text("vi") == (
        "'Bac Nnh' không phải là tỉnh, thành phố trong danh mục Tháng 10/2025; "
        "có phải là 'Bắc Ninh'?")


def test_keys_and_slugs():
    assert province_key("UBND Thành phố Hà Nội") == province_key("Ha Noi") == "ha noi"
    assert slug("Ban Quản lý Khu kinh tế Phú Quốc - tỉnh An Giang") == (
        "ban-quan-ly-khu-kinh-te-phu-quoc-tinh-an-giang")
    assert slug("Đắk Lắk") == "dak-lak"


@given(st.text())
@settings(max_examples=300, deadline=None, derandomize=True)
def test_fold_drops_every_combining_mark_and_only_those(text):
    """fold's table (filled as characters are met) against its definition, character by
    character: đ/Đ as d/D, every combining mark gone, lower case, spaces collapsed."""
    import unicodedata

    s = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    assert fold(text) == " ".join(s.split())
