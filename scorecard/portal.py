"""The portal's own JSON responses, read as they come (SPEC §3a), into the same Table as a
sheet — with a JSON path in place of row and column, so every problem names its value."""

from __future__ import annotations

from typing import Any

from .errors import UnsupportedFormat
from .layout import Table, padded
from .loaders import Book
from .messages import msg
from .model import Index
from .units import is_national

DOSSIER_TREES = {  # a field only that tree's parent carries
    "totalOnTime": "dvc-progress-tree",
    "onlineServiceTotal": "provide-online-tree",
    "authorityCount": "provide-online-tree",
}
GROUP_SPELLINGS = {"ONLINE": "CLGQ"}  # the new API also spells CLGQ this way
LEVELS = {"AGENCY": "2", "DEPARTMENT": "2", "COMMUNE": "3", "PROVINCE": "1"}
UNIT = ("MA_COQUAN", "TEN", "LOAI_COQUAN")


def json_table(book: Book, index: Index) -> Table:
    """service-results (new API), or report_tinh_766_service rows (old API)."""
    doc = book.json
    data = doc.get("data") if isinstance(doc, dict) else None
    if isinstance(data, dict) and "evaluation" in data:
        return _service_results(book, data, index)
    if isinstance(data, dict) and "parent" in data and "children" in data:
        parent = data["parent"] if isinstance(data["parent"], dict) else {}
        kind = next((t for f, t in DOSSIER_TREES.items() if f in parent),
                    "formality-online-payment-tree")
        raise UnsupportedFormat(msg("dossier_tree", file=book.path, kind=kind))
    if isinstance(data, list) or isinstance(doc, list):
        return _old_rows(book, data if isinstance(data, list) else doc,
                         "data" if isinstance(data, list) else "")
    raise UnsupportedFormat(msg("json_shape", file=book.path, path="data" if data else "$"))


def _service_results(book: Book, data: dict[str, Any], index: Index) -> Table:
    items = data["evaluation"]
    if not isinstance(items, list):
        raise UnsupportedFormat(msg("json_shape", file=book.path, path="data.evaluation"))
    level = LEVELS.get(str(data.get("childGroup") or "").upper(), "")
    header = [*UNIT, *(g.code for g in index.groups), index.total.code,
              *(c.group.code for c in index.combined)]
    rows: list[list[Any]] = []
    paths: list[dict[str, str]] = []
    for i, item in enumerate(items):
        at = f"data.evaluation[{i}]"
        if not isinstance(item, dict):
            rows.append([_cell(item), *[""] * (len(header) - 1)])
            paths.append({"": at, "MA_COQUAN": at})
            continue
        scores = item.get("groupScores")
        scores = scores if isinstance(scores, dict) else {}
        cells: dict[str, Any] = {
                 "MA_COQUAN": item.get("departmentCode"), "TEN": item.get("departmentName"),
                 "LOAI_COQUAN": LEVELS.get(str(item.get("childGroup") or "").upper(), level),
                 index.total.code: item.get("totalScore")}
        path = {"": at, "MA_COQUAN": f"{at}.departmentCode", "TEN": f"{at}.departmentName",
                index.total.code: f"{at}.totalScore"}
        for key, value in scores.items():
            code = GROUP_SPELLINGS.get(str(key), str(key))
            cells[code], path[code] = value, f"{at}.groupScores.{key}"
        rows.append([_cell(cells.get(h)) for h in header])
        paths.append(path)
    national = _national(data, header, index)
    if national is not None:
        rows.append(national[0])
        paths.append(national[1])
    note = msg("note_json", kind="service-results", n=len(items))
    return Table(*padded(header, rows), str(book.path), "json", tuple(range(1, len(rows) + 1)),
                 encoding=book.encoding, paths=tuple(paths), notes=(note,))


def _national(data: dict[str, Any], header: list[str], index: Index
              ) -> tuple[list[Any], dict[str, str]] | None:
    """The `Cả nước` overview and its radar, where ONLINE_SERVICE is CLGQ + TTTT together."""
    overview = data.get("overview")
    if not isinstance(overview, dict) or not is_national(str(overview.get("departmentName"))):
        return None
    cells: dict[str, Any] = {"TEN": "Cả nước", index.total.code: overview.get("totalScore")}
    path = {"": "data.overview", "TEN": "data.overview.departmentName",
            index.total.code: "data.overview.totalScore"}
    radar = data.get("radar")
    for k, g in enumerate(radar if isinstance(radar, list) else []):
        if isinstance(g, dict) and g.get("code") in header:
            cells[g["code"]], path[g["code"]] = g.get("score"), f"data.radar[{k}].score"
    return [_cell(cells.get(h)) for h in header], path


def _old_rows(book: Book, items: list[Any], prefix: str) -> Table:
    header: list[str] = []
    for item in items:
        for k in item if isinstance(item, dict) else ():
            if str(k) not in header:
                header.append(str(k))
    rows, paths = [], []
    for i, item in enumerate(items):
        at = f"{prefix}[{i}]"
        item = item if isinstance(item, dict) else {}
        rows.append([_cell(item.get(h)) for h in header])
        paths.append({"": at, **{h: f"{at}.{h}" for h in header}})
    note = msg("note_json", kind="report_tinh_766_service", n=len(items))
    return Table(*padded(header, rows), str(book.path), "json", tuple(range(1, len(rows) + 1)),
                 encoding=book.encoding, paths=tuple(paths), notes=(note,))


def _cell(v: Any) -> Any:
    """null is "not reported"; numbers stay the text the portal wrote (exact decimals)."""
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return "{…}" if isinstance(v, dict) else "[…]"
    return v if isinstance(v, str) else str(v)
