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
from ..model import Index, Rank
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
    name, greeting = addressed(row, period)
    return MailBody(lang, nfc(row.name), period.label(lang), period.phrase(lang), total,
                    rank_text(row, fmt), bands.get(row.klass, row.klass), row.file, update,
                    name, one_line(office), fmt.date(data_date) if data_date else "",
                    data_date is not None and data_date < period.last_day,
                    one_line(contact).rstrip("."), greeting)


def one_line(text: str) -> str:
    """An option's text as one line of the body, whatever spaces it was typed with."""
    return " ".join(text.split())


def addressed(row: ManifestRow, period: Period) -> tuple[str, str]:
    """The unit as a letter names it, and whom its 'Kính gửi' addresses: a province with its
    kind ('tỉnh An Giang', 'thành phố Huế') and its People's Committee ('UBND tỉnh Bắc
    Ninh': a body, not a territory); a department or commune, a body already, with its
    province after it and without the portal's dash ('Sở Tài chính tỉnh An Giang') for both."""
    from ..units import load_registry

    registry = load_registry()
    province = registry.by_code(row.code, registry.era(period))
    if province is not None:
        return province.formal, f"UBND {province.formal}"
    name = " ".join(nfc(row.name).replace(" - ", " ").split())
    return name, name


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
