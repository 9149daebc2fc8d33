"""The `scorecard` command: click only — parse options, call the library, translate errors."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import STARTED
from .errors import ScorecardError
from .helptext import Group, click_word, current_language
from .language import LANGS, Language, language
from .messages import Msg, msg, printable
from .model import Level
from .period import Period, parse_date

if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import deliver, pipeline
    from .manifest import ManifestRow
    from .signing import SignSpec

# The heavy parts (pandas, reportlab, the SMTP side) are imported by the command that needs
# them, so that `scorecard --help` and every start-up stay quick.


def env(name: str) -> str:
    return f"SCORECARD_{name.upper().replace('-', '_')}"


def _lang(ctx: click.Context, param: click.Parameter, value: str) -> Language:
    """--lang as the Language type every signature takes."""
    return language(value)


def _usage(m: Msg) -> str:
    """A usage error (exit 2), found before --lang is parsed: in the run's language."""
    return m.text(language(current_language()))


def _period(ctx: click.Context, param: click.Parameter, value: str | None) -> Period | None:
    if not value:
        return None
    try:
        return Period.parse(value)
    except ValueError as e:
        raise click.BadParameter(_usage(msg("bad_period", value=value))) from e


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise click.BadParameter(_usage(msg("bad_date", value=value))) from e


class UnitName(click.ParamType):
    """A unit's code or name. Several in one SCORECARD_UNIT are separated by ';', never by
    spaces: 'Bắc Ninh' is one unit."""

    name = "unit"
    envvar_list_splitter = ";"

    def split_envvar_value(self, rv: str) -> list[str]:
        return [u.strip() for u in rv.split(";") if u.strip()]


def _level(ctx: click.Context, param: click.Parameter, value: str | None) -> Level | None:
    return Level.parse(value) if value else None  # click.Choice has checked it


FILE = click.Path(exists=True, dir_okay=False)


def data_options(f: Callable[..., Any], data_required: bool = True) -> Callable[..., Any]:
    """Options every data command shares; each also reads SCORECARD_<OPTION>."""
    opts = [
        click.argument("data", type=FILE, required=data_required),
        click.option("--month", "--period", "period", callback=_period, envvar=env("month"),
                     help="Period: YYYY-MM, YYYY-Qn or YYYY (default: the file's month column)."),
        click.option("--sheet", envvar=env("sheet"),
                     help="Workbook sheet (default: the one with unit scores for --month)."),
        click.option("--index", "index_file", type=FILE, envvar=env("index"),
                     help="Another index definition (TOML) instead of Decision 766's."),
        click.option("--level", type=click.Choice([lv.name.lower() for lv in Level]),
                     callback=_level, envvar=env("level"),
                     help="Only this level; also the level of rows the file does not say."),
        click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
                     callback=_lang, envvar=env("lang"), help="Language of the output."),
        click.option("--history", multiple=True, type=FILE, envvar=env("history"),
                     help="An earlier period's file, for trend and change (repeatable)."),
        click.option("--national", type=FILE, envvar=env("national"),
                     help="A file whose 'Cả nước' row gives the national averages."),
        click.option("--data-date", callback=_date, envvar=env("data_date"),
                     help="Date of the data, YYYY-MM-DD or DD/MM/YYYY (default: a "
                          "YYYY-MM-DD in the data file's name, the day the portal's export "
                          "was taken; else the period's last day)."),
        click.option("--templates", type=click.Path(exists=True, file_okay=False),
                     envvar=env("templates"), help="Folder of templates overriding the packaged."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _moment(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise click.BadParameter(_usage(msg("bad_signing_time", value=value)))
    return moment


def sign_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """How render signs (SPEC §11); the password and PIN only ever come from the environment."""
    opts = [
        click.option("--sign-p12", type=FILE, envvar=env("sign_p12"),
                     help="Sign every PDF with this PKCS#12 key file (.p12/.pfx); its password "
                          "comes only from SCORECARD_SIGN_PASSWORD."),
        click.option("--sign-pkcs11", type=FILE, envvar=env("sign_pkcs11"),
                     help="Sign with a USB token through this PKCS#11 library (.so/.dll); its "
                          "PIN comes only from SCORECARD_SIGN_PIN."),
        click.option("--sign-token", envvar=env("sign_token"), help="The token's label."),
        click.option("--sign-key", envvar=env("sign_key"),
                     help="The label of the signing key on the token."),
        click.option("--signing-time", callback=_moment, envvar=env("signing_time"),
                     help="The signing time, ISO 8601 with offset, e.g. "
                          "2025-10-20T09:00:00+07:00 (default: now)."),
        click.option("--tsa", envvar=env("tsa"),
                     help="A time-stamp authority's URL: PAdES B-T instead of B-B."),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def quiet_pyhanko() -> None:
    """pyHanko logs what it finds (an untrusted chain, with a traceback) on stderr; the
    command says it once, in the user's words."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).addHandler(logging.NullHandler())


def signing_spec(kw: dict[str, Any]) -> SignSpec | None:
    """The signing options, checked together; None when the run does not sign."""
    p12, lib, token, key = (kw.pop(k) for k in ("sign_p12", "sign_pkcs11", "sign_token",
                                                "sign_key"))
    at, tsa = kw.pop("signing_time"), kw.pop("tsa")
    if not p12 and not lib:
        for option, value in (("--sign-token", token), ("--sign-key", key),
                              ("--signing-time", at), ("--tsa", tsa)):
            if value:
                raise click.UsageError(_usage(msg("sign_unused", option=option)))
        return None
    if (p12 and (lib or token or key)) or (lib and not (token and key)):
        raise click.UsageError(_usage(msg("sign_options")))
    from .signing import SignSpec  # not before: an unsigned run does without its imports

    moment = at or dt.datetime.now().astimezone().replace(microsecond=0)
    return SignSpec(moment, p12, lib, token, key, tsa)


dossiers_period_option = click.option(
    "--dossiers-period", callback=_period, envvar=env("dossiers_period"),
    help="The dossier figures' period, YYYY-MM, when it is not the report's: printed with "
         "its own period named (without it, a file of another period is refused).")

findings_rules_option = click.option(
    "--findings-rules", type=FILE, envvar=env("findings_rules"),
    help="An office's own thresholds of the findings and the units to watch (TOML, as "
         "scorecard/data/findings.toml).")


def translate_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake is `Error: …` and exit 1; anything else is a bug with a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except ScorecardError as e:
            lang = language(kwargs.get("lang") or "vi")
            raise UserError(e.text(lang), lang) from e

    return wrapper


class UserError(click.ClickException):
    """`Lỗi: …` (or `Error: …` with --lang en), exit code 1."""

    def __init__(self, message: str, lang: Language = Language.VI):
        super().__init__(message)
        self.lang = lang

    def show(self, file: Any = None) -> None:
        label = language(self.lang).pick("Lỗi", "Error")
        click.echo(f"{label}: {self.format_message()}", err=True, file=file)


def say(key: str, lang: Language, *, err: bool = False, **values: Any) -> None:
    click.echo(msg(key, **values).text(lang), err=err)


def default_jobs() -> int:
    """All the cores this process may use."""
    from .batch import cores

    return cores()


def options(kw: dict[str, Any], units: tuple[str, ...] = ()) -> pipeline.Options:
    from . import pipeline

    return pipeline.Options(
        data=kw["data"], sheet=kw["sheet"], period=kw["period"], index_file=kw["index_file"],
        level=kw["level"], units=units, history=tuple(kw["history"]), national=kw["national"],
        data_date=kw["data_date"], db=store_url(kw.get("db")))


class StoreOption(click.Option):
    """--db, whose help shows the default file: computed only when help is asked for, so
    that no command pays for it at start-up."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from .storefile import default_url

        record = super().get_help_record(ctx)
        default = click_word("default: {default}").format(default=default_url())
        return None if record is None else (record[0], f"{record[1]}  [{default}]")


def store_url(given: str | None) -> str:
    from .storefile import default_url

    return given or default_url()


db_option = click.option(
    "--db", cls=StoreOption, envvar=env("db"), metavar="URL",
    help="The store: sqlite:///PATH or postgresql://USER@HOST/DB (password from ~/.pgpass or "
         "PGPASSWORD).")


class _Scorecard(Group):
    """The group, with Ctrl-C during a command as one line and exit 130, never a traceback
    (click's own "Aborted!" exits 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from .console import interrupted

            interrupted()


@click.group(cls=_Scorecard, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scorecard")
def cli() -> None:
    """Scorecards of the public service index (Decision 766/QĐ-TTg) from the portal's data."""


@cli.command()
@data_options
@translate_errors
def validate(**kw: Any) -> None:
    """Check a data file and print what was understood, or every problem (exit 1)."""
    from .pipeline import load, report

    for line in report(load(options(kw))):
        click.echo(line.text(kw["lang"]))


@cli.command()
@functools.partial(data_options, data_required=False)
@db_option
@click.option("--unit", "units", multiple=True, type=UnitName(), envvar=env("unit"),
              help="Only this unit, by code or name (repeatable; default: every unit).")
@click.option("--out", default="out", show_default=True, type=click.Path(file_okay=False),
              envvar=env("out"), help="Output folder; files go to OUT/<period>/.")
@click.option("--jobs", type=click.IntRange(min=1), default=default_jobs, envvar=env("jobs"),
              help="Parallel worker processes (default: all cores).")
@click.option("--office", envvar=env("office"), help="Issuing office printed in the header.")
@click.option("--office-en", envvar=env("office_en"),
              help="The issuing office's English name, printed instead of --office on English "
                   "pages (--lang en), e.g. 'Office of the An Giang Provincial People's "
                   "Committee'.")
@findings_rules_option
@click.option("--dossiers", multiple=True, type=FILE, envvar=env("dossiers"),
              help="Dossier figures for the page's dossier block (CSV/XLSX or portal trees).")
@click.option("--targets", type=FILE, envvar=env("targets"),
              help="Another targets file (TOML, as scorecard/data/targets.toml).")
@click.option("--highlight", envvar=env("highlight"),
              help="The unit (code or name) marked in the summary (default: the one --office "
                   "names, when it is a unit of the file).")
@click.option("--issued", callback=_date, envvar=env("issued"),
              help="Date printed as the generation date, YYYY-MM-DD (default: today).")
@dossiers_period_option
@sign_options
@translate_errors
def render(units: tuple[str, ...], out: str, jobs: int, office: str | None,
           office_en: str | None, highlight: str | None, findings_rules: str | None,
           dossiers: tuple[str, ...],
           targets: str | None, issued: dt.date | None, dossiers_period: Period | None,
           **kw: Any) -> None:
    """Write each unit's PDF, summary.pdf and manifest.csv under OUT/<period>/.

    With --sign-p12 or --sign-pkcs11 every PDF is signed (PAdES), and the key and its
    certificate are checked before anything is drawn.

    Without DATA, renders the period --month from the store (--level for one level). History
    (trend, change, same period last year), revisions and dossiers come from the store when
    it holds them; --history and --dossiers files win.
    """
    from .batch import Workers, render_month
    from .content.options import PageOptions
    from .dossiers import dossiers_period as period_of_dossiers
    from .dossiers import load_targets, read_dossiers
    from .findings import load_rules
    from .formatting import Fmt
    from .pipeline import choose, dated_after, load

    signing = signing_spec(kw)
    with Workers(jobs, kw["lang"], kw["templates"], signing is not None,
                 len(units)) as workers:  # they start while we load
        asked = click.get_current_context().get_parameter_source("jobs")
        if workers.capped is not None and asked is not click.core.ParameterSource.DEFAULT:
            say("mail_note", kw["lang"], err=True, what=workers.capped)
        if signing is not None:  # the key and certificate, checked before anything is drawn
            from .signing import signer

            quiet_pyhanko()
            signed: tuple[str, dt.datetime] | None = (signer(signing).name, signing.at)
        else:
            signed = None
        loaded = load(options(kw, units))
        marked = choose(loaded.everyone, (highlight,))[0].unit.code if highlight else None
        issued = issued or dt.date.today()
        opts = PageOptions(loaded.index, language(kw["lang"]), office, issued,
                           kw["templates"], marked, load_rules(findings_rules),
                           read_dossiers(dossiers) if dossiers else loaded.dossiers,
                           tuple(load_targets(targets)), signed,
                           period_of_dossiers(dossiers, loaded.month.period, dossiers_period)
                           if dossiers else None, office_en)
        result = render_month(loaded.cards, opts, Path(out), workers=workers,
                              summary=not units, progress=_progress, signing=signing)
    lang = kw["lang"]
    say_notes((*dated_after(loaded.cards[0].data_date, issued), *loaded.notes, *result.notes),
              lang)
    seconds = Fmt(lang).num(Decimal(time.perf_counter() - STARTED).quantize(Decimal("0.01")))
    say("render_done", lang, n=sum(1 for r in result.rows if r.code or r.name),
        summary="" if units else msg("render_and_summary"), folder=result.folder,
        seconds=seconds)


def say_notes(notes: Iterable[Msg], lang: Language) -> None:
    """What the clerk should know, a 'Lưu ý: …' line each, on stderr (a command's own output,
    the paragraph `narrate` prints, stays clean to paste)."""
    for note in notes:
        say("mail_note", lang, err=True, what=note)


def _progress(results: Iterator[ManifestRow], n: int) -> Iterator[ManifestRow]:
    """A progress bar on a terminal only: cron's log gets the closing line, not bars."""
    if not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(results, length=n, label="PDF", file=sys.stderr) as bar:
        yield from bar


@cli.command()
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option("--trust", multiple=True, type=FILE, envvar=env("trust"),
              help="A root certificate to trust (PEM or DER; repeatable). Default: the "
                   "system's root certificates.")
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"), help="Language of the output.")
@translate_errors
def verify(files: tuple[str, ...], trust: tuple[str, ...], lang: Language) -> None:
    """Check signed PDFs: who signed each, when, whether it changed since, and whether the
    signer's certificate is trusted."""
    from .verify import load_roots, verify_file

    quiet_pyhanko()
    roots = load_roots(trust) if trust else None
    good = 0
    for f in files:
        verdicts = verify_file(Path(f), roots)
        for v in verdicts:
            click.echo("; ".join(p.text(lang) for p in v.parts))
        good += all(v.ok for v in verdicts)
    say("verify_summary", lang, good=good, n=len(files))
    if good < len(files):
        raise SystemExit(1)


@cli.command()
@data_options
@db_option
@click.option("--unit", "units", multiple=True, required=True, type=UnitName(),
              envvar=env("unit"),
              help="Code or name of the unit (repeatable).")
@click.option("--findings", is_flag=True, envvar=env("findings"),
              help="Print the findings as a list (most important first) instead.")
@findings_rules_option
@translate_errors
def narrate(units: tuple[str, ...], findings: bool, findings_rules: str | None,
            **kw: Any) -> None:
    """Print the bulletin paragraph for a unit, as plain text to paste; or its findings."""
    from .findings import load_rules
    from .narrative import finding_text, render_narrative
    from .pipeline import load

    loaded = load(options(kw, units))
    say_notes(loaded.notes, kw["lang"])
    rules = load_rules(findings_rules)  # the findings' thresholds, and the paragraph's band
    if findings:
        from .content.blocks import page_name
        from .findings import said_once, unit_findings
        from .formatting import Fmt

        for card in loaded.cards:  # headed as the unit's page is: 'Tỉnh An Giang — Tháng …'
            peers = [c for c in loaded.everyone if c.unit.level is card.unit.level]
            click.echo(printable(f"{page_name(card, Fmt(kw['lang']))} — "
                                 f"{card.period.label(kw['lang'])}"))
            for f in said_once(unit_findings(card, peers, rules, loaded.index)):
                click.echo(printable(f"- {finding_text(f, card, rules, kw['lang'])}"))
        return
    for card in loaded.cards:  # a name's control characters shown as validate shows them
        text = render_narrative(card, loaded.index, kw["lang"], kw["templates"], rules)
        click.echo(printable(text.unescape(), keep="\n"))


@cli.command()
@data_options
@db_option
@click.option("--unit", "units", multiple=True, required=True, type=UnitName(),
              envvar=env("unit"), help="The unit whose bulletin is drafted.")
@click.option("--out", default="out", show_default=True, type=click.Path(file_okay=False),
              envvar=env("out"), help="Output folder; the DOCX goes to OUT/<period>/.")
@click.option("--office", envvar=env("office"), default="",
              help="The issuing office, e.g. 'Văn phòng UBND tỉnh An Giang', 'UBND xã Mỹ Hòa "
                   "Hưng', 'Sở Tài chính' (default: the one that reports for the unit's level).")
@click.option("--issuer-kind", envvar=env("issuer_kind"), default="",
              type=click.Choice(["", "van-phong", "ubnd-tinh", "so", "ubnd-xa"]),
              help="The kind of issuer whose defaults apply (default: from --office).")
@click.option("--office-abbr", envvar=env("office_abbr"), default="",
              help="The office's abbreviation in the number, e.g. 'STC' for Số: …/BC-STC.")
@click.option("--parent-office", envvar=env("parent_office"), default="",
              help="The parent body (ô 1), e.g. 'UBND tỉnh An Giang' (default: by issuer).")
@click.option("--place", envvar=env("place"), default="",
              help="The place before the date (default: the bare place name).")
@click.option("--number", envvar=env("number"), default="",
              help="The document number; left blank for the clerk by default.")
@click.option("--signer-title", envvar=env("signer_title"), default="",
              help="The signer's title (ô 7), e.g. 'KT. CHÁNH VĂN PHÒNG' (its second line is "
                   "added); lines may be separated by '/'.")
@click.option("--signer", envvar=env("signer"), default="", help="The signer's full name.")
@click.option("--cc-list", "cc", multiple=True, envvar=env("cc_list"),
              help="A 'Nơi nhận' line (repeatable), e.g. 'Chủ tịch UBND tỉnh'.")
@click.option("--dossiers", multiple=True, type=FILE, envvar=env("dossiers"),
              help="Dossier figures: CSV/XLSX, or the portal's dossier trees (repeatable).")
@click.option("--targets", type=FILE, envvar=env("targets"),
              help="Another targets file (TOML, as scorecard/data/targets.toml).")
@click.option("--sub-units", type=FILE, envvar=env("sub_units"),
              help="The departments' and communes' scores of the same period (for the watch "
                   "list and the annex).")
@click.option("--sub-units-sheet", multiple=True, envvar=env("sub_units_sheet"),
              help="The sheet of --sub-units, if a workbook (repeatable: the departments' "
                   "sheet and the communes' sheet, for both).")
@findings_rules_option
@click.option("--actions", type=FILE, envvar=env("actions"),
              help="An office's own suggested actions per group (TOML, as "
                   "scorecard/data/actions.toml).")
@click.option("--issued", callback=_date, envvar=env("issued"),
              help="The report's date, YYYY-MM-DD (default: today).")
@dossiers_period_option
@translate_errors
def bulletin(units: tuple[str, ...], out: str, office: str, issuer_kind: str,
             office_abbr: str, parent_office: str, place: str,
             number: str, signer_title: str, signer: str, cc: tuple[str, ...],
             dossiers: tuple[str, ...], targets: str | None, sub_units: str | None,
             sub_units_sheet: tuple[str, ...], findings_rules: str | None,
             actions: str | None,
             issued: dt.date | None, dossiers_period: Period | None, **kw: Any) -> None:
    """Draft the unit's monthly bulletin as DOCX (Decree 30 layout), to edit, number, sign.

    Writes OUT/<period>/<CODE>_<slug>_ban-tin.docx and its manifest row (kind 'bulletin').
    """
    from .bulletins import write_bulletin
    from .content.options import BulletinOptions
    from .dossiers import load_targets
    from .findings import load_actions, load_rules
    from .issuer import IssuerOptions

    issuer = IssuerOptions(office, issuer_kind, office_abbr, parent_office, place, signer_title,
                           signer)
    words = BulletinOptions(issued or dt.date.today(), issuer, language(kw["lang"]), number,
                            cc, kw["templates"], load_rules(findings_rules),
                            tuple(load_targets(targets)), load_actions(actions),
                            dossiers_period)
    draft = write_bulletin(options(kw, units), Path(out), words, dossier_files=dossiers,
                           sub_units=sub_units, sub_units_sheets=sub_units_sheet)
    say_notes(draft.notes, kw["lang"])
    say("bulletin_done", kw["lang"], file=draft.path)


@cli.command("import")
@click.argument("data", nargs=-1, required=True, type=FILE)
@click.option("--month", "--period", "period", callback=_period, envvar=env("month"),
              help="Period of every file: YYYY-MM, YYYY-Qn or YYYY (default: each file's "
                   "month column, else a YYYY-MM in its name).")
@click.option("--sheet", envvar=env("sheet"), help="Workbook sheet (default: as validate).")
@click.option("--level", type=click.Choice([lv.name.lower() for lv in Level]),
              callback=_level, envvar=env("level"),
              help="Only this level; also the level of rows the file does not say.")
@click.option("--data-date", callback=_date, envvar=env("data_date"),
              help="Date of the data (default: a YYYY-MM-DD in the file's name, the day the "
                   "portal's export was taken; else the period's last day).")
@click.option("--index", "index_file", type=FILE, envvar=env("index"),
              help="Another index definition (TOML) instead of Decision 766's.")
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"), help="Language of the output.")
@db_option
@translate_errors
def import_(data: tuple[str, ...], lang: Language, db: str | None, **kw: Any) -> None:
    """Store periods (score files as validate reads them, the portal's JSON, dossier files).

    Every file is checked first; then all are written in one transaction, or nothing when
    anything is invalid. The same bytes again change nothing. Other figures for a stored
    period are kept as a revision (the newest data date is current).
    """
    from .formatting import Fmt
    from .importer import prepare
    from .index import load_index
    from .store import open_store
    from .units import load_registry

    prepared = prepare(data, load_index(kw["index_file"]), load_registry(),
                       period=kw["period"], sheet=kw["sheet"], level=kw["level"],
                       data_date=kw["data_date"])
    with open_store(store_url(db)) as store:
        outcomes = store.write(prepared)
        label = store.label
    fmt = Fmt(lang)
    for o in outcomes:
        p = o.prepared
        if o.status == "same":
            when = dt.datetime.fromisoformat(o.stored_at).astimezone()  # the clerk's clock
            say("import_same", lang, file=p.source, period=p.period,
                when=f"{fmt.date(when.date())} {when:%H:%M}")
            continue
        say("import_new" if p.month else "import_dossiers", lang, file=p.source,
            period=p.period, n=o.units, date=fmt.date(p.data_date),
            provisional=msg("import_provisional") if p.data_date < p.period.last_day else "")
        for w in p.month.warnings if p.month else ():
            say("report_warning", lang, what=w)
        if o.revised:
            say("import_revised", lang, n=o.revised, period=p.period)
        if o.updated:
            say("import_updated", lang, n=o.updated, period=p.period)
    say("import_done", lang, db=label)


@cli.command()
@click.option("--unit", "unit", required=True, type=UnitName(), envvar=env("unit"),
              help="The unit, by code or name.")
@click.option("--level", type=click.Choice([lv.name.lower() for lv in Level]),
              callback=_level, envvar=env("level"), help="The unit's level, if a name is "
                                                          "used at several.")
@click.option("--format", "form", type=click.Choice(["table", "csv"]), default="table",
              show_default=True, envvar=env("format"), help="A table, or CSV for machines.")
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"), help="Language of the output.")
@db_option
@translate_errors
def history(unit: str, level: Level | None, form: str, lang: Language,
            db: str | None) -> None:
    """Print a unit's stored periods: totals, ranks, data dates, and every revision."""
    from .history import as_csv, as_table, unit_history
    from .store import read_store

    store = read_store(store_url(db))
    if store is None:
        raise UserError(msg("store_empty", db=store_url(db)).text(lang), lang)
    with store:
        found, lines = unit_history(store, unit, level)
    if form == "csv":
        click.echo(as_csv(found, lines), nl=False)
        return
    for line in as_table(found, lines, lang):
        click.echo(line)


@cli.command()
@click.argument("manifest", type=FILE)
@click.option("--recipients", type=FILE, envvar=env("recipients"),
              help="CSV/XLSX: code (or name), to, cc (';'-separated), optional lang.")
@click.option("--from", "sender", envvar=env("from"), help="Sender address.")
@click.option("--office", envvar=env("office"), default="",
              help="The sender's display name: the issuing office.")
@click.option("--office-en", envvar=env("office_en"), default="",
              help="The issuing office's English name, used instead of --office in English "
                   "messages (the sender's name and the signature), e.g. 'Office of the An "
                   "Giang Provincial People's Committee'.")
@click.option("--smtp-host", default="localhost", show_default=True, envvar=env("smtp_host"))
@click.option("--smtp-port", type=int, envvar=env("smtp_port"),
              help="Default: 465 with --ssl, else 25.")
@click.option("--starttls", "security", flag_value="starttls", envvar=env("starttls"),
              help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "security", flag_value="ssl", help="Connect with implicit TLS.")
@click.option("--smtp-user", envvar=env("smtp_user"),
              help="Login name; the password comes only from SCORECARD_SMTP_PASSWORD.")
@click.option("--smtp-cafile", type=FILE, envvar=env("smtp_cafile"),
              help="CA certificates (PEM) to trust for the server; SSL_CERT_FILE works too.")
@click.option("--allow-plain-auth", is_flag=True, envvar=env("allow_plain_auth"),
              help="Allow the login over a connection without TLS (trusted networks only).")
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"),
              help="Language of messages (a recipient's lang column wins).")
@click.option("--unit", "units", multiple=True, type=UnitName(), envvar=env("unit"),
              help="Only this unit, by code or name (repeatable).")
@click.option("--dry-run", type=click.Path(file_okay=False), envvar=env("dry_run"),
              help="Write .eml files to this folder; no network, no ledger.")
@click.option("--ledger", type=click.Path(dir_okay=False), envvar=env("ledger"),
              help="SQLite ledger (default: mail-ledger.sqlite beside the manifest).")
@click.option("--resend", is_flag=True, envvar=env("resend"),
              help="Send again even to recipients who already have this scorecard.")
@click.option("--resend-unknown", is_flag=True, envvar=env("resend_unknown"),
              help="Send again the messages whose delivery is unknown (no final reply).")
@click.option("--retry-refused", is_flag=True, envvar=env("retry_refused"),
              help="Try again the addresses the server refused (550, 551, 553).")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              envvar=env("retries"), help="Retries after a 4xx, a timeout or a dropped line.")
@click.option("--backoff", type=click.FloatRange(0), default=2.0, show_default=True,
              envvar=env("backoff"), help="Seconds before the first retry; doubles each time.")
@click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True,
              envvar=env("timeout"), help="Seconds to wait to connect and for each command.")
@click.option("--data-timeout", type=click.FloatRange(0.1), default=600.0, show_default=True,
              envvar=env("data_timeout"),
              help="Seconds to wait for the reply after a message's body (RFC 5321: 10 min).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              envvar=env("templates"), help="Folder of templates overriding the packaged.")
@click.option("--index", "index_file", type=FILE, envvar=env("index"),
              help="The index file the month was rendered with (names of the classes).")
@click.option("--data-date", callback=_date, envvar=env("data_date"),
              help="Date of the figures, as given to render, said in every body ('provisional' "
                   "before the period's last day); without it the body says no date, and the "
                   "run says so.")
@click.option("--contact", default="", envvar=env("contact"),
              help="Whom recipients can ask, said in every body, e.g. 'Phòng Kiểm soát TTHC, "
                   "Văn phòng UBND tỉnh, ĐT: 0296 3852 123'.")
@click.option("--contact-en", default="", envvar=env("contact_en"),
              help="The same in English, used instead of --contact in English messages, e.g. "
                   "'Administrative Procedures Control Division, tel. +84 296 3852 123'.")
@click.option("--status", is_flag=True, help="Print the ledger as a table and stop.")
@translate_errors
def mail(manifest: str, recipients: str | None, sender: str | None, lang: Language,
         status: bool, **kw: Any) -> None:
    """Send each unit's scorecard to its recipients.

    At least once, never lost, and never twice to anyone who has it: a rerun sends only
    what is not yet delivered. A crash between the server's "250" and the ledger's write
    can repeat one message, under the same Message-ID (mail clients show it once). A
    message whose body went out but got no final reply is "unknown": the server may have
    it; it is listed and sent again only with --resend-unknown.
    """
    from .deliver import LEDGER, MailOptions, SmtpSettings, send_all, status_lines

    ledger_path = Path(kw["ledger"]) if kw["ledger"] else Path(manifest).parent / LEDGER
    if status:
        if not ledger_path.exists():
            raise UserError(msg("no_ledger", file=ledger_path).text(lang), lang)
        for line in status_lines(ledger_path, lang):
            click.echo(line)
        return
    if not recipients:
        raise click.UsageError(msg("need_recipients").text(lang))
    if not sender:
        raise click.UsageError(msg("need_sender").text(lang))
    settings = SmtpSettings(
        kw["smtp_host"], kw["smtp_port"], kw["security"] or "none", kw["smtp_user"],
        os.environ.get("SCORECARD_SMTP_PASSWORD"), timeout=kw["timeout"],
        final_timeout=kw["data_timeout"], retries=kw["retries"], backoff=kw["backoff"],
        cafile=kw["smtp_cafile"], allow_plain_auth=kw["allow_plain_auth"])
    options = MailOptions(
        sender, kw["office"], lang, kw["units"], ledger_path, kw["resend"],
        kw["resend_unknown"], kw["retry_refused"],
        Path(kw["dry_run"]) if kw["dry_run"] else None, kw["templates"], kw["index_file"],
        kw["data_date"], kw["contact"], kw["office_en"], kw["contact_en"])
    report = send_all(Path(manifest), Path(recipients), options, settings)
    _mail_report(report, options, lang, ledger_path)


def _mail_report(report: deliver.Report, options: deliver.MailOptions, lang: Language,
                 ledger_path: Path) -> None:
    """What a mail run says, and its exit code: a dry run exits as a real one would."""
    from .mail import unit_name

    say_notes(report.notes, lang)
    for o in report.failed:
        say("mail_failed", lang, err=True, code=o.unit.code, name=unit_name(o.unit),
            recipient=o.recipient, why=o.reply, status=msg(f"status_{o.status}"))
    if options.dry_run:
        say("mail_dry", lang, n=report.count("written"), folder=options.dry_run)
    else:
        say("mail_done", lang, sent=report.count("sent"), already=report.count("already"),
            failed=report.count("failed") + report.count("refused"),
            deferred=report.count("deferred"), unknown=report.count("unknown"),
            ledger=ledger_path)
    if report.stopped is not None:
        say("mail_stopped", lang, err=True, why=report.stopped)
        raise SystemExit(4)
    if report.failed:
        raise SystemExit(3)


@cli.command()
@click.argument("data", nargs=-1, required=True, type=FILE)
@click.option("--month", "--period", "period", callback=_period, envvar=env("month"),
              help="Period: YYYY-MM, YYYY-Qn or YYYY (default: a YYYY-MM in the files' names).")
@click.option("--unit", "units", multiple=True, type=UnitName(), envvar=env("unit"),
              help="Only this unit, by code or name (repeatable; default: every unit).")
@click.option("--index", "index_file", type=FILE, envvar=env("index"),
              help="Another index definition (TOML) instead of Decision 766's.")
@click.option("--scores", type=FILE, envvar=env("scores"),
              help="The period's scores (a score file, or the portal's service-results): "
                   "the peer a unit is compared with, and the portal's scores where DATA has "
                   "none.")
@click.option("--sheet", envvar=env("sheet"), help="The sheet of --scores, if a workbook.")
@click.option("--formulas", "formulas_file", type=FILE, envvar=env("formulas"),
              help="Another formulas file (TOML, as scorecard/data/formulas.toml).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              show_default=True, envvar=env("format"), help="A table to read, or CSV.")
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"), help="Language of the output.")
@translate_errors
def explain(data: tuple[str, ...], period: Period | None, units: tuple[str, ...],
            scores: str | None, sheet: str | None, index_file: str | None,
            formulas_file: str | None, fmt: str, lang: Language) -> None:
    """Recompute the group scores from the portal's counts and say what it takes.

    DATA: the portal's dossier trees (dvc-progress-tree, provide-online-tree,
    formality-online-payment-tree) and per-group JSON (transparency, dossier-digitized,
    handling-satisfaction) as saved, or a dossier CSV with the same counts. The portal's
    score stays the score; a recomputed score more than 0.01 away is shown as a
    disagreement.
    """
    import csv
    import io

    from .explain import csv_rows, period_of, table
    from .explain import explain as run
    from .index import load_index

    index = load_index(index_file)
    when = period_of(data, period)
    cards = []
    if scores:
        from .pipeline import Options, load

        cards = load(Options(data=scores, sheet=sheet, period=when,
                             index_file=index_file)).everyone
    result = run(data, index, when, units, cards, formulas_file)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(csv_rows(result, lang))
        click.echo(buffer.getvalue(), nl=False)
        return
    for line in table(result, index, lang):
        click.echo(line)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar=env("host"),
              help="Address to listen on. Another than this machine's own needs --users.")
@click.option("--port", type=click.IntRange(1, 65535), default=8766, show_default=True,
              envvar=env("port"))
@click.option("--users", type=FILE, envvar=env("users"),
              help="The users file (scorecard user add): everyone then logs in.")
@click.option("--max-upload", type=click.IntRange(1, 1024), default=20, show_default=True,
              envvar=env("max_upload"), help="Largest file the import accepts, in MB.")
@click.option("--office", envvar=env("office"), help="Issuing office printed on the PDFs.")
@click.option("--highlight", envvar=env("highlight"),
              help="The office's own unit, marked in the ranking (default: the one --office "
                   "names).")
@findings_rules_option
@click.option("--ledger", type=click.Path(dir_okay=False), envvar=env("ledger"),
              help="The mail job's ledger, shown read-only per unit.")
@click.option("--https-only", is_flag=True, envvar=env("https_only"),
              help="Send the session cookie over https only (behind a TLS reverse proxy).")
@db_option
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"), help="Language of what this command prints.")
@translate_errors
def serve(host: str, port: int, users: str | None, max_upload: int, office: str | None,
          highlight: str | None, findings_rules: str | None, ledger: str | None,
          https_only: bool, lang: Language, db: str | None) -> None:
    """The clerk's web page: import files, see rankings and units, download PDFs and the
    report. Listens on this machine only unless --host (then --users is required)."""
    import uvicorn

    from .web.app import Config, create_app
    from .web.security import port_free, refuses
    from .web.source import StoreSource
    from .web.users import read_users

    if refuses(host, users):
        raise UserError(msg("web_needs_users", host=host).text(lang), lang)
    accounts = read_users(users) if users else None
    if users and not accounts:
        raise UserError(msg("web_users_empty", file=users).text(lang), lang)
    config = Config(users=accounts, max_upload=max_upload * 1024 * 1024, office=office,
                    highlight=highlight, findings_rules=findings_rules,
                    ledger=Path(ledger) if ledger else None, https_only=https_only)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if not port_free(host, port):
        raise UserError(msg("web_port_busy", port=port, host=host, url=url).text(lang), lang)
    app = create_app(StoreSource(db), config)
    say("web_serving", lang, url=url)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group()
def user() -> None:
    """The users of `scorecard serve`."""


@user.command("add")
@click.argument("name")
@click.option("--users", default="users.txt", show_default=True,
              type=click.Path(dir_okay=False), envvar=env("users"),
              help="The users file to add to (made when missing).")
@click.option("--lang", type=click.Choice(LANGS), default="vi", show_default=True,
              callback=_lang, envvar=env("lang"), help="Language of what this command prints.")
@translate_errors
def user_add(name: str, users: str, lang: Language) -> None:
    """Add a user (or change their password); the password is asked twice, never shown."""
    from .web.users import add_user, check_name

    check_name(name)
    word = language(lang).pick("Mật khẩu", "Password")
    again = language(lang).pick("Nhập lại mật khẩu", "Repeat the password")
    password = click.prompt(word, hide_input=True)
    if len(password) < 8:
        raise UserError(msg("web_password_short").text(lang), lang)
    if click.prompt(again, hide_input=True) != password:
        raise UserError(msg("web_password_mismatch").text(lang), lang)
    new = add_user(users, name, password)
    say("web_user_added" if new else "web_user_changed", lang, name=name, file=users)
