"""`scorecard bulletin`: load the month, the dossiers, the targets and the sub-units, draft the
report (report.py), write the DOCX and its manifest row. The CLI's one call."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .batch import file_name
from .content import fingerprint
from .dossiers import for_unit, load_targets, read_dossiers
from .errors import UnitNotFound
from .files import write_atomic
from .findings import load_actions, load_rules
from .issuer import IssuerOptions, resolve
from .manifest import MANIFEST, ManifestRow, read_manifest, write_manifest
from .messages import msg
from .pipeline import Options, load
from .render.bulletin_docx import bulletin_docx
from .report import bulletin, sub_units_of


def write_bulletin(opts: Options, out: Path, *, issuer: IssuerOptions, number: str,
                   recipients: Sequence[str],
                   dossier_files: Sequence[str], targets_file: str | None,
                   sub_units: str | None, sub_units_sheet: str | None,
                   rules_file: str | None, issued: dt.date, actions_file: str | None = None,
                   lang: str, templates: str | None) -> Path:
    """Draft one unit's bulletin; returns the DOCX's path."""
    loaded = load(opts)
    if len(loaded.cards) != 1:
        raise UnitNotFound(msg("bulletin_one_unit"))
    card = loaded.cards[0]
    units = read_dossiers(dossier_files) if dossier_files else (loaded.dossiers or {})
    subs = []
    if sub_units:
        everyone = load(replace(opts, data=sub_units, sheet=sub_units_sheet, units=(),
                                history=(), national=None, level=None)).everyone
        subs = sub_units_of(everyone, card.unit.code)
    province = loaded.registry.by_code(card.unit.province or card.unit.code,
                                       loaded.registry.era(card.period))
    b = bulletin(card, loaded.index, lang=lang,
                 issuer=resolve(card.unit, province.formal if province else "", issuer),
                 number=number, recipients=recipients, issued=issued,
                 dossiers=for_unit(units, card.unit.code, card.unit.name) if units else None,
                 targets=load_targets(targets_file), sub_units=subs,
                 rules=load_rules(rules_file), actions=load_actions(actions_file),
                 templates=templates)
    data = bulletin_docx(b)
    folder = out / card.period.slug
    name = file_name(card, "_ban-tin.docx")
    write_atomic(folder / name, data)
    _manifest(folder, ManifestRow(
        card.period.slug, "bulletin", card.unit.level.name.lower(), card.unit.code,
        card.unit.name, name, hashlib.sha256(data).hexdigest(),
        fingerprint(b, "issued", "place_date"), len(data), 0,
        "" if card.total is None else f"{card.total:f}", "", "", "", ""))
    return folder / name


def _manifest(folder: Path, row: ManifestRow) -> None:
    """The bulletin's row beside the month's others (replacing an earlier draft's)."""
    path = folder / MANIFEST
    rows = [r for r in read_manifest(path) if r.file != row.file] if path.exists() else []
    write_manifest(path, [*rows, row])
