"""Where the store is when none is named, and whether an SQLite store's file is there: what
every render asks first, answered without importing SQLAlchemy (a tenth of a second)."""

from __future__ import annotations

from pathlib import Path

FILE_NAME = "scorecard.sqlite"
_SQLITE = "sqlite:///"


def default_url() -> str:
    """An SQLite file in the user's data folder (platformdirs), e.g.
    ~/.local/share/scorecard/scorecard.sqlite on Linux, %LOCALAPPDATA%\\scorecard on Windows."""
    import platformdirs

    return f"{_SQLITE}{Path(platformdirs.user_data_dir('scorecard', False)) / FILE_NAME}"


def no_file(url: str) -> bool:
    """An SQLite URL whose file does not exist (nothing imported yet: store.read_store then
    finds no store). False whenever unsure (a query string, an escape): the store decides."""
    return (url.startswith(_SQLITE) and not any(c in url for c in "?%")
            and not Path(url[len(_SQLITE):]).exists())
