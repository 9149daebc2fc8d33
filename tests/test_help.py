"""--help and click's usage errors in the user's language, each command's example, its
exit codes and every option's environment variable (issue 15, item 24)."""

from __future__ import annotations

import ast
import re
import shlex
import string
from pathlib import Path

import click
import pytest

from scorecard.cli import cli
from scorecard.helptext import help_language, help_words, option_key

COMMANDS = sorted(cli.commands)


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option) and p.expose_value]


def test_help_is_vietnamese_by_default_and_english_with_lang_en(runner):
    vi = runner.invoke(cli, ["render", "--help"])
    assert vi.exit_code == 0
    assert vi.output.startswith("Cách dùng: cli render [OPTIONS] [DATA]\n\n"
                                "  Ghi PDF của từng đơn vị, summary.pdf và manifest.csv vào "
                                "OUT/<kỳ>/.\n\n  Không có DATA thì lập bảng điểm của kỳ --month "
                                "đã nhập vào kho")
    words = " ".join(vi.output.split())  # however the options' column wraps
    assert "Thư mục kết quả; các tệp ghi vào OUT/<kỳ>/." in words
    assert "Hiện hướng dẫn này rồi thoát." in words
    assert "Usage:" not in vi.output and "Show this message" not in vi.output
    en = runner.invoke(cli, ["render", "--lang", "en", "--help"])
    assert en.output.startswith("Usage: cli render [OPTIONS] [DATA]\n\n  Write each unit's PDF")
    assert "Output folder; files go to OUT/<period>/." in " ".join(en.output.split())
    assert runner.invoke(cli, ["render", "--lang=en", "-h"]).output == en.output
    assert runner.invoke(cli, ["render", "-h"], env={"SCORECARD_LANG": "en"}).output == en.output
    # the command line wins over the environment, and a Vietnamese locale changes nothing
    assert runner.invoke(cli, ["render", "--lang", "vi", "-h"],
                         env={"SCORECARD_LANG": "en"}).output == vi.output
    assert runner.invoke(cli, ["render", "-h"], env={"LANG": "vi_VN.UTF-8"}).output == vi.output


def test_the_language_is_read_before_the_options_are_parsed():
    assert help_language(["render", "x.csv", "--lang", "en"], {}) == "en"
    assert help_language(["render", "--lang=en"], {"SCORECARD_LANG": "vi"}) == "en"
    assert help_language(["render"], {"SCORECARD_LANG": "en"}) == "en"
    assert help_language(["render", "--lang", "fr"], {"SCORECARD_LANG": "fr"}) == "vi"
    assert help_language(["render", "--", "--lang", "en"], {}) == "vi"  # a file named --lang
    assert help_language([], {"LANG": "en_US.UTF-8"}) == "vi"


def test_a_usage_error_exits_2_in_the_users_language(runner):
    data = "examples/2025-10_tinh-thanh.csv"
    vi = runner.invoke(cli, ["render", data, "--jobs", "x"])
    assert vi.exit_code == 2
    assert vi.output == ("Cách dùng: cli render [OPTIONS] [DATA]\n"
                         "Xem hướng dẫn: 'cli render --help'.\n\n"
                         "Lỗi: Giá trị không hợp lệ cho '--jobs': 'x' không phải là số hợp lệ "
                         "(integer range).\n")
    en = runner.invoke(cli, ["render", data, "--jobs", "x", "--lang", "en"])
    assert en.exit_code == 2
    assert en.output.endswith("Error: Invalid value for '--jobs': 'x' is not a valid integer "
                              "range.\n")
    unknown = runner.invoke(cli, ["rendr"])
    assert unknown.exit_code == 2
    assert unknown.output.endswith("Lỗi: Không có lệnh 'rendr'. Có phải là 'render'?\n")
    missing = runner.invoke(cli, ["narrate", data])
    assert missing.exit_code == 2
    assert missing.output.endswith("Lỗi: Thiếu tùy chọn '--unit'.\n")
    month = runner.invoke(cli, ["validate", data, "--month", "10-2025"])
    assert month.exit_code == 2
    assert month.output.endswith(
        "Lỗi: Giá trị không hợp lệ cho '--month' / '--period': '10-2025' không phải là kỳ báo "
        "cáo: hãy viết YYYY-MM (2025-10), YYYY-Qn hoặc YYYY\n")
    assert runner.invoke(cli, ["validate", data, "--lang", "fr"]).output.endswith(
        "Lỗi: Giá trị không hợp lệ cho '--lang': 'fr' không phải là một trong 'vi', 'en'.\n")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_ends_with_a_runnable_example_after_the_exit_codes(runner, command, lang):
    args = [command] if command else []
    out = runner.invoke(cli, [*args, "--help"], env={"SCORECARD_LANG": lang}).output
    *body, example = out.rstrip("\n").split("\n")
    word = {"vi": "Ví dụ:", "en": "Example:"}[lang]
    exit_line = {"vi": "Mã thoát: 0 ", "en": "Exit codes: 0 "}[lang]
    assert body[-2:] == [f"  {word}", ""]
    assert example == f"    scorecard {command or 'render'} " + example.split(" ", 6)[-1]
    text = " ".join(" ".join(body).split())
    assert exit_line in text and (" 2 gọi lệnh sai" in text or " 2 wrong usage" in text)
    if command != "serve":  # Ctrl-C is how a web page stops: exit 0 (uvicorn's own)
        assert "; 130 " in text  # Ctrl-C, as console.py exits (console.INTERRUPTED)
    # every option of the example is one the command has
    target = cli.commands[command or "render"]
    known = {o for p in target.params for o in p.opts}
    used = {t.split("=")[0] for t in shlex.split(example) if t.startswith("--")}
    assert used <= known


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_shows_and_reads_its_environment_variable(runner, command):
    en = runner.invoke(cli, [command, "--help"], env={"SCORECARD_LANG": "en"}).output
    vi = runner.invoke(cli, [command, "--help"]).output
    en, vi = " ".join(en.split()), " ".join(vi.split())
    for option in options(cli.commands[command]):
        assert isinstance(option.envvar, str) and option.envvar.startswith("SCORECARD_")
        assert f"[env var: {option.envvar}]" in en
        assert f"[biến môi trường: {option.envvar}]" in vi


def test_an_option_without_its_own_variable_reads_scorecard_option(runner, tmp_path):
    ledger = tmp_path / "l.sqlite"
    result = runner.invoke(cli, ["mail", str(Path(__file__)), "--ledger", str(ledger)],
                           env={"SCORECARD_STATUS": "1"})
    assert result.exit_code == 1  # --status: there is no ledger to print, nothing is sent
    assert str(ledger) in result.output


@pytest.mark.parametrize("command", ["scorecard", *COMMANDS])
def test_every_command_and_option_has_vietnamese_help_and_an_example(command):
    """A new command fails here until help.toml has its words."""
    words = help_words()
    assert command in words["examples"], f"help.toml: [examples] {command} = '…'"
    own = words["vi"]["commands"].get(command, {})
    assert own.get("about"), f"help.toml: [vi.commands.{command}] about = '…'"
    if command == "scorecard":
        return
    for option in options(cli.commands[command]):
        key = option_key(option)
        assert own.get(key) or words["vi"]["options"].get(key), (
            f"help.toml: [vi.commands.{command}] {key} = '…' (or [vi.options])")


def _click_strings() -> set[str]:
    found = set()
    for file in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
                found |= {a.value for a in node.args
                          if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f} | set(
        re.findall(r"%\((\w+)\)s", text))


def test_clicks_words_are_clicks_own_and_keep_their_placeholders():
    known = _click_strings() | {"required"}  # click passes it to `_` as extra["required"]
    for english, vietnamese in help_words()["vi"]["click"].items():
        assert english in known, f"click no longer says {english!r}"
        assert _fields(vietnamese) <= _fields(english), english
