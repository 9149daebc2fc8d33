"""The bulletin paragraph, from jinja2 templates a user can override (--templates DIR)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from .errors import ScorecardError
from .formatting import Fmt
from .messages import msg
from .model import Index, Scorecard

if TYPE_CHECKING:
    from .findings import Finding, Rules
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


def finding_text(f: Finding, card: Scorecard, rules: Rules, lang: str) -> str:
    """One finding as a line a clerk copies into a report, in the user's language."""
    fmt = Fmt(lang)
    w = fmt.words
    names = {g.group.code: g.group.name(lang) for g in (*card.groups, *card.combined)}

    def groups(codes: tuple[str, ...]) -> str:
        words = [names[c] for c in codes]
        return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {w['and']} {words[-1]}"

    fig = {k: fmt.num(v) for k, v in f.figures.items()}
    if f.kind in ("below_alert", "below_notice"):
        listed = "; ".join(f"{names[c]} ({fmt.num(f.figures[c])}%)" for c in f.groups)
        low = fmt.num(rules.alert_below)
        threshold = fmt.num(rules.alert_below if f.kind == "below_alert" else rules.notice_below)
        return w[f"finding_{f.kind}"].format(list=listed, low=low, threshold=threshold)
    if f.kind == "gap_mean":
        gap = f.figures["gap"]
        key = "finding_gap_up" if gap > 0 else "finding_gap_down" if gap < 0 else \
            "finding_gap_equal"
        return w[key].format(gap=fmt.num(abs(gap)), peer=fmt.peer_label(card),
                             value=fig["peer"])
    if f.kind == "drop":
        return w["finding_drop"].format(delta=fmt.num(-f.figures["delta"]),
                                        previous=fig["previous"])
    if f.kind == "declines":
        return w["finding_declines"].format(periods=fig["periods"], start=fig["from"],
                                            end=fig["to"])
    return w[f"finding_{f.kind}"].format(groups=groups(f.groups) if f.groups else "", **fig)
