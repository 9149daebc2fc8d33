"""`scorecard serve` without a browser: security (SPEC §10), imports, pages, and downloads
whose bytes equal the command line's."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, WORKBOOK
from pypdf import PdfReader
from starlette.testclient import TestClient

from scorecard.cli import cli
from scorecard.web.app import Config, create_app
from scorecard.web.security import CSP
from scorecard.web.source import StoreSource
from scorecard.web.users import hash_password, read_users, verify_password

TODAY = dt.date(2025, 10, 20)
OFFICE = "Văn phòng UBND tỉnh An Giang"
HOSTILE = DATA / "hostile" / "markup-names.csv"
TEMPLATES = Path(__file__).parent.parent / "scorecard" / "web" / "templates"


def make_client(tmp_path: Path, **config: object) -> TestClient:
    app = create_app(StoreSource(db_url(tmp_path)), Config(today=lambda: TODAY, **config))  # type: ignore[arg-type]
    return TestClient(app, base_url="http://127.0.0.1")


def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


def csrf(client: TestClient, path: str = "/") -> str:
    page = client.get(path).text
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    assert m, page
    return m[1]


def upload(client: TestClient, path: Path, month: str = "2025-10", name: str | None = None,
           token: str | None = None, **fields: str):
    token = csrf(client) if token is None else token
    with path.open("rb") as f:
        return client.post("/import", data={"csrf": token, "month": month, **fields},
                           files={"file": (name or path.name, f)})


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path, office=OFFICE)


@pytest.fixture
def imported(client):
    r = upload(client, WORKBOOK)
    assert r.status_code == 200, r.text
    return client


# -- security --------------------------------------------------------------------------------

def test_serve_refuses_another_host_without_a_users_file(runner):
    r = runner.invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert r.exit_code == 1
    assert "--host 0.0.0.0" in r.output and "--users FILE" in r.output


def test_serve_says_when_its_port_is_taken(runner):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = runner.invoke(cli, ["serve", "--port", str(port)])
    assert r.exit_code == 1
    assert f"không mở được cổng {port} trên 127.0.0.1" in r.output
    assert f"http://127.0.0.1:{port}/" in r.output


def test_serve_refuses_an_empty_users_file(runner, tmp_path):
    users = tmp_path / "users.txt"
    users.write_text("# nobody yet\n", "utf-8")
    r = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--users", str(users)])
    assert r.exit_code == 1 and "chưa có ai" in r.output


def test_user_add_writes_a_scrypt_hash_that_verifies(runner, tmp_path):
    users = tmp_path / "users.txt"
    r = runner.invoke(cli, ["user", "add", "lan", "--users", str(users)],
                      input="mật khẩu dài\nmật khẩu dài\n")
    assert r.exit_code == 0, r.output
    assert "mật khẩu dài" not in r.output  # never echoed
    line = users.read_text("utf-8")
    assert line.startswith("lan:scrypt$16384$8$1$") and "mật khẩu" not in line
    stored = read_users(users)["lan"]
    assert verify_password("mật khẩu dài", stored) and not verify_password("mat khau dai", stored)
    r = runner.invoke(cli, ["user", "add", "lan", "--users", str(users)],
                      input="another-one\nanother-one\n")
    assert "Đã đổi mật khẩu" in r.output
    assert list(read_users(users)) == ["lan"] and verify_password("another-one",
                                                                   read_users(users)["lan"])


@pytest.mark.parametrize(("name", "typed", "said"), [
    ("lan", "mot\nmot\n", "ít nhất 8 ký tự"),
    ("lan", "12345678\n87654321\n", "không khớp"),
    ("a:b", "12345678\n12345678\n", "không dùng được làm tên"),
])
def test_user_add_refuses(runner, tmp_path, name, typed, said):
    users = tmp_path / "users.txt"
    r = runner.invoke(cli, ["user", "add", name, "--users", str(users)], input=typed)
    assert r.exit_code == 1 and said in r.output
    assert not users.exists()


def test_with_users_every_page_needs_a_login(tmp_path):
    users = {"lan": hash_password("đúng-mật-khẩu")}
    client = make_client(tmp_path, users=users)
    for path in ("/", "/2025-10/province", "/2025-10/province/H01.pdf"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    token = csrf(client, "/login")
    r = client.post("/import", data={"csrf": token}, files={"file": ("a.csv", b"x")})
    assert r.status_code == 401
    bad = client.post("/login", data={"csrf": token, "user": "lan", "password": "sai"})
    assert bad.status_code == 401 and "không đúng" in bad.text
    ok = client.post("/login", data={"csrf": token, "user": "lan", "password": "đúng-mật-khẩu",
                                     "next": "//evil.example/"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/"  # never another host
    assert client.get("/").status_code == 200
    r = upload(client, WORKBOOK)
    assert r.status_code == 200 and "34 đơn vị" in r.text
    client.post("/logout", data={"csrf": csrf(client)})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_is_signed_httponly_samesite_strict(tmp_path):
    users = {"lan": hash_password("đúng-mật-khẩu")}
    client = make_client(tmp_path, users=users)
    r = client.get("/login")
    cookie = r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    token = csrf(client, "/login")
    client.post("/login", data={"csrf": token, "user": "lan", "password": "đúng-mật-khẩu"})
    assert client.get("/", follow_redirects=False).status_code == 200
    # a cookie that says "lan" without the server's signature is worth nothing
    import base64
    import json

    forged = base64.b64encode(json.dumps({"user": "lan"}).encode()).decode()
    other = make_client(tmp_path, users=users)
    other.cookies.set("scorecard", forged + ".x.y", domain="127.0.0.1")
    assert other.get("/", follow_redirects=False).status_code == 303
    https = make_client(tmp_path, users=users, https_only=True)
    assert "secure" in https.get("/login").headers["set-cookie"].lower()


def test_every_post_without_the_csrf_token_is_403(client):
    routes = [r for r in client.app.app.routes  # type: ignore[attr-defined]
              if "POST" in (getattr(r, "methods", None) or ())]
    assert {r.path for r in routes} == {"/import", "/login", "/logout"}
    client.get("/")  # a session with a token exists: it is just not sent
    for r in routes:
        assert client.post(r.path, data={"user": "x"}).status_code == 403, r.path
        assert client.post(r.path, data={"csrf": "forged"}).status_code == 403, r.path
    r = client.post("/import", data={}, files={"file": ("x.csv", WORKBOOK.read_bytes())})
    assert r.status_code == 403 and "mã bảo vệ" in r.text


def test_upload_over_the_cap_is_413_with_a_message(tmp_path):
    client = make_client(tmp_path, max_upload=50_000)
    big = tmp_path / "big.xlsx"
    big.write_bytes(WORKBOOK.read_bytes() + b"\0" * 60_000)
    r = upload(client, big)
    assert r.status_code == 413
    assert "Tệp quá lớn: tối đa 0,05 MB." in r.text
    assert client.get("/").text.count("Chưa có kỳ nào") == 1  # nothing stored


def test_upload_cap_counts_a_body_whose_length_was_not_said():
    import asyncio

    from starlette.exceptions import HTTPException

    from scorecard.web.security import UploadCap

    received = []

    async def app(scope, receive, send):
        while True:
            m = await receive()
            received.append(m)
            if not m.get("more_body"):
                return

    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3

    async def receive():
        return chunks.pop()

    cap = UploadCap(app, limit=1000, refuse=lambda scope, limit: app)
    with pytest.raises(HTTPException) as e:
        asyncio.run(cap({"type": "http", "method": "POST", "headers": []}, receive, None))
    assert e.value.status_code == 413 and len(received) == 1


def test_a_file_name_never_becomes_a_path(client, tmp_path):
    hostile = "../../../../tmp/../etc/cron.d/<b>x&amp;'.csv"
    r = upload(client, DATA / "hostile" / "trailing-comma.csv", name=hostile)
    assert "Đã nhập &lt;b&gt;x&amp;amp;&#39;.csv" in r.text and "<b>x" not in r.text
    assert "cron.d" not in r.text  # only the last part of the name is shown
    assert not Path("/etc/cron.d/<b>x&amp;'.csv").exists()
    assert not list(tmp_path.rglob("*<b>x*"))


def test_every_response_has_the_csp_and_no_template_has_inline_script(imported):
    for path in ("/", "/2025-10/province", "/2025-10/province/H01", "/2025-10/province/H01.pdf",
                 "/static/app.js", "/nowhere/at/all", "/login"):
        r = imported.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    for page in TEMPLATES.glob("*.html"):
        text = page.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), page.name
        assert not re.search(r"\son[a-z]+=|\bstyle=|javascript:", text), page.name


def test_hostile_names_are_shown_literally(client):
    r = upload(client, HOSTILE)
    assert r.status_code == 200, r.text
    ranking = client.get("/2025-10/department").text
    unit = client.get("/2025-10/department/H01.92").text
    for page in (ranking, unit):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "<iframe src=//evil>" not in page and "<b>Quản lý</b>" not in page
    assert "&lt;script&gt;alert(&#39;tên&#39;)&lt;/script&gt;" in ranking
    assert ("Sở &#34;Tư pháp&#34; &amp; &#39;Nội vụ&#39; --&gt;&lt;img src=x "
            "onerror=alert(1)&gt;") in unit
    assert "{{ 7*7 }}" in ranking and "49" not in ranking.split("Ban &lt;b&gt;")[1][:80]
    # the warnings about these names are shown with the import
    assert "không thuộc chữ Việt" in r.text


# -- import and pages --------------------------------------------------------------------------

def test_a_bad_file_shows_every_problem_with_row_and_column_and_stores_nothing(client,
                                                                               tmp_path):
    bad = tmp_path / "thang-10.csv"
    bad.write_text("TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,month\n"
                   "An Giang,mười,18,8,8,18,15,2025-10\n"
                   "Hải Dương,18,18,8,8,18,15,2025-10\n", "utf-8")
    r = upload(client, bad)
    assert r.status_code == 422
    import html

    text = html.unescape(r.text)
    assert "thang-10.csv, dòng 2, cột 'CKMB': 'mười' không phải là số" in text
    assert "thang-10.csv, dòng 3, cột 'TEN': Hải Dương đã hợp nhất vào Hải Phòng" in text
    assert "/upload" not in r.text and "scorecard-upload" not in r.text  # no server path
    assert "Chưa có kỳ nào" in client.get("/").text
    assert client.get("/2025-10/province").status_code == 404


def test_import_twice_says_nothing_changed(imported):
    r = upload(imported, WORKBOOK)
    assert "đã được nhập trước đây" in r.text
    home = imported.get("/").text
    assert home.count("<th scope=\"row\">Tháng 10/2025</th>") == 1
    # the data date is read from the clerk's file name, as `scorecard import` reads it
    assert "Tỉnh, thành phố (34)" in home and "Số liệu đến ngày 16/10/2025 (tạm tính)" in home


def test_import_with_htmx_returns_the_result_and_the_periods(client):
    token = csrf(client)
    with WORKBOOK.open("rb") as f:
        r = client.post("/import", data={"csrf": token, "month": "2025-10"},
                        files={"file": (WORKBOOK.name, f)}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.text
    assert 'id="periods" class="card" hx-swap-oob="true"' in r.text
    assert 'href="/2025-10/province"' in r.text


def test_ranking_marks_the_office_and_follows_the_portal(imported):
    page = imported.get("/2025-10/province").text
    rows = re.findall(r"<tr( class=\"mark\"[^>]*)?>\s*<td class=\"num\">([^<]*)</td>\s*"
                      r"<td class=\"name\"><a href=\"([^\"]+)\">([^<]+)</a>", page)
    assert len(rows) == 34
    assert rows[0][1:] == ("1/34", "/2025-10/province/H05", "Bắc Ninh")
    marked = [r for r in rows if r[0]]
    assert [(m[1], m[3]) for m in marked] == [("13/34", "An Giang")]
    assert "91,52" in page and "86,74" in page  # Bắc Ninh's and An Giang's totals
    assert "So với kỳ trước" not in page  # no earlier period stored: no change column


def test_unit_view_says_what_the_pdf_says(imported, runner):
    page = imported.get("/2025-10/province/H01").text
    assert "<h1>Tỉnh An Giang</h1>" in page
    assert "86,74<small>/100</small>" in page and "13/34" in page
    assert "18,2/20" in page and "17,54/20" in page and "−0,76" in page
    said = runner.invoke(cli, ["narrate", str(WORKBOOK), "--month", "2025-10", "--unit",
                               "An Giang", "--data-date", "2025-10-16"]).output.strip()
    shown = re.search(r'<p id="paragraph" class="paragraph">([^<]*)</p>', page)[1]
    import html

    assert html.unescape(shown) == said
    found = runner.invoke(cli, ["narrate", str(WORKBOOK), "--month", "2025-10", "--unit",
                                "An Giang", "--findings", "--data-date",
                                "2025-10-16"]).output.splitlines()[1:]
    items = [html.unescape(x) for x in re.findall(r"<li>([^<]*)</li>", page)]
    assert [f"- {x}" for x in items] == found


def test_english_switch(imported):
    page = imported.get("/2025-10/province/H01?lang=en").text
    assert '<html lang="en">' in page and '<th scope="row">Total</th>' in page
    assert "Tiếng Việt" in page
    assert '<html lang="en">' in imported.get("/").text  # remembered
    assert '<html lang="vi">' in imported.get("/?lang=vi").text


def test_unknown_period_level_or_unit_is_404(imported):
    for path in ("/2025-09/province", "/2025-10/nowhere", "/2025-13/province",
                 "/2025-10/province/H99", "/2025-10/province/..%2F..%2Fetc.pdf",
                 "/2025-10/H99/bulletin.docx"):
        assert imported.get(path).status_code == 404, path


# -- downloads equal the command line's ------------------------------------------------------

@pytest.fixture
def cli_month(runner, tmp_path):
    """What `scorecard import` then `scorecard render --month --level` write, in a store of
    their own."""
    out, db = tmp_path / "cli", f"sqlite:///{tmp_path / 'cli.sqlite'}"
    r = runner.invoke(cli, ["import", str(WORKBOOK), "--month", "2025-10", "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["render", "--month", "2025-10", "--level", "province", "--db", db,
                            "--office", OFFICE, "--issued", TODAY.isoformat(), "--out",
                            str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    return out / "2025-10"


def test_unit_pdf_summary_and_zip_are_the_clis_bytes(imported, cli_month):
    r = imported.get("/2025-10/province/H01.pdf")
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="H01_an-giang.pdf"'
    assert r.content == (cli_month / "H01_an-giang.pdf").read_bytes()
    assert imported.get("/2025-10/province/summary.pdf").content == (
        cli_month / "summary.pdf").read_bytes()
    z = zipfile.ZipFile(io.BytesIO(imported.get("/2025-10/province.zip").content))
    pdfs = sorted(p.name for p in cli_month.glob("H*.pdf"))
    assert sorted(z.namelist()) == pdfs and len(pdfs) == 34
    for name in pdfs:
        assert z.read(name) == (cli_month / name).read_bytes(), name


def test_stored_dossier_figures_reach_the_page_as_render_takes_them(client, runner, tmp_path):
    """The page's dossier block and explain's largest gain (SPEC §12) from the store: the web's
    PDF was drawn without them while the CLI's had them (a test failed before)."""
    dossiers = EXAMPLES / "2025-10_ho-so-an-giang.csv"
    for f in (WORKBOOK, dossiers):
        assert upload(client, f).status_code == 200
    out, db = tmp_path / "cli", f"sqlite:///{tmp_path / 'cli.sqlite'}"
    for f in (WORKBOOK, dossiers):
        r = runner.invoke(cli, ["import", str(f), "--month", "2025-10", "--db", db])
        assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["render", "--month", "2025-10", "--level", "province", "--db", db,
                            "--office", OFFICE, "--issued", TODAY.isoformat(), "--out",
                            str(out), "--jobs", "1", "--unit", "H01"])
    assert r.exit_code == 0, r.output
    want = (out / "2025-10" / "H01_an-giang.pdf").read_bytes()
    assert client.get("/2025-10/province/H01.pdf").content == want
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(want)).pages)
    assert "48.690/48.904" in " ".join(text.split())  # resolved on time: the dossier block


def test_bulletin_is_the_clis_bytes(imported, runner, tmp_path):
    out = tmp_path / "cli"
    r = runner.invoke(cli, ["bulletin", str(WORKBOOK), "--month", "2025-10", "--unit", "H01",
                            "--data-date", "2025-10-16",
                            "--office", OFFICE, "--signer-title", "KT. CHÁNH VĂN PHÒNG",
                            "--signer", "Nguyễn Văn A", "--cc-list", "Văn phòng Chính phủ",
                            "--cc-list", "Lưu hồ sơ <b>&", "--issued", TODAY.isoformat(),
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    want = (out / "2025-10" / "H01_an-giang_ban-tin.docx").read_bytes()
    form = imported.get("/2025-10/province/H01").text
    assert f'name="office" value="{OFFICE}"' in form  # the office serve was started for
    got = imported.get("/2025-10/H01/bulletin.docx", params={
        "office": OFFICE, "parent_office": "", "number": "", "place": "",
        "signer_title": "KT. CHÁNH VĂN PHÒNG", "signer": "Nguyễn Văn A",
        "cc": "Văn phòng Chính phủ\r\nLưu hồ sơ <b>&\r\n"})
    assert got.status_code == 200
    assert got.headers["content-disposition"] == (
        'attachment; filename="H01_an-giang_ban-tin.docx"')
    assert got.content == want


def test_a_revision_by_the_portal_is_marked_on_the_ranking_and_said_on_the_unit(client):
    for f in ("2025-09_tinh-thanh.csv", "2025-09_tinh-thanh_2025-10-15.csv"):
        assert upload(client, EXAMPLES / f, month="").status_code == 200
    r = upload(client, WORKBOOK)
    assert r.status_code == 200
    ranking = client.get("/2025-10/province").text
    said = ("Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: 82,08 → 82,31 "
            "điểm")
    assert f"‡ An Giang: {said}</li>" in ranking
    assert "‡ Bắc Ninh: Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: " \
           "88,09 → 88,17 điểm</li>" in ranking
    assert ranking.count('class="revised"') == 2  # the two revised units, no other
    assert f'<p class="revision">{said}</p>' in client.get("/2025-10/province/H01").text
    assert "So với kỳ trước" in ranking  # a change column, now that September is stored


def test_the_mail_ledger_is_shown_read_only_per_unit(tmp_path):
    from scorecard.ledger import Ledger

    path = tmp_path / "mail-ledger.sqlite"
    with Ledger(path, exclusive=True) as ledger:
        ledger.mark("2025-10", "H01", ["vp@angiang.example"], "a" * 64, "sent", "<m1@x>")
        ledger.mark("2025-10", "H05", ["<b>x</b>@bacninh.example"], "b" * 64, "unknown", "<m2@x>")
        ledger.mark("2025-09", "H01", ["old@angiang.example"], "c" * 64, "failed", "<m0@x>")
    before = path.read_bytes()
    client = make_client(tmp_path, ledger=path)
    upload(client, WORKBOOK)
    ranking = client.get("/2025-10/province").text
    assert '<span class="status sent" title="vp@angiang.example">đã gửi</span>' in ranking
    assert ('<span class="status unknown" title="&lt;b&gt;x&lt;/b&gt;@bacninh.example">'
            'chưa rõ</span>') in ranking
    unit = client.get("/2025-10/province/H01").text
    assert "<td>vp@angiang.example</td>" in unit and "old@angiang.example" not in unit
    assert path.read_bytes() == before  # read only


def test_the_unit_view_s_findings_say_the_largest_gain(client, tmp_path):
    """SPEC §12: explain's largest gain is one of the findings wherever they are shown; the
    page's PDF said it and the page's own list of findings did not (a test failed before)."""
    data = tmp_path / "phu-tho_2026-08.csv"
    data.write_text("MA_COQUAN,TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,month\n"
                    "H44,Phú Thọ,16,15.68,8.83,6.25,15,15,2026-08\n"
                    "H26,Hà Nội,9,17.5,9,7,13,10,2026-08\n", encoding="utf-8")
    trees = [DATA / f"phu-tho_2026-08_{t}-tree.json"
             for t in ("dvc-progress", "provide-online", "formality-online-payment")]
    for f in (data, *trees):
        r = upload(client, f, month="2026-08")
        assert r.status_code == 200, r.text
    page = client.get("/2026-08/province/H44")
    assert page.status_code == 200
    shown = " ".join(page.text.split())
    assert ("Giữ nguyên 184.513 hồ sơ tiếp nhận, xử lý đúng hạn thêm 8.429 hồ sơ thì Tiến độ, "
            "kết quả giải quyết đạt 16,59/20 điểm") in shown
