"""Load the index definition (groups, maxima, aliases, bands) from a TOML data file."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import IndexFileError
from .messages import msg
from .model import Band, Combined, Group, Index
from .optionfiles import read_toml
from .resources import resource_dir
from .units import slug


def default_index_path() -> Path:
    return resource_dir("data") / "index.toml"


def load_index(path: str | Path | None = None) -> Index:
    """Read an index file; the packaged Decision 766 index when `path` is None."""
    p = Path(path) if path else default_index_path()
    try:
        raw = read_toml(p)
    except (OSError, UnicodeDecodeError) as e:
        raise IndexFileError(msg("index_read", file=p, why=e)) from e
    except tomllib.TOMLDecodeError as e:
        raise IndexFileError(msg("index_toml", file=p, why=e)) from e
    try:
        groups = tuple(_group(g) for g in raw["groups"])
        total = _group(raw["total"])
        bands = tuple(
            sorted(
                (Band(Decimal(str(b["min"])), b["vi"], b["en"], b.get("color", "#777777"),
                      str(b.get("code") or slug(b["en"])))
                 for b in raw["bands"]),
                key=lambda b: b.min,
                reverse=True,
            )
        )
        index = Index(groups, total, bands, raw.get("name_vi", ""), raw.get("name_en", ""),
                      raw.get("source_vi", ""), raw.get("source_en", ""),
                      tuple(Combined(_group(c), tuple(map(str, c["parts"])))
                            for c in raw.get("combined", ())))
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
        raise IndexFileError(msg("index_shape", file=p, why=repr(e))) from e
    _check(p, index)
    return index


def _group(g: dict[str, Any]) -> Group:
    return Group(str(g["code"]), str(g["vi"]), str(g["en"]), Decimal(str(g["max"])),
                 tuple(str(a) for a in g.get("aliases", ())),
                 *(str(g.get(k, "")) for k in ("short_vi", "short_en", "abbr_vi", "abbr_en")))


def _check(p: Path, index: Index) -> None:
    codes = [g.code for g in index.groups]
    if not codes or len(set(codes)) != len(codes):
        raise IndexFileError(msg("index_codes", file=p, codes=codes))
    if any(g.max <= 0 for g in index.groups):
        raise IndexFileError(msg("index_max", file=p))
    if sum(g.max for g in index.groups) != index.total.max:
        raise IndexFileError(msg("index_sum", file=p, sum=sum(g.max for g in index.groups),
                                 total=index.total.max))
    for c in index.combined:
        if not set(c.parts) <= set(codes) or sum(
                g.max for g in index.groups if g.code in c.parts) != c.group.max:
            raise IndexFileError(msg("index_combined", file=p, code=c.group.code))
    if not index.bands or index.bands[-1].min > 0:
        raise IndexFileError(msg("index_bands", file=p))
