from __future__ import annotations

from conftest import EXAMPLES

from scorecard.cli import cli


def test_options_come_from_scorecard_environment_variables(runner):
    path = EXAMPLES / "2025-10_tinh-thanh.csv"
    result = runner.invoke(cli, ["narrate", str(path)],
                           env={"SCORECARD_UNIT": "H05", "SCORECARD_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("In October 2025, Bắc Ninh Province scored 91.52/100")


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
