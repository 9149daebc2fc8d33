"""The body of the message that carries a unit's page, from its manifest row and the mail
job's own options: the mail job runs from the manifest (on another day, perhaps another
machine) and reads nothing of the render. The figures are put as the page puts them
(formatting.Fmt), so the page and the message never disagree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..formatting import Fmt
from ..language import Language
from ..manifest import ManifestRow
from ..model import Index, Level, Rank
from ..period import Period
from ..units import nfc
from .objects import MailBody


def mail_body(row: ManifestRow, lang: Language, index: Index, update: bool = False, *,
              office: str = "", data_date: dt.date | None = None,
              contact: str = "") -> MailBody:
    """What the message for `row` says in `lang`.

    Args:
        index: the index the month was rendered with (its bands name the class, its
            maximum is the total's).
        update: the recipient already has an earlier version of this page.
        office: the sender, said as the one who sends the page.
        data_date: the figures' date (mail --data-date, as the render was given it): the
            manifest does not carry it, and a date the mail cannot know is not said.
        contact: whom the recipient can ask (--contact).
    """
    fmt = Fmt(lang)
    period = Period.parse(row.month)
    bands = {b.code: b.name(lang) for b in index.bands}
    total = "" if not row.total else fmt.frac(Decimal(row.total), index.total.max)
    name, greeting, own = addressed(row, period)
    return MailBody(lang, nfc(row.name), period.label(lang), period.phrase(lang), total,
                    rank_text(row, fmt), bands.get(row.klass, row.klass), row.file, update,
                    name, one_line(office), fmt.date(data_date) if data_date else "",
                    data_date is not None and data_date < period.last_day,
                    one_line(contact).rstrip("."), greeting, own)


def one_line(text: str) -> str:
    """An option's text as one line of the body, whatever spaces it was typed with."""
    return " ".join(text.split())


def addressed(row: ManifestRow, period: Period) -> tuple[str, str, str]:
    """The unit as a letter names it, whom its 'Kính gửi' addresses, and its name in an
    English sentence: a province with its kind ('tỉnh An Giang', 'thành phố Huế'), its
    People's Committee ('UBND tỉnh Bắc Ninh': a body, not a territory) and its name ('An
    Giang'), from the registry; a department or commune, a body already, for all three as
    its page's title names it (units.full_name: 'UBND xã An Minh, tỉnh An Giang', 'Sở Tài
    chính tỉnh An Giang'), its unit rebuilt from the row as the data file's was."""
    from ..units import full_name, load_registry, sub_unit

    registry = load_registry()
    province = registry.by_code(row.code, registry.era(period))
    if province is not None:
        return province.formal, f"UBND {province.formal}", province.name
    name = one_line(full_name(sub_unit(row.code, one_line(nfc(row.name)),
                                       Level.parse(row.level))))
    return name, name, name


def rank_text(row: ManifestRow, fmt: Fmt) -> str:
    """'1/34'; a sub-unit's published rank as what it is ('thứ 37 trong 117 cơ quan, đơn vị
    của tỉnh (theo Cổng DVCQG)'), never as a nationwide rank; '' without a rank."""
    if not row.rank:
        return ""
    of = int(row.rank_of) if row.rank_of else None
    rank = Rank(int(row.rank), of, "province" if row.rank_scope == "province" else "file")
    if rank.scope == "province":
        return fmt.portal_rank(rank)
    return "" if rank.of == 1 else str(rank)  # a file of one unit ranks nothing
