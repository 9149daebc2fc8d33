"""scorecard: monthly scorecards of Vietnam's public service index (Decision 766/QĐ-TTg)."""

from __future__ import annotations

import time
from importlib import import_module
from typing import TYPE_CHECKING, Any

STARTED = time.perf_counter()  # before the heavy imports: "how long" includes them

# The public names are loaded when first used (PEP 562), so that the command's entry point
# (console.py) is in place before the heavy imports, and `scorecard --help` stays quick.
_WHERE = {"ScorecardError": "errors", "UnsupportedFormat": "errors",
          "ValidationError": "errors", "load_index": "index", "Options": "pipeline",
          "load": "pipeline", "score_month": "scoring", "load_registry": "units",
          "validate": "validate", "validate_file": "validate"}

if TYPE_CHECKING:
    from .errors import ScorecardError, UnsupportedFormat, ValidationError
    from .index import load_index
    from .pipeline import Options, load
    from .scoring import score_month
    from .units import load_registry
    from .validate import validate, validate_file

__all__ = ["Options", "ScorecardError", "UnsupportedFormat", "ValidationError", "load",
           "load_index", "load_registry", "score_month", "validate", "validate_file"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'scorecard' has no attribute {name!r}")
