"""What a user chose for a run's documents, as the composers take it: one object per kind of
document instead of a long chain of arguments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..dossiers import Dossiers, Target
from ..findings import Actions, Rules
from ..issuer import IssuerOptions
from ..language import Language
from ..model import Index
from ..period import Period


@dataclass(frozen=True)
class PageOptions:
    """What is the same for every page of a render (the unit pages and the summary)."""

    index: Index
    lang: Language = Language.VI
    office: str | None = None
    issued: dt.date | None = None
    templates: str | None = None
    highlight: str | None = None  # a unit's code, marked in the summary
    rules: Rules = field(default_factory=Rules)  # the thresholds of the findings
    dossiers: Mapping[str, Dossiers] | None = None  # --dossiers, by unit code or name
    targets: tuple[Target, ...] = ()
    signed: tuple[str, dt.datetime] | None = None  # the signer's name and the signing time
    dossiers_period: Period | None = None  # --dossiers-period: the figures' own, when not ours
    office_en: str | None = None  # --office-en: the issuer's English name, for English pages

    def office_line(self) -> str:
        """The issuer line in capitals: in English the English name when one is given (the
        Vietnamese one otherwise: a name is not translated by guess); '' without --office, so
        the portal is never presented as the issuer."""
        name = self.office_en if self.lang is Language.EN and self.office_en else self.office
        return (name or "").upper()


@dataclass(frozen=True)
class BulletinOptions:
    """The bulletin's words a clerk chooses (who issues it: Decree 30's boxes) and what it
    compares with (the Government's targets, the findings' thresholds, suggested actions)."""

    issued: dt.date
    issuer: IssuerOptions = field(default_factory=IssuerOptions)
    lang: Language = Language.VI
    number: str = ""
    recipients: tuple[str, ...] = ()
    templates: str | None = None
    rules: Rules = field(default_factory=Rules)
    targets: tuple[Target, ...] = ()
    actions: Actions = field(default_factory=Actions)
    dossiers_period: Period | None = None  # --dossiers-period: the figures' own, when not ours
