"""Dossier figures (SPEC §8): a clerk's CSV/XLSX, or the portal's three dossier trees as saved
JSON, checked like the scores (every problem at once, with its row and column or JSON path),
and the rates a bulletin quotes, computed from totals with their numerator and denominator.

A field one source has and another lacks stays blank: nothing is derived that the portal does
not publish a rule for.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import IndexFileError, ValidationError
from .language import Language, language
from .layout import header_key, plain_table
from .loaders import read_book
from .messages import Msg, msg, problem
from .optionfiles import number, read_toml, text, value, whole
from .period import Period
from .resources import resource_dir, vocabulary
from .units import nfc, normalize_code, province_key, tidy
from .validate import parse_number

FIELDS = ("received", "on_time", "overdue", "completed", "pending_not_due", "pending_overdue",
          "done_on_time", "done_late", "avg_days", "tthc_total", "tthc_full", "tthc_partial",
          "channel_online", "channel_direct", "channel_postal", "channel_total", "pay_success",
          "pay_obligation",
          # the counts of the online-service and payment scores (SPEC §12, formulas.toml)
          "clgq_scope", "clgq_full", "clgq_partial", "online_services", "online_services_used",
          "fee_tthc", "fee_tthc_paid_online", "fee_tthc_with_dossiers")
TREES = {  # the portal's JSON field -> ours, per tree (SOURCES.md: parent and children differ)
    "totalReceived": "received", "totalOnTime": "on_time", "totalOverdue": "overdue",
    "totalCompleted": "completed", "avgProcessingDays": "avg_days",
    # provide-online-tree's fullCount / partialCount / authorityCount are read under names
    # of their own, never as tthc_full / tthc_partial / tthc_total: what they count
    # (procedures or authorities) is not published; only explain's estimate uses them
    "authorityCount": "clgq_scope", "fullCount": "clgq_full", "partialCount": "clgq_partial",
    "onlineServiceTotal": "online_services", "onlineDossierCount": "online_services_used",
    "totalFeeFormality": "fee_tthc",
    "totalDossierOnlineFormalityPaymentSuccess": "fee_tthc_paid_online",
    "totalFeeDossierFormality": "fee_tthc_with_dossiers",
    "channelOnlineSum": "channel_online",
    "channelDirectSum": "channel_direct", "channelPostalSum": "channel_postal",
    "channelTotalSum": "channel_total", "totalDossierOnlinePaymentSuccess": "pay_success",
    "totalDossierFinancialObligation": "pay_obligation",
}
SMALL = 3  # a rate over 1–3 dossiers carries a small-sample note


@dataclass
class Dossiers:
    """One unit's dossier figures; None is "not given" (never zero)."""

    code: str
    name: str
    values: dict[str, Decimal | None] = field(default_factory=dict)
    where: dict[str, Msg] = field(default_factory=dict)  # field -> where it was read

    def get(self, name: str) -> Decimal | None:
        return self.values.get(name)


@dataclass(frozen=True)
class Rate:
    """A rate from totals: numerator, denominator, percent (None when nothing happened)."""

    numerator: Decimal
    denominator: Decimal

    @property
    def percent(self) -> Decimal | None:
        return None if self.denominator == 0 else self.numerator * 100 / self.denominator

    @property
    def small(self) -> bool:
        return 0 < self.denominator <= SMALL


RATES = {  # the rates a bulletin quotes: (numerator, denominator)
    "on_time": ("on_time", "received"),
    "done_on_time": ("done_on_time", "completed"),
    "tthc_full": ("tthc_full", "tthc_total"),
    "tthc_partial": ("tthc_partial", "tthc_total"),
    "online": ("channel_online", "channel_total"),
    "payment": ("pay_success", "pay_obligation"),
}


def rates(d: Dossiers) -> dict[str, Rate]:
    """Every rate whose two totals are given."""
    out = {}
    for key, (num, den) in RATES.items():
        n, m = d.get(num), d.get(den)
        if n is not None and m is not None:
            out[key] = Rate(n, m)
    return out


def read_dossiers(paths: Sequence[str | Path]) -> dict[str, Dossiers]:
    """Several files combine (one per portal tree); every problem of all of them at once."""
    units: dict[str, Dossiers] = {}
    problems: list[Msg] = []
    for path in paths:
        book = read_book(path)
        if book.format == "json":
            _from_tree(book.path, book.json, units, problems)
        else:
            _from_table(book.path, units, problems)
    for d in units.values():
        problems += check(d)
    if problems:
        raise ValidationError(problems)
    return units


def _from_tree(path: Path, doc: Any, units: dict[str, Dossiers], problems: list[Msg]) -> None:
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("parent"), dict) or not isinstance(
            data.get("children"), list):
        problems.append(msg("json_shape", file=path, path="data"))
        return
    for at, node in [("data.parent", data["parent"]),
                     *((f"data.children[{i}]", c) for i, c in enumerate(data["children"]))]:
        if not isinstance(node, dict):
            problems.append(problem(msg("at_path", file=path, path=at),
                                    msg("json_type", expected="{…}", found=type(node).__name__)))
            continue
        code = normalize_code(str(node.get("departmentCode") or ""))
        d = units.setdefault(code, Dossiers(code, tidy(str(node.get("departmentName") or code))))
        for key, ours in TREES.items():
            if key in node:
                _put(d, ours, node[key], msg("at_path", file=path, path=f"{at}.{key}"),
                     problems)


def _from_table(path: Path, units: dict[str, Dossiers], problems: list[Msg]) -> None:
    table = plain_table(read_book(path))
    aliases = {header_key(w): f for f, words in vocabulary()["dossier_columns"].items()
               for w in (f, *words)}
    columns = {aliases[header_key(h)]: h for h in table.columns
               if header_key(h) in aliases}
    if not ("code" in columns or "name" in columns):
        problems.append(problem(msg("at_header", file=path, row=table.header_row),
                                msg("missing_columns", missing=["code", "name"],
                                    found=", ".join(map(str, table.columns)))))
        return
    for i, row in enumerate(table.records()):
        code = normalize_code(str(row.get(columns.get("code", ""), "") or ""))
        name = nfc(str(row.get(columns.get("name", ""), "") or ""))
        d = units.setdefault(code or name, Dossiers(code, name or code))
        for f in FIELDS:
            if f in columns:
                _put(d, f, row[columns[f]], table.where(i, columns[f]), problems)


def period_of(path: str | Path) -> Period | None:
    """A dossier file's own period: its month column (one period for every row), else a
    YYYY-MM in its name (the portal's trees say theirs only in the request, which a saved
    file does not keep); None when neither says."""
    from .pipeline import period_in_name

    book = read_book(path)
    if book.format != "json":
        table = plain_table(book)
        months = {header_key(w) for w in vocabulary()["dossier_columns"].get("month", [])}
        column = next((h for h in table.columns if header_key(h) in months), None)
        if column is not None:
            said = {str(v).strip() for v in table.column(column) if str(v or "").strip()}
            found = set()
            for text in said:
                try:
                    found.add(Period.parse(text))
                except ValueError:
                    continue
            if len(found) == 1:
                return found.pop()
    return period_in_name(str(path))


def dossiers_period(paths: Sequence[str | Path], period: Period,
                    asked: Period | None = None) -> Period:
    """The period the dossier figures are printed for: the report's, or `asked`
    (--dossiers-period) when a file's own period differs — never another file's silently.

    Raises:
        ValidationError: a file's period differs from the report's and nothing was asked,
            or differs from what was asked.
    """
    problems = []
    for path in paths:
        own = period_of(path)
        if own is None or own == (asked or period):
            continue
        problems.append(msg("dossier_period" if asked is None else "dossier_period_asked",
                            file=path, found=own, period=asked or period, slug=own.slug))
    if problems:
        raise ValidationError(problems)
    return asked or period


def parse_count(value: Any) -> Decimal | None:
    """A count as an office writes it: '19.933' and '19,933' are nineteen thousand (a dot
    or comma before exactly three digits groups thousands); '09' is nine; '7,05' days."""
    text = str(value).strip() if isinstance(value, str) else value
    if isinstance(text, str) and re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return Decimal(re.sub(r"[.,]", "", text))
    return parse_number(value)


def _put(d: Dossiers, name: str, value: Any, where: Msg, problems: list[Msg]) -> None:
    try:
        v = parse_count(value) if name != "avg_days" else parse_number(value)
    except (ValueError, ArithmeticError):
        problems.append(problem(where, msg("not_a_count", value=str(value)[:60])))
        return
    if v is None:
        return
    if v < 0 or (name != "avg_days" and v != v.to_integral_value()):
        problems.append(problem(where, msg("not_a_count", value=str(value)[:60])))
        return
    d.values[name], d.where[name] = v, where


def check(d: Dossiers) -> list[Msg]:
    """SPEC §8's consistency rules, each naming where the first figure was read."""
    out = []
    g = d.get
    at = d.where.get("received") or d.where.get("tthc_total") or d.where.get("channel_total") \
        or d.where.get("pay_obligation")

    def add(rule: str, **values: object) -> None:
        out.append(problem(at or d.name, msg(rule, unit=d.name, **values)))

    received, on_time, overdue = g("received"), g("on_time"), g("overdue")
    if received is not None and on_time is not None and overdue is not None and (
            on_time + overdue != received):
        add("dossier_received", received=received, on_time=on_time, overdue=overdue)
    splits = [g(f) for f in ("pending_not_due", "pending_overdue", "done_on_time", "done_late")]
    given = [s for s in splits if s is not None]
    if received is not None and given and sum(given, Decimal(0)) > received:
        add("dossier_splits", splits=sum(given, Decimal(0)), received=received)
    total, full, partial = g("tthc_total"), g("tthc_full"), g("tthc_partial")
    if total is not None and (full or 0) + (partial or 0) > total:
        add("dossier_tthc", full=full or 0, partial=partial or 0, total=total)
    channels = [v for f in ("channel_online", "channel_direct", "channel_postal")
                if (v := g(f)) is not None]
    channel_total = g("channel_total")
    if channel_total is not None and len(channels) == 3 and sum(channels) != channel_total:
        add("dossier_channels", channels=sum(channels), total=channel_total)
    success, obligation = g("pay_success"), g("pay_obligation")
    if success is not None and obligation is not None and success > obligation:
        add("dossier_payment", success=success, obligation=obligation)
    return out


def for_unit(units: Mapping[str, Dossiers], code: str, name: str) -> Dossiers | None:
    """A unit's figures, by code, then by name."""
    if code in units:
        return units[code]
    return next((d for d in units.values() if province_key(d.name) == province_key(name)),
                None)


@dataclass(frozen=True)
class Target:
    """A Government target for one rate, and the document that sets it."""

    code: str
    rate: str
    value: Decimal
    vi: str
    en: str
    source_vi: str
    source_en: str
    since: int
    short_vi: str = ""
    short_en: str = ""

    def name(self, lang: Language) -> str:
        return language(lang).pick(self.vi, self.en)

    def source(self, lang: Language) -> str:
        return language(lang).pick(self.source_vi, self.source_en)

    def short(self, lang: Language) -> str:
        """The name on the page's compact block."""
        return language(lang).pick(self.short_vi, self.short_en) or self.name(lang)


def _target(t: dict[str, Any], where: str) -> Target:
    """One [[targets]] table, each value checked: a rate's target is a percentage."""
    if not isinstance(t, dict):
        raise TypeError(where.rstrip("."))
    words = {k: text(t, k, where=where) for k in ("code", "rate", "vi", "en", "source_vi",
                                                  "source_en")}
    return Target(words["code"], words["rate"], number(t, "value", 0, 100, where=where,
                                                       above=True),
                  words["vi"], words["en"], words["source_vi"], words["source_en"],
                  whole(t, "from", 2000, 2100, where=where),
                  text(t, "short_vi", default=""), text(t, "short_en", default=""))


def load_targets(path: str | Path | None = None) -> list[Target]:
    """data/targets.toml, or another file of the same shape (--targets FILE)."""
    p = Path(path) if path else resource_dir("data") / "targets.toml"
    try:
        targets = [_target(t, f"targets[{i}].") for i, t in
                   enumerate(value(read_toml(p), "targets"))]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError,
            ValueError, ArithmeticError) as e:
        raise IndexFileError(msg("targets_file", file=p, why=e)) from e
    unknown = [t.rate for t in targets if t.rate not in RATES]
    if unknown:
        raise IndexFileError(msg("targets_file", file=p, why=f"rate {unknown[0]}"))
    return targets
