"""The clerk's second review of the bulletin (reports/clerk-review-2.md, items 1, 2, 7, 8,
13, 14, 15): the README's example against the store the Quick start fills, the warning
render gives for figures dated after the report, part IV a sentence per unit, the English
part III and V, and the annex's and part III's layout."""

from __future__ import annotations

import re
import shlex

from conftest import EXAMPLES, ROOT
from test_bulletin import draft
from test_bulletin_words import paragraphs, part

from scorecard.cli import cli

README = ROOT.joinpath("README.md").read_text("utf-8")


def readme_bulletin() -> list[str]:
    """The arguments of the README's own `scorecard bulletin` example."""
    section = README.split("### `scorecard bulletin DATA --unit U`")[1]
    command = re.findall(r"```sh\n(.*?)```", section, re.S)[0].replace("\\\n", " ")
    words = shlex.split(command)
    assert words[:2] == ["scorecard", "bulletin"]
    return [str(ROOT / w) if (ROOT / w).is_file() else w for w in words[2:]]


def test_the_readme_s_bulletin_compares_with_the_revised_september(runner, tmp_path):
    """The README's example passed --history with September's first figures while the Quick
    start had stored the portal's revision: the bulletin said 'tăng 4,66 điểm … (82,08
    điểm)' where the page said +4,43 against 82,31. By hand: 86,74 − 82,31 = 4,43. Its
    figures are to 16/10/2025 (examples/README.md): the opening says they are provisional."""
    imported = runner.invoke(cli, ["import", *map(str, sorted(EXAMPLES.glob(
        "2025-0*_tinh-thanh*.csv")))])
    assert imported.exit_code == 0, imported.output
    _, doc = draft(runner, tmp_path, *readme_bulletin())
    (first, revised) = part(doc, "I")[:2]
    assert "tăng 4,43 điểm so với tháng 9/2025 (82,31 điểm)" in first
    assert revised == ("Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: từ "
                       "82,08 lên 82,31 điểm.")
    (opening,) = [t for t in paragraphs(doc) if t.startswith("Thực hiện Quyết định")]
    assert "của tỉnh An Giang, theo số liệu tạm tính đến ngày 16/10/2025, như sau:" in opening


def test_bulletin_warns_of_figures_dated_after_the_report_as_render_does(runner, tmp_path):
    """A report dated 20/10 of a file with no data date presented October as final and said
    nothing; render of the same file warned. Now the same note."""
    args = ["bulletin", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit", "An Giang",
            "--issued", "2025-10-20", "--out", str(tmp_path)]
    said = runner.invoke(cli, args).output
    assert ("Lưu ý: số liệu ghi đến ngày 31/10/2025, sau ngày lập 20/10/2025; nếu tệp được tải "
            "từ Cổng trong kỳ, hãy cho --data-date là ngày tải") in said
    said = runner.invoke(cli, [*args, "--lang", "en"]).output
    assert "Note: the data are dated 31 October 2025, after the issue date 20 October 2025" \
        in said
    said = runner.invoke(cli, [*args, "--data-date", "2025-10-16"]).output
    assert "Lưu ý" not in said
