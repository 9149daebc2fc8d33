"""The command line's run: its help and click's own words in the language of the output,
and output streams that no character can stop.

`--help` is read before `--lang` is parsed, and click's usage errors are raised while it is
parsed: so the language is taken from the raw arguments and SCORECARD_LANG first, and is
Vietnamese otherwise, like everything else the commands print. The words are a data file
(data/help.toml). click marks its own strings for gettext but reads only the process-wide
gettext domain from compiled catalogues on disk (pallets/click#2706): for the length of a run
its `_` is pointed at that file instead.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import io
import sys
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from functools import cache
from typing import Any

import click

from .language import help_language, language
from .resources import resource_dir

_LANG: ContextVar[str] = ContextVar("scorecard_help_language", default="vi")
# the click modules whose messages a user can see (help, usage errors, "Aborted!")
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui",
                  "types", "utils")


@cache
def help_words() -> dict[str, Any]:
    return tomllib.loads((resource_dir("data") / "help.toml").read_text("utf-8"))


def current_language() -> str:
    """The language of this run's help and usage errors."""
    return _LANG.get()


def click_word(text: str) -> str:
    """One of click's own strings in the run's language (click's `gettext`)."""
    lang = _LANG.get()
    return text if lang == "en" else help_words()[lang]["click"].get(text, text)


def click_words(singular: str, plural: str, n: int) -> str:
    """click's `ngettext`: Vietnamese has one form, but click's two differ in placeholders."""
    return click_word(singular if n == 1 else plural)


def option_key(param: click.Parameter) -> str:
    """An option's key in help.toml: its first long name without dashes (`data-date`)."""
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs[0] if longs else param.opts[0]).lstrip("-")


def env_name(param: click.Parameter) -> str:
    return "SCORECARD_" + option_key(param).upper().replace("-", "_")


class Command(click.Command):
    """A command that refuses an option of one value given twice: click kept the last and
    said nothing (`render --sheet "Sở Ban" --sheet "Xã Phường"` drew the communes only)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from .messages import msg

        words = args[:args.index("--")] if "--" in args else args
        for param in self.params:
            if not isinstance(param, click.Option) or param.multiple or param.count or (
                    param.is_flag):
                continue
            given = sum(1 for w in words for o in param.opts
                        if w == o or w.startswith(o + "=" if o.startswith("--") else o))
            if given > 1:
                said = msg("option_twice", option=max(param.opts, key=len), n=given)
                raise click.UsageError(said.text(language(current_language())), ctx)
        return super().parse_args(ctx, args)


class Group(click.Group):
    """The `scorecard` group: help, examples, env vars and usage errors in the user's language.

    Every command added to it gets the same, with nothing to do but add its words to
    help.toml: each option reads SCORECARD_<OPTION> unless it names its own variable, and
    its help shows the variable.
    """

    command_class = Command

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        for param in cmd.params:
            if isinstance(param, click.Option) and param.expose_value:
                param.envvar = param.envvar or env_name(param)
                if param.type is click.STRING:
                    param.type = PLAIN_TEXT
        super().add_command(cmd, name)

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        import os

        safe_output()
        argv = list(sys.argv[1:] if args is None else args)
        with _speaking(self, help_language(argv, os.environ)):
            return super().main(argv, *a, **kw)


class PlainText(click.types.StringParamType):
    """Text an option gives (an office, a signer, a 'Nơi nhận' line): a control character,
    which no one types on purpose and a DOCX cannot hold, is refused (exit 2)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        from .messages import msg

        text = super().convert(value, param, ctx)
        bad = sorted({c for c in text if unicodedata.category(c) == "Cc"})
        if bad:
            said = msg("control_in_option", chars=" ".join(bad))
            self.fail(said.text(language(current_language())), param, ctx)
        return text


PLAIN_TEXT = PlainText()


def safe_output() -> None:
    """Output that no character can stop: UTF-8 into a file or a pipe, whatever the code
    page (Windows gives a redirected stream cp1258 or cp437, and `render … > log` died on
    its last line after writing every PDF); on a terminal its own encoding, a character it
    lacks shown as '?'. A Windows console is UTF-8 already."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # not a test's capture
            utf8 = codecs.lookup(stream.encoding).name == "utf-8"
            stream.reconfigure(encoding="utf-8" if not (utf8 or stream.isatty()) else None,
                               errors="replace")


@contextlib.contextmanager
def _speaking(group: click.Group, lang: str) -> Iterator[None]:
    """For one run, click's words and the commands' help in `lang`; put back afterwards
    (tests run many)."""
    token = _LANG.set(lang)
    saved = [(obj, attr, getattr(obj, attr)) for obj, attr, _ in _changes(group, lang)]
    for obj, attr, value in _changes(group, lang):
        setattr(obj, attr, value)
    try:
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)
        _LANG.reset(token)


def _changes(group: click.Group, lang: str) -> Iterator[tuple[object, str, object]]:
    """(object, attribute, value): click's `_` and `ngettext` unless English; each command's
    help, exit codes and example; each option's help with its variable."""
    if lang != "en":
        for name in _CLICK_MODULES:
            module = importlib.import_module(f"click.{name}")
            yield from ((module, attr, ours) for attr, ours in
                        (("_", click_word), ("ngettext", click_words)) if hasattr(module, attr))
    words = help_words()[lang]
    for key, cmd in (("scorecard", group), *group.commands.items()):
        texts = words.get("commands", {}).get(key, {})
        yield cmd, "epilog", _epilog(key, lang)
        if lang != "en":
            yield cmd, "help", texts.get("about", cmd.help)
        for param in cmd.params:
            if isinstance(param, click.Option):
                k = option_key(param)
                text = param.help if lang == "en" else (
                    texts.get(k) or words["options"].get(k) or click_word(param.help or ""))
                yield param, "help", _with_envvar(text, param)


def _with_envvar(text: str | None, param: click.Option) -> str | None:
    """The help with its variable, as click's `show_envvar` would put it, but without that
    flag's English "(env var: …)" in every usage error of the option."""
    if not isinstance(param.envvar, str):
        return text
    env = f"[{click_word('env var: {var}').format(var=param.envvar)}]"
    return f"{text}  {env}" if text else env


def _epilog(command: str, lang: str) -> str:
    """The command's exit codes, then its example (`\\b` keeps click from rewrapping it)."""
    words = help_words()
    own = words[lang].get("commands", {}).get(command, {})
    example = words["examples"].get(command, "")
    return (f"{own.get('exit', words[lang]['exit'])}\n\n"
            f"{words[lang]['example']}:\n\n\b\n  {example}")
