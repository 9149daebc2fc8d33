from __future__ import annotations

from conftest import EXAMPLES

from scorecard.cli import cli


def test_options_come_from_scorecard_environment_variables(runner):
    path = EXAMPLES / "2025-10_tinh-thanh.csv"
    result = runner.invoke(cli, ["narrate", str(path)],
                           env={"SCORECARD_UNIT": "H05", "SCORECARD_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("In October 2025, on the National Public Service Portal, "
                                    "Bắc Ninh Province scored 91.52/100")


def test_an_unknown_unit_suggests_the_closest(runner):
    result = runner.invoke(cli, ["narrate", str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                                 "--unit", "Bac Nihn"])
    assert result.exit_code == 1
    assert "Lỗi: không có đơn vị 'Bac Nihn' trong dữ liệu; có phải là 'Bắc Ninh'?" in result.output


def test_a_broken_index_file_is_a_clear_error(runner, tmp_path):
    bad = tmp_path / "index.toml"
    bad.write_text("[total]\ncode = 'T'\n")
    result = runner.invoke(cli, ["validate", str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                                 "--index", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert f"Error: {bad}: the index file needs [total] and [[groups]]" in result.output


def test_another_index_file_changes_maxima(runner, tmp_path):
    from scorecard.index import default_index_path

    text = default_index_path().read_text("utf-8")
    text = text.replace("max = 18\naliases = [\"công khai", "max = 17\naliases = [\"công khai")
    text = text.replace("max = 100", "max = 99")
    custom = tmp_path / "index.toml"
    custom.write_text(text, "utf-8")
    result = runner.invoke(cli, ["validate", str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                                 "--index", str(custom), "--lang", "en"])
    assert result.exit_code == 1
    assert "column 'CKMB': 18 is outside 0–17" in result.output


def test_an_option_of_one_value_given_twice_is_refused(tmp_path):
    """click kept the last: `render --sheet "Sở Ban" --sheet "Xã Phường"` drew the communes
    alone and said nothing (the clerk's review). Repeatable options stay repeatable."""
    from click.testing import CliRunner
    from conftest import EXAMPLES, WORKBOOK

    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["render", str(WORKBOOK), "--sheet", "Sở Ban", "--sheet",
                                 "Xã Phường", "--month", "2025-10", "--out", str(out)])
    assert r.exit_code == 2 and not out.exists()
    assert ("--sheet được cho 2 lần; tùy chọn này chỉ nhận một giá trị: hãy cho một lần"
            in r.output)
    r = CliRunner().invoke(cli, ["render", str(WORKBOOK), "--month=2025-10", "--period",
                                 "2025-10", "--lang", "en", "--out", str(out)])
    assert r.exit_code == 2 and "--period is given 2 times; it takes one value" in r.output
    r = CliRunner().invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                                 "--history", str(EXAMPLES / "2025-09_tinh-thanh.csv"),
                                 "--history", str(EXAMPLES / "2025-09_tinh-thanh.csv"),
                                 "--out", str(out), "--jobs", "1"])
    assert r.exit_code != 2, r.output  # repeatable: not refused as given twice
