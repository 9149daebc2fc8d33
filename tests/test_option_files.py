"""--targets and --findings-rules files checked when read, naming the key; TOML files and
templates saved with a UTF-8 BOM (Notepad) are read (issue 15, items 10 and 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from scorecard.cli import cli
from scorecard.dossiers import load_targets
from scorecard.errors import IndexFileError
from scorecard.findings import load_rules
from scorecard.resources import resource_dir

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"
RULES = (resource_dir("data") / "findings.toml").read_text("utf-8")
TARGETS = (resource_dir("data") / "targets.toml").read_text("utf-8")


def refused(loader, tmp_path: Path, text: str) -> str:
    path = tmp_path / "file.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(IndexFileError) as e:
        loader(path)
    return e.value.text("en")


@pytest.mark.parametrize(("old", "new", "said"), [
    ("alert_below = 50", "alert_below = nan",
     "level.alert_below = nan: needs a number from 0 to 100"),
    ("alert_below = 50", "alert_below = inf",
     "level.alert_below = inf: needs a number from 0 to 100"),
    ("notice_below = 70", "notice_below = 1e308",
     "level.notice_below = 1e+308: needs a number from 0 to 100"),
    ("alert_below = 50", "alert_below = 80",
     "level.alert_below = 80 must not be above level.notice_below = 70"),
    ("declines = 3", "declines = 0", "change.declines = 0: needs a whole number from 1 to 24"),
    ("declines = 3", "declines = -3", "change.declines = -3: needs a whole number from 1 to 24"),
    ("declines = 3", "declines = 2.5",
     "change.declines = 2.5: needs a whole number from 1 to 24"),
    ("drop = 0.5", "drop = 0", "change.drop = 0: needs a number above 0 and at most 100"),
    ("drop = 0.5", 'drop = "0.5"', "change.drop = '0.5': needs a number above 0"),
    ("communes = 10", "communes = -1",
     "watch.communes = -1: needs a whole number from 0 to 1000"),
    ("improvers = 2", "improvers = true",
     "watch.improvers = true: needs a whole number from 0 to 1000"),
])
def test_a_findings_rules_value_is_checked_naming_its_key(tmp_path, old, new, said):
    assert old in RULES
    assert said in refused(load_rules, tmp_path, RULES.replace(old, new))


@pytest.mark.parametrize(("old", "new", "said"), [
    ("value = 80", "value = inf", "targets[0].value = inf: needs a number above 0"),
    ("value = 80", "value = nan", "targets[0].value = nan: needs a number above 0"),
    ("value = 80", "value = 1e308", "targets[0].value = 1e+308: needs a number above 0 and at "
                                    "most 100"),
    ("value = 80", "value = -80", "targets[0].value = -80: needs a number above 0"),
    ("value = 45", "value = 0", "targets[1].value = 0: needs a number above 0"),
    ("from = 2023", "from = 2023.5", "targets[0].from = 2023.5: needs a whole number from 2000"),
    ('vi = "thủ tục', 'vi = "th\\u0007ủ tục', "targets[0].vi = 'th\\x07ủ tục"),
    ('code = "tthc_full"', "code = 7", "targets[0].code = 7: needs text without control"),
])
def test_a_target_is_checked_naming_its_key(tmp_path, old, new, said):
    assert old in TARGETS
    assert said in refused(load_targets, tmp_path, TARGETS.replace(old, new, 1))


def test_a_bad_value_is_one_clear_message_and_exit_1(runner, tmp_path):
    rules = tmp_path / "nguong.toml"
    rules.write_text(RULES.replace("declines = 3", "declines = -3"), "utf-8")
    result = runner.invoke(cli, ["narrate", str(MONTH), "--unit", "H05", "--findings",
                                 "--findings-rules", str(rules)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Lỗi: {rules}: không dùng được tệp ngưỡng nhận xét (change.declines = -3: cần một số "
        "nguyên từ 1 đến 24)")
    targets = tmp_path / "muc-tieu.toml"
    targets.write_text(TARGETS.replace("value = 80", "value = nan", 1), "utf-8")
    result = runner.invoke(cli, ["bulletin", str(MONTH), "--unit", "H05", "--targets",
                                 str(targets), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "targets[0].value = nan: cần một số lớn hơn 0 và không quá 100" in result.output
    assert not (tmp_path / "out").exists()


def bom(path: Path, text: str) -> Path:
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    return path


def test_toml_files_saved_by_notepad_with_a_bom_are_read(runner, tmp_path):
    rules = bom(tmp_path / "nguong.toml", RULES.replace("alert_below = 50", "alert_below = 60"))
    assert load_rules(rules).alert_below == 60
    targets = bom(tmp_path / "muc-tieu.toml", TARGETS.replace("value = 80", "value = 90", 1))
    assert load_targets(targets)[0].value == 90
    index = bom(tmp_path / "index.toml", (resource_dir("data") / "index.toml").read_text())
    result = runner.invoke(cli, ["validate", str(MONTH), "--index", str(index)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["narrate", str(MONTH), "--unit", "H05", "--findings",
                                 "--findings-rules", str(rules)])
    assert result.exit_code == 0, result.output


def test_a_template_saved_with_a_bom_never_puts_it_in_the_subject(tmp_path):
    from scorecard.mail import Delivery, Mailbox, build_message
    from scorecard.manifest import ManifestRow

    templates = tmp_path / "mau"
    templates.mkdir()
    packaged = resource_dir("templates")
    for name in ("mail_subject.vi.j2", "mail_body.vi.j2"):
        bom(templates / name, (packaged / name).read_text("utf-8"))
    row = ManifestRow("2025-10", "unit", "province", "H05", "Bắc Ninh", "H05_bac-ninh.pdf",
                      "0" * 64, "1" * 64, 4, 1, "91.52", "1", "34", "file", "excellent")
    d = Delivery(row, "vi", (Mailbox("vp@bacninh.gov.vn"),), ())
    message = build_message(d, b"%PDF", "bang-diem@tinh.gov.vn", templates)
    assert message["Subject"] == ("Bảng điểm Chỉ số phục vụ người dân, doanh nghiệp tháng "
                                  "10/2025 – tỉnh Bắc Ninh")
    assert "\ufeff" not in message.get_body(("plain",)).get_content()
    shutil.rmtree(templates)
