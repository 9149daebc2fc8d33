"""`--unit` as a clerk types it (clerk's review 2, #16): a department or commune named
without what every name of its kind says — 'An Minh' for 'UBND xã An Minh - tỉnh An Giang',
'Thanh tra' for 'Thanh tra tỉnh An Giang' — is the one unit it names; a name several units
share so is refused with each of them, and a suggestion names a unit as the pages do."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, WORKBOOK

from scorecard.cli import cli
from scorecard.units import select

NARRATE = ["narrate", str(WORKBOOK), "--month", "2025-10", "--sheet"]


def sheet(name: str) -> list[tuple[str, str]]:
    """A sheet of the real workbook as (code, name)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(WORKBOOK)).get_sheet_by_name(name).to_python()
    code, unit = rows[0].index("MA_COQUAN"), rows[0].index("TEN")
    return [(str(r[code]), str(r[unit])) for r in rows[1:] if r[unit]]


@pytest.mark.parametrize(("sheet_name", "query", "code"), [
    ("Xã Phường", "An Minh", "H01.188"),
    ("Xã Phường", "an minh", "H01.188"),
    ("Xã Phường", "xã An Minh, tỉnh An Giang", "H01.188"),  # as its page's title says it
    ("Xã Phường", "Phú Quốc", "H01.201"),  # UBND Đặc khu Phú Quốc - tỉnh An Giang
    ("Xã Phường", "Tịnh Biên", "H01.129"),  # UBND phường Tịnh Biên: its 'Tịnh' is no 'tỉnh'
    ("Sở Ban", "Thanh tra", "H01.08"),  # Thanh tra tỉnh An Giang, no dash
])
def test_a_name_without_its_usual_words_finds_its_one_unit(sheet_name, query, code):
    assert [c for c, _ in select(sheet(sheet_name), (query,), lambda u: u)] == [code]


def test_a_name_two_units_share_is_refused_with_both():
    """'Vĩnh An' is a commune of An Giang (H01.142) and one of Phú Thọ (H44.186, the
    portal's tree names it without its province)."""
    tree = json.loads((DATA / "phu-tho_2026-08_dvc-progress-tree.json").read_text("utf-8"))
    phu_tho = [(c["departmentCode"], c["departmentName"]) for c in tree["data"]["children"]]
    with pytest.raises(LookupError) as e:
        select(sheet("Xã Phường") + phu_tho, ("Vĩnh An",), lambda u: u)
    assert str(e.value.args[0]) == (
        "'Vĩnh An' ứng với nhiều đơn vị: UBND xã Vĩnh An, tỉnh An Giang (H01.142), UBND xã "
        "Vĩnh An (H44.186); hãy viết đủ tên hoặc dùng mã đơn vị")


@pytest.mark.parametrize(("sheet_name", "query", "starts"), [
    ("Xã Phường", "An Minh", "Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp của "
                             "UBND xã An Minh "),
    ("Xã Phường", "Phú Quốc", "Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp "
                              "của UBND đặc khu Phú Quốc "),
    ("Sở Ban", "Thanh tra", "Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp của "
                            "Thanh tra tỉnh An Giang "),
])
def test_narrate_takes_the_names_the_clerk_typed(runner, sheet_name, query, starts):
    result = runner.invoke(cli, [*NARRATE, sheet_name, "--unit", query])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(starts)


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Lỗi: không có đơn vị 'An Mihn' trong dữ liệu; có phải là 'UBND xã An Minh, tỉnh "
           "An Giang'?"),
    ("en", "Error: no unit 'An Mihn' in the data; did you mean 'UBND xã An Minh, tỉnh An "
           "Giang'?"),
])
def test_a_suggestion_names_the_unit_as_its_page_does(runner, lang, said):
    result = runner.invoke(cli, [*NARRATE, "Xã Phường", "--unit", "An Mihn", "--lang", lang])
    assert result.exit_code == 1
    assert result.output.strip() == said
