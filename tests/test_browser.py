"""The clerk's page in a real browser: Playwright driving Debian's chromium (nothing is
downloaded at test time). Skipped with its reason when chromium or Playwright is missing,
except under CI=true, where that fails.

Screenshots of each page at 1366×768 go to $SCORECARD_SCREENSHOTS (default: the test's
temporary folder), to look at as a clerk would.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, WORKBOOK

from scorecard.cli import cli
from scorecard.web.app import Config, create_app
from scorecard.web.source import StoreSource
from scorecard.web.users import hash_password

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREEN = {"width": 1366, "height": 768}
TODAY = dt.date(2025, 10, 20)
OFFICE = "Văn phòng UBND tỉnh An Giang"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: the browser tests must run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def serve(folder: Path, **config: Any) -> Iterator[str]:
    """The app under uvicorn on a free port of this machine, in a thread."""
    import uvicorn

    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'store.sqlite'}"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(StoreSource(url), Config(today=lambda: TODAY, **config))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def site(tmp_path) -> Iterator[str]:
    yield from serve(tmp_path / "store", office=OFFICE)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SCORECARD_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def cli_pdf(tmp_path_factory) -> bytes:
    """An Giang's PDF as `scorecard render` writes it for the same inputs and options."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("cli")
    db = f"sqlite:///{out / 'cli.sqlite'}"
    r = CliRunner().invoke(cli, ["import", str(WORKBOOK), "--month", "2025-10", "--db", db])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["render", "--month", "2025-10", "--level", "province", "--db",
                                 db, "--office", OFFICE, "--issued", TODAY.isoformat(), "--out",
                                 str(out), "--jobs", "1", "--unit", "An Giang"])
    assert r.exit_code == 0, r.output
    return (out / "2025-10" / "H01_an-giang.pdf").read_bytes()


def watch(page: Any) -> list[str]:
    """The console's errors: a CSP violation or a failed script shows here."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def import_file(page: Any, path: Path, month: str = "2025-10") -> None:
    page.set_input_files("#file", str(path))
    page.fill("input[name=month]", month)
    page.click("#import-form button[type=submit]")


def test_clerk_imports_the_month_reads_an_giang_copies_and_downloads(browser, site, shots,
                                                                    cli_pdf, runner, tmp_path):
    context = browser.new_context(viewport=SCREEN, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    errors = watch(page)
    page.goto(site + "/")
    assert page.locator("#periods").inner_text().strip().endswith(
        "Chưa có kỳ nào. Hãy nhập tệp điểm của một kỳ ở dưới.")
    page.screenshot(path=shots / "01-home-empty.png")

    # the real An Giang workbook: its month sheet is chosen by the period
    import_file(page, WORKBOOK)
    ok = page.locator("#import-result .ok")
    ok.wait_for()
    assert ok.locator("p").first.inner_text() == (
        "Đã nhập portal-export_2025-10-16_an-giang.xlsx: Tháng 10/2025, 34 đơn vị.")
    assert "Tháng 10/2025" in page.locator("#periods").inner_text()  # swapped in by htmx
    assert page.url == site + "/"  # htmx: no page load
    page.screenshot(path=shots / "02-home-imported.png")

    # the ranking, the office's unit marked
    page.click("text=Xem xếp hạng: Tỉnh, thành phố")
    page.wait_for_url(site + "/2025-10/province")
    rows = page.locator("table.ranking tbody tr:not(.peer)")
    assert rows.count() == 34
    assert rows.first.locator("td.name").inner_text() == "Bắc Ninh"
    marked = page.locator("table.ranking tr.mark")
    assert marked.count() == 1 and marked.locator("td.name a").inner_text() == "An Giang"
    assert marked.locator("td.num").first.inner_text() == "13/34"
    page.screenshot(path=shots / "03-ranking.png")
    page.screenshot(path=shots / "03-ranking-full.png", full_page=True)

    # An Giang's view
    page.click("table.ranking a:text-is('An Giang')")
    page.wait_for_url(site + "/2025-10/province/H01")
    assert page.locator("h1").inner_text() == "Tỉnh An Giang"
    assert page.locator(".headline .box").nth(0).locator(".value").inner_text() == "86,74/100"
    page.screenshot(path=shots / "04-unit.png")
    page.screenshot(path=shots / "04-unit-full.png", full_page=True)

    # copy the paragraph: the clipboard holds what `scorecard narrate` prints
    said = runner.invoke(cli, ["narrate", str(WORKBOOK), "--month", "2025-10", "--unit",
                               "An Giang", "--data-date", "2025-10-16"]).output.strip()
    button = page.locator("button.copy")
    assert button.is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == said
    assert button.inner_text() == "Đã sao chép"

    # download its PDF: the CLI's bytes
    with page.expect_download() as got:
        page.click("a:text-is('Bảng điểm (PDF)')")
    assert got.value.suggested_filename == "H01_an-giang.pdf"
    assert Path(got.value.path()).read_bytes() == cli_pdf

    # a bad file: its problems with row and column, nothing stored
    bad = tmp_path / "thang-10.csv"
    bad.write_text("TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,month\n"
                   "An Giang,mười,18,8,8,18,15,2025-11\n"
                   "Hải Dương,18,18,8,8,18,15,2025-11\n", "utf-8")
    page.goto(site + "/")
    import_file(page, bad, month="2025-11")
    problems = page.locator("#import-result .problems")
    problems.wait_for()
    assert problems.locator("li").all_inner_texts() == [
        "thang-10.csv, dòng 2, cột 'CKMB': 'mười' không phải là số (viết ví dụ 7,7 hoặc 7.7; "
        "để trống nếu chưa có số liệu)",
        "thang-10.csv, dòng 3, cột 'TEN': Hải Dương đã hợp nhất vào Hải Phòng từ 01/07/2025: "
        "hãy dùng Hải Phòng (H24) cho Tháng 11/2025"]
    assert "Tháng 11/2025" not in page.locator("#periods").inner_text()
    page.locator("#import").scroll_into_view_if_needed()
    page.screenshot(path=shots / "05-bad-file.png")
    assert errors == []  # no CSP violation, no script error
    context.close()


def test_reading_and_downloading_work_with_javascript_off(browser, site, shots, cli_pdf):
    context = browser.new_context(viewport=SCREEN, accept_downloads=True,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    import_file(page, WORKBOOK)  # a plain form post: the whole page comes back
    page.locator("#import-result .ok").wait_for()
    page.click("text=Xem xếp hạng: Tỉnh, thành phố")
    page.click("table.ranking a:text-is('An Giang')")
    assert page.locator("h1").inner_text() == "Tỉnh An Giang"
    assert not page.locator("button.copy").is_visible()  # nothing that cannot work
    assert page.locator("#paragraph").inner_text().startswith(
        "Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp của tỉnh An Giang trên "
        "Cổng Dịch vụ công quốc gia đạt 86,74/100 điểm")
    page.screenshot(path=shots / "06-unit-no-javascript.png")
    with page.expect_download() as got:
        page.click("a:text-is('Bảng điểm (PDF)')")
    assert Path(got.value.path()).read_bytes() == cli_pdf
    page.goto(site + "/2025-10/province")
    with page.expect_download() as got:
        page.click("a:text-is('Tất cả PDF của cấp này (ZIP)')")
    import zipfile

    with zipfile.ZipFile(got.value.path()) as z:
        assert len(z.namelist()) == 34 and z.read("H01_an-giang.pdf") == cli_pdf
    context.close()


def test_english_switch_in_the_browser(browser, site, shots):
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(site + "/")
    # three earlier months and a revision of September: a trend of four months
    for name in ("2025-07_tinh-thanh.csv", "2025-08_tinh-thanh.csv", "2025-09_tinh-thanh.csv",
                 "2025-09_tinh-thanh_2025-10-15.csv"):
        import_file(page, EXAMPLES / name, month="")
        page.locator("#import-result .ok").wait_for()
        page.reload()
    import_file(page, WORKBOOK)
    page.locator("#import-result .ok").wait_for()
    page.goto(site + "/2025-10/province/H01")
    page.click("header a.lang")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("button.copy").inner_text() == "Copy"
    assert page.locator("table.groups tbody tr.total th").inner_text() == "Total"
    assert page.locator("figure svg circle").count() == 4  # the trend over the four months
    assert page.locator("p.revision").inner_text() == (
        "The portal revised the figures of September 2025 on 15 October 2025: 82.08 → 82.31 points")
    page.screenshot(path=shots / "07-unit-english.png")
    page.screenshot(path=shots / "07-unit-english-full.png", full_page=True)
    page.goto(site + "/2025-10/province")  # the choice is remembered
    assert page.locator("h1").inner_text().startswith("Ranking")
    page.screenshot(path=shots / "08-ranking-english.png")
    context.close()


def test_login_in_the_browser(browser, tmp_path, shots):
    for site in serve(tmp_path / "store", users={"lan": hash_password("mật khẩu của Lan")}):
        context = browser.new_context(viewport=SCREEN)
        page = context.new_page()
        page.goto(site + "/2025-10/province")
        assert page.url == site + "/login?next=/2025-10/province"
        page.fill("input[name=user]", "lan")
        page.fill("input[name=password]", "sai")
        page.click("button[type=submit]")
        assert page.locator(".problem").inner_text() == (
            "Tên người dùng hoặc mật khẩu không đúng.")
        page.screenshot(path=shots / "09-login-failed.png")
        page.fill("input[name=user]", "lan")
        page.fill("input[name=password]", "mật khẩu của Lan")
        page.click("button[type=submit]")
        page.wait_for_url(site + "/2025-10/province")  # not stored yet: 404, but logged in
        page.goto(site + "/")
        assert "Đăng xuất (lan)" in page.locator("header").inner_text()
        cookie = next(c for c in context.cookies() if c["name"] == "scorecard")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        context.close()
