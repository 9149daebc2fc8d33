"""`scorecard bulletin`: load the month, the dossiers and the sub-units, draft the report
(content/bulletin.py), write the DOCX and its manifest row. The CLI's one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .content.bulletin import bulletin, sub_units_of
from .content.options import BulletinOptions
from .dossiers import dossiers_period, for_unit, read_dossiers
from .errors import UnitNotFound
from .files import folder_lock, write_atomic
from .issuer import resolve
from .manifest import (
    MANIFEST,
    ManifestRow,
    file_name,
    fingerprint,
    manifest_row,
    read_manifest,
    write_manifest,
)
from .messages import Msg, msg
from .pipeline import Options, dated_after, load
from .render.bulletin_docx import bulletin_docx


@dataclass(frozen=True)
class Draft:
    """The bulletin written: its DOCX, and what the clerk should know of its figures (dated
    after the report, as render says; a --history file the store holds newer figures of)."""

    path: Path
    notes: tuple[Msg, ...] = ()


def write_bulletin(opts: Options, out: Path, options: BulletinOptions, *,
                   dossier_files: Sequence[str] = (), sub_units: str | None = None,
                   sub_units_sheets: Sequence[str] = ()) -> Draft:
    """Draft one unit's bulletin; returns the DOCX's path and the notes on its figures.

    Args:
        opts: the data and the unit, as for every data command.
        options: the bulletin's words and what it compares with.
        sub_units: the departments' and communes' scores of the same period (a file),
            from each of `sub_units_sheets` when a workbook holds them on two sheets.
    """
    loaded = load(opts)
    if len(loaded.cards) != 1:
        raise UnitNotFound(msg("bulletin_one_unit"))
    card = loaded.cards[0]
    units = read_dossiers(dossier_files) if dossier_files else (loaded.dossiers or {})
    if dossier_files:  # a file of another period is refused, or named (--dossiers-period)
        options = replace(options, dossiers_period=dossiers_period(
            dossier_files, card.period, options.dossiers_period))
    subs = []
    if sub_units:
        everyone = [c for sheet in (dict.fromkeys(sub_units_sheets) or (None,))
                    for c in load(replace(opts, data=sub_units, sheet=sheet, units=(),
                                          history=(), national=None, level=None)).everyone]
        subs = sub_units_of(everyone, card.unit.code)
    province = loaded.registry.by_code(card.unit.province or card.unit.code,
                                       loaded.registry.era(card.period))
    issuer = resolve(card.unit, province.formal if province else "", options.issuer,
                     options.lang)
    b = bulletin(card, loaded.index, options, issuer,
                 dossiers=for_unit(units, card.unit.code, card.unit.name) if units else None,
                 sub_units=subs)
    data = bulletin_docx(b)
    folder = out / card.period.slug
    name = file_name(card, "_ban-tin.docx")
    with folder_lock(folder):  # a render of the month would drop the row and sweep the file
        write_atomic(folder / name, data)
        _manifest(folder, manifest_row(kind="bulletin", period=card.period, file=name,
                                       data=data, content=fingerprint(b, "issued", "place_date"),
                                       card=card))
    return Draft(folder / name, (*dated_after(card.data_date, options.issued), *loaded.notes))


def _manifest(folder: Path, row: ManifestRow) -> None:
    """The bulletin's row beside the month's others (replacing an earlier draft's)."""
    path = folder / MANIFEST
    rows = [r for r in read_manifest(path) if r.file != row.file] if path.exists() else []
    write_manifest(path, [*rows, row])
