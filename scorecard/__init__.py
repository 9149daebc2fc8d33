"""scorecard: monthly scorecards of Vietnam's public service index (Decision 766/QĐ-TTg)."""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports below: "how long" includes them

from .errors import ScorecardError, UnsupportedFormat, ValidationError
from .index import load_index
from .pipeline import Options, load
from .scoring import score_month
from .units import load_registry
from .validate import validate, validate_file

__all__ = ["Options", "ScorecardError", "UnsupportedFormat", "ValidationError", "load",
           "load_index", "load_registry", "score_month", "validate", "validate_file"]
