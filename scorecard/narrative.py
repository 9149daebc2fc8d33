"""The bulletin paragraph, from jinja2 templates a user can override (--templates DIR)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from .errors import ScorecardError
from .formatting import Fmt
from .messages import msg
from .model import Index, Scorecard
from .resources import resource_dir


@cache
def environment(user_dir: str | None = None) -> Environment:
    """One Environment per templates folder: the user's first, then the packaged ones."""
    loaders = [FileSystemLoader(user_dir)] if user_dir else []
    loaders.append(FileSystemLoader(resource_dir("templates")))
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=False)


def render_template(name: str, user_dir: str | Path | None = None, **context: object) -> Markup:
    """Render a packaged or user template; errors in a user's template name the file."""
    env = environment(str(user_dir) if user_dir else None)
    try:
        return Markup(env.get_template(name).render(**context))
    except TemplateError as e:
        where = f"{user_dir}/{name}" if user_dir else name
        raise ScorecardError(msg("template_error", template=where, why=e)) from e


def render_narrative(card: Scorecard, index: Index, lang: str = "vi",
                     user_dir: str | Path | None = None) -> Markup:
    """The paragraph as escaped markup (safe for reportlab); `.unescape()` gives plain text."""
    fmt = Fmt(lang)
    text = render_template(f"narrative.{lang}.j2", user_dir, card=card, index=index, f=fmt,
                           w=fmt.words, lang=lang)
    return Markup(" ".join(text.split()))
