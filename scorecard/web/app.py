"""`scorecard serve`: the clerk's web page over the stored periods (SPEC §10).

Routes: `/` (the periods and the import form), `/import` (POST), `/<period>/<level>` (the
ranking), `/<period>/<level>/<code>` (a unit), `/<period>/<level>/<code>.pdf`,
`/<period>/<level>.zip`, `/<period>/<level>/summary.pdf`, `/<period>/<code>/bulletin.docx`,
`/login`, `/logout`, `/static/…`. Downloads are made by the same library calls as the
command line's, so their bytes are the CLI's for the same inputs and options.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..content.options import PageOptions
from ..content.page import unit_page
from ..content.summary import default_highlight, order, summary_page
from ..errors import ScorecardError, ValidationError
from ..language import LANGS, Language, language
from ..messages import text
from ..model import Level, Scorecard
from ..period import Period, parse_date
from ..pipeline import Loaded, Options
from . import html
from .security import UploadCap, checked_form, csrf_token
from .source import Source
from .users import verify_password

if TYPE_CHECKING:
    from ..dossiers import Target
    from ..findings import Rules

HERE = Path(__file__).parent
CHUNK = 1 << 16


@dataclass(frozen=True)
class Config:
    """What `scorecard serve` was started with."""

    users: dict[str, str] | None = None  # name -> hash; None: no login (this machine only)
    max_upload: int = 20 * 1024 * 1024
    office: str | None = None
    highlight: str | None = None
    findings_rules: str | None = None
    ledger: Path | None = None
    https_only: bool = False  # behind a TLS proxy: the cookie is sent over https only
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    today: Callable[[], dt.date] = dt.date.today


def create_app(source: Source, config: Config) -> Starlette:
    """The ASGI app; uvicorn serves it."""
    web = Web(source, config)
    routes = [
        Route("/", web.home),
        Route("/import", web.import_file, methods=["POST"]),
        Route("/login", web.login, methods=["GET", "POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Route("/{period}/{level}.zip", web.zip),
        Route("/{period}/{level}/summary.pdf", web.summary),
        Route("/{period}/{code}/bulletin.docx", web.bulletin),
        Route("/{period}/{level}/{code}.pdf", web.pdf),
        Route("/{period}/{level}/{code}", web.unit),
        Route("/{period}/{level}", web.ranking),
    ]
    middleware = [
        Middleware(SessionMiddleware, secret_key=config.secret, session_cookie="scorecard",
                   max_age=8 * 3600, same_site="strict", https_only=config.https_only),
        Middleware(UploadCap, limit=config.max_upload, refuse=web.too_large),
    ]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: web.error})
    from .security import Headers

    return Headers(app)  # type: ignore[return-value]  # an ASGI app like any other


class Web:
    """The handlers, sharing the source and the configuration."""

    def __init__(self, source: Source, config: Config):
        self.source, self.config = source, config

    # the option files, read at first use and kept, as a render reads them once per run
    @cached_property
    def rules(self) -> Rules:
        from ..findings import load_rules

        return load_rules(self.config.findings_rules)

    @cached_property
    def targets(self) -> tuple[Target, ...]:
        from ..dossiers import load_targets

        return tuple(load_targets())

    # -- the frame ------------------------------------------------------------------------

    def lang(self, request: Request) -> Language:
        """?lang=en switches, and the session remembers it (Vietnamese first)."""
        asked = request.query_params.get("lang")
        if asked in LANGS:
            request.session["lang"] = asked
        return language(str(request.session.get("lang", "vi")))

    def page(self, request: Request, template: str, status: int = 200,
             **context: Any) -> HTMLResponse:
        from ..formatting import Fmt

        lang = self.lang(request)
        fmt = Fmt(lang)
        context.setdefault("fragment", False)
        body = html.render(template, t=html.web_words(lang), lang=lang,
                           level_name=fmt.level, date=fmt.date,
                           csrf=csrf_token(request), user=request.session.get("user"),
                           path=request.url.path, login=self.config.users is not None,
                           **context)
        return HTMLResponse(body, status)

    def gate(self, request: Request) -> None:
        """With a users file, every page but the login asks for one."""
        if self.config.users is not None and request.session.get("user") not in (
                self.config.users or {}):
            raise HTTPException(401)

    async def error(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 401 and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", 303)
        t = html.web_words(self.lang(request))
        return self.page(request, "error.html", status, message=t.get(f"error_{status}",
                                                                      t["error_other"]))

    def too_large(self, scope: Any, limit: int) -> Any:
        async def refuse(scope: Any, receive: Any, send: Any) -> None:
            from decimal import Decimal

            from ..formatting import Fmt

            request = Request(scope, receive)
            lang = language(str(request.session.get("lang", "vi")))
            t = html.web_words(lang)
            mb = Fmt(lang).num(Decimal(limit) / 1024 / 1024)
            response = self.page(request, "error.html", 413,
                                 message=t["error_413"].format(mb=mb))
            await response(scope, receive, send)

        return refuse

    # -- login ------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        form = await checked_form(request) if request.method == "POST" else None
        if self.config.users is None:
            return RedirectResponse("/", 303)
        failed = False
        if form is not None:
            name, password = str(form.get("user", "")), str(form.get("password", ""))
            stored = self.config.users.get(name)
            if stored is not None and verify_password(password, stored):
                request.session.clear()  # a new session: nothing carried over from before
                request.session["user"] = name
                nxt = str(form.get("next", "/"))
                return RedirectResponse(nxt if _local(nxt) else "/", 303)
            failed = True
        nxt = str(form.get("next", "/")) if form else request.query_params.get("next", "/")
        return self.page(request, "login.html", 401 if failed else 200, failed=failed,
                         next=nxt if _local(nxt) else "/")

    async def logout(self, request: Request) -> Response:
        await checked_form(request)
        request.session.clear()
        return RedirectResponse("/login" if self.config.users is not None else "/", 303)

    # -- pages ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        self.gate(request)
        return self.page(request, "home.html", periods=self.source.periods(), result=None,
                         problems=[], name="")

    async def import_file(self, request: Request) -> Response:
        self.gate(request)
        form = await checked_form(request)
        try:
            return await self._import(request, form)
        finally:
            await form.close()

    async def _import(self, request: Request, form: Any) -> Response:
        lang = self.lang(request)
        t = html.web_words(lang)
        upload = form.get("file")
        problems: list[str] = []
        result = None
        if not isinstance(upload, UploadFile) or not upload.filename:
            problems = [t["import_no_file"]]
        else:
            name = shown_name(upload.filename)
            try:
                opts = Options(data="", period=_field(form, "month", Period.parse, t),
                               sheet=str(form.get("sheet") or "").strip() or None,
                               data_date=_field(form, "data_date", parse_date, t))
                with tempfile.TemporaryDirectory(prefix="scorecard-upload-") as tmp:
                    path = Path(tmp) / "upload"  # the clerk's name never becomes a path
                    with path.open("wb") as f:
                        while chunk := await upload.read(CHUNK):
                            f.write(chunk)
                    try:
                        result = self.source.import_file(path, name, opts)
                    except ScorecardError as e:
                        problems = [p.replace(str(path), name) for p in _problems(e, lang)]
            except ValueError as e:
                problems = [str(e)]
        context: dict[str, Any] = {"result": result, "problems": problems, "name": upload.filename
                   if isinstance(upload, UploadFile) else ""}
        if request.headers.get("hx-request"):  # htmx swaps it in; the periods list too
            return self.page(request, "import_result.html", fragment=True,
                             periods=self.source.periods(), **context)
        return self.page(request, "home.html", 200 if result else 422,
                         periods=self.source.periods(), **context)

    def _loaded(self, request: Request) -> tuple[Loaded, Level]:
        try:
            period = Period.parse(request.path_params["period"])
            level = Level.parse(request.path_params["level"])
        except ValueError as e:
            raise HTTPException(404) from e
        loaded = self.source.loaded(period, level)
        if loaded is None:
            raise HTTPException(404)
        return loaded, level

    def _card(self, request: Request) -> tuple[Loaded, Scorecard]:
        loaded, level = self._loaded(request)
        code = request.path_params["code"]
        for c in loaded.everyone:
            if c.unit.code == code:
                return loaded, c
        raise HTTPException(404)

    def options(self, loaded: Loaded, lang: Language) -> PageOptions:
        """As `scorecard render` builds them from the same options (see cli.render)."""
        from ..pipeline import choose

        c = self.config
        marked = choose(loaded.everyone, (c.highlight,))[0].unit.code if c.highlight else None
        # the stored dossier figures and the shipped targets, as render takes them from the store
        return PageOptions(loaded.index, lang, c.office, c.today(), None,
                           marked or default_highlight(c.office, loaded.everyone),
                           self.rules, loaded.dossiers, self.targets)

    async def ranking(self, request: Request) -> Response:
        self.gate(request)
        loaded, level = self._loaded(request)
        lang = self.lang(request)
        summary = summary_page(loaded.cards, self.options(loaded, lang))
        cards = sorted(loaded.cards, key=order)  # the summary's own order: one card a row
        revised = {c.unit.code: html.revision_lines(c, lang) for c in cards if c.revisions}
        return self.page(request, "ranking.html", summary=summary, section=summary.sections[0],
                         codes=[c.unit.code for c in cards], revised=revised,
                         period=loaded.month.period, level=level,
                         mail=self._mail(loaded.month.period))

    async def unit(self, request: Request) -> Response:
        from ..narrative import render_narrative

        self.gate(request)
        loaded, card = self._card(request)
        lang = self.lang(request)
        opts = self.options(loaded, lang)
        page = unit_page(card, opts)
        # the paragraph to copy is `narrate`'s, with its '(Số liệu tạm tính …)': pasted into
        # a report, nothing above it says the date
        paragraph = render_narrative(card, loaded.index, lang, opts.templates,
                                     self.rules).unescape()
        return self.page(request, "unit.html", unit=page, card=card, paragraph=paragraph,
                         bars=html.bar_svg(page.bars),
                         trend=html.trend_svg(page.trend) if page.trend else None,
                         findings=_all_findings(loaded, card, self.rules, lang),
                         revisions=html.revision_lines(card, lang),
                         mail=self._mail(card.period).get(card.unit.code, []),
                         office=self.config.office or "",
                         level=card.unit.level.name.lower())

    def _mail(self, period: Period) -> dict[str, list[Any]]:
        """The mail ledger's rows of the period, by unit: read-only."""
        path = self.config.ledger
        if path is None or not path.exists():
            return {}
        from ..ledger import Ledger

        out: dict[str, list[Any]] = {}
        with Ledger(path, readonly=True) as ledger:
            for e in ledger.entries():
                if e.month == period.slug:
                    out.setdefault(e.unit, []).append(e)
        return out

    # -- downloads --------------------------------------------------------------------------

    async def pdf(self, request: Request) -> Response:
        self.gate(request)
        from ..manifest import file_name
        from ..render.pdf import unit_pdf

        loaded, card = self._card(request)
        data = unit_pdf(unit_page(card, self.options(loaded, self.lang(request)))).data
        return _download(data, file_name(card), "application/pdf",
                         inline=request.query_params.get("inline") == "1")

    async def summary(self, request: Request) -> Response:
        self.gate(request)
        from ..batch import SUMMARY
        from ..render.summary import summary_pdf

        loaded, _ = self._loaded(request)
        data = summary_pdf(summary_page(loaded.cards,
                                        self.options(loaded, self.lang(request)))).data
        return _download(data, f"{loaded.month.period.slug}_{SUMMARY}", "application/pdf")

    async def zip(self, request: Request) -> Response:
        """Every unit's PDF of the level, as `render` writes them, in one ZIP."""
        self.gate(request)
        from ..manifest import file_name
        from ..render.pdf import unit_pdf

        loaded, level = self._loaded(request)
        opts = self.options(loaded, self.lang(request))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for card in loaded.cards:
                info = zipfile.ZipInfo(file_name(card), date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, unit_pdf(unit_page(card, opts)).data)
        slug = loaded.month.period.slug
        return _download(buf.getvalue(), f"{slug}_{level.name.lower()}.zip", "application/zip")

    async def bulletin(self, request: Request) -> Response:
        """The bulletin draft, as `scorecard bulletin` writes it from the form's fields."""
        self.gate(request)
        from ..bulletins import write_bulletin
        from ..content.options import BulletinOptions
        from ..findings import load_actions
        from ..issuer import IssuerOptions

        try:
            period = Period.parse(request.path_params["period"])
        except ValueError as e:
            raise HTTPException(404) from e
        code = request.path_params["code"]
        opts = next((o for lv in Level if (o := self._holding(period, lv, code))), None)
        if opts is None:
            raise HTTPException(404)
        q = request.query_params
        issuer = IssuerOptions(q.get("office", ""), "", "", q.get("parent_office", ""),
                               q.get("place", ""), q.get("signer_title", ""),
                               q.get("signer", ""))
        with tempfile.TemporaryDirectory(prefix="scorecard-bulletin-") as tmp:
            words = BulletinOptions(
                self.config.today(), issuer, self.lang(request), q.get("number", ""),
                tuple(r.strip() for r in q.get("cc", "").splitlines() if r.strip()),
                rules=self.rules, targets=self.targets,
                actions=load_actions())
            path = write_bulletin(replace(opts, units=(code,)), Path(tmp), words).path
            data = path.read_bytes()
            name = path.name
        return _download(data, name,
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


    def _holding(self, period: Period, level: Level, code: str) -> Options | None:
        """The options of the period's file of this level, if it holds the unit."""
        loaded = self.source.loaded(period, level)
        if loaded is None or not any(c.unit.code == code for c in loaded.everyone):
            return None
        return self.source.options(period, level)


def _download(data: bytes, name: str, kind: str, inline: bool = False) -> Response:
    """`name` is made by batch.file_name (ASCII letters, digits, '.', '_', '-'): safe in a
    header as it is."""
    how = "inline" if inline else "attachment"
    return Response(data, media_type=kind,
                    headers={"content-disposition": f'{how}; filename="{name}"'})


def shown_name(filename: str) -> str:
    """The clerk's file name as shown in messages: its last part, printable, not too long."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in last if c.isprintable())[:120] or "?"


def _field(form: Any, key: str, parse: Callable[[str], Any], t: dict[str, str]) -> Any:
    value = str(form.get(key) or "").strip()
    if not value:
        return None
    try:
        return parse(value)
    except ValueError as e:
        raise ValueError(t[f"bad_{key}"].format(value=value)) from e


def _problems(e: ScorecardError, lang: Language) -> list[str]:
    if isinstance(e, ValidationError):
        return [text(p, lang) for p in e.problems]
    return [e.text(lang)]


def _all_findings(loaded: Loaded, card: Scorecard, rules: Rules, lang: Language) -> list[str]:
    """Every finding, most important first, as `scorecard narrate --findings` lists them,
    then the largest gain the stored dossier counts allow, as the page's PDF says it."""
    from ..content.blocks import gain
    from ..dossiers import for_unit
    from ..findings import said_once, unit_findings
    from ..formatting import Fmt
    from ..narrative import finding_text

    peers = [c for c in loaded.everyone if c.unit.level is card.unit.level]
    found = [finding_text(f, card, rules, lang)
             for f in said_once(unit_findings(card, peers, rules, loaded.index))]
    d = for_unit(loaded.dossiers, card.unit.code, card.unit.name) if loaded.dossiers else None
    most = gain(card, d, loaded.index, Fmt(language(lang)))
    return [*found, *((most,) if most else ())]


def _local(path: str) -> bool:
    """Only a path of this site may follow a login: never another host."""
    return path.startswith("/") and not path.startswith("//") and "\\" not in path
