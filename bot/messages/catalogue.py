"""The message catalogue: whose language a sentence is said in, and the gettext lookups.

Why a ContextVar: readers of one workspace differ, so the language is the reader's, set by
whoever serves them (the Slack adapter per request, a digest or watch round per
subscription, the CLI from --lang) and copied into every asyncio task started under it.

Catalogues are gettext's: `bot/locales/<locale>/LC_MESSAGES/backupbot.po` (the template
`backupbot.pot` beside them), compiled to `.mo` when the package is built (the Dockerfile
runs `pybabel compile`); a checkout without `.mo` files compiles the `.po` in memory on
first use, so `./run demo` needs no build step. `en-XA` is a pseudo-locale for tests:
every message wrapped in ⟦…⟧ and lengthened, so a sentence that escaped the catalogue,
or one that would break a limit once translated, shows.
"""

from __future__ import annotations

import gettext
import io
import re
import string
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, get_day_names
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "backupbot"
LOCALES = Path(__file__).resolve().parent.parent / "locales"
SOURCE = "en"  # the language the messages are written in: needs no catalogue
PSEUDO = "en-XA"
SHIPPED = ("en", "zh-CN")  # what BACKUPBOT_LANGUAGE, `lang` and --lang accept (and en-XA)

_ENGLISH = Locale.parse(SOURCE)
_reader: ContextVar[str] = ContextVar("backupbot_reader_locale", default=SOURCE)


def shipped(tag: str) -> str | None:
    """The shipped locale a language tag (`zh-CN`, `zh_cn`, `en-US`, `zh`) asks for, if any."""
    wanted = tag.strip().replace("_", "-").lower()
    for locale in (*SHIPPED, PSEUDO):
        if wanted == locale.lower():
            return locale
    base = wanted.split("-")[0]
    if base == "zh":  # zh-TW, zh-HK readers still read Simplified Chinese better than English
        return "zh-CN"
    return SOURCE if base == "en" else None


def reader_locale() -> str:
    """The locale of the person being answered now."""
    return _reader.get()


def set_reader(locale: str) -> None:
    """Speak `locale` (a shipped one) for the rest of this context and the tasks it starts."""
    _reader.set(shipped(locale) or SOURCE)


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Speak `locale` inside the block only (a round's subscription, a test)."""
    token = _reader.set(shipped(locale) or SOURCE)
    try:
        yield
    finally:
        _reader.reset(token)


def api_language() -> str:
    """The X-Language the TaurusDB API takes for the reader (it knows en-us and zh-cn)."""
    return "zh-cn" if reader_locale() == "zh-CN" else "en-us"


def _directory(locale: str) -> Path:
    return LOCALES / locale.replace("-", "_") / "LC_MESSAGES"


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of `locale` (the .mo, else the .po compiled in memory)."""
    if locale == PSEUDO:
        return Pseudo()
    directory = _directory(locale)
    compiled = directory / f"{DOMAIN}.mo"
    if compiled.exists():
        with compiled.open("rb") as file:
            return gettext.GNUTranslations(file)
    source = directory / f"{DOMAIN}.po"
    if not source.exists():
        return gettext.NullTranslations()
    with source.open("rb") as file:
        catalogue = read_po(file, locale=locale.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


_FIELD = re.compile(r"\{[^{}]*\}")


class Pseudo(gettext.NullTranslations):
    """en-XA: each message ⟦wrapped⟧ and ~40% longer, its placeholders left whole."""

    def gettext(self, message: str) -> str:
        return _pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _pseudo(msgid1 if n == 1 else msgid2)


def _pseudo(message: str) -> str:
    if not message:
        return message
    words = _FIELD.sub("", message)
    padding = "·" * max(1, (len(words) * 2) // 5)
    return f"⟦{message}{padding}⟧"


class Said(str):
    """A sentence in the reader's language that keeps its English words (`english`): an
    audit or log line is for operators and must read the same whoever was being answered.

    `format` fills both with the same values (a value that is itself `Said` gives each its
    own words), so a sentence with placeholders keeps its English twin too."""

    english: str

    def __new__(cls, shown: str, english: str) -> Said:
        said = super().__new__(cls, shown)
        said.english = english
        return said

    def __reduce__(self) -> tuple[type[Said], tuple[str, str]]:  # copied or pickled anew
        return Said, (str(self), self.english)

    def format(self, *args: object, **kwargs: object) -> Said:
        english_args = [_english_value(value) for value in args]
        english_kwargs = {name: _english_value(value) for name, value in kwargs.items()}
        return Said(
            _Numbers(_babel_locale()).vformat(self, args, kwargs),
            _Numbers(_ENGLISH).vformat(self.english, english_args, english_kwargs),
        )


class _Numbers(string.Formatter):
    """str.format, but a grouped number (`{count:,}`) is written as the locale writes it
    (Babel: its grouping and decimal signs), not by Python's English rule."""

    def __init__(self, locale: Locale) -> None:
        self._locale = locale

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec == "," and isinstance(value, int) and not isinstance(value, bool):
            return format_decimal(value, format="#,##0", locale=self._locale)
        return super().format_field(value, format_spec)


def _english_value(value: object) -> object:
    return value.english if isinstance(value, Said) else value


def english(text: str) -> str:
    """The English words of a sentence made by the catalogue (for logs and audit lines);
    text that did not come from it (a name, the API's own message) is returned as it is."""
    return text.english if isinstance(text, Said) else text


def _(message: str) -> str:
    """`message` in the reader's language."""
    if not message:
        return message
    return Said(translations(reader_locale()).gettext(message), message)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for the marker)
    """A message marked for the catalogue, translated where it is read (`messages.X`)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count`, by the reader's language's plural rules."""
    english = singular if count == 1 else plural
    return Said(translations(reader_locale()).ngettext(singular, plural, count), english)


def _babel_locale() -> Locale:
    locale = reader_locale()
    try:
        return Locale.parse(SOURCE if locale == PSEUDO else locale, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE)


def number(value: float) -> str:
    """A number as the reader writes it (grouping, decimal sign)."""
    return Said(
        format_decimal(value, locale=_babel_locale()), format_decimal(value, locale=_ENGLISH)
    )


def decimal(value: float, *, places: int) -> str:
    """`value` with `places` decimals (rounded as Python's `f"{value:.1f}"` rounds it, so
    one amount reads the same everywhere), in the reader's decimal sign, ungrouped."""
    rounded = Decimal(f"{value:.{places}f}")
    pattern = "0." + "0" * places if places else "0"
    return Said(
        format_decimal(rounded, format=pattern, locale=_babel_locale()),
        format_decimal(rounded, format=pattern, locale=_ENGLISH),
    )


def listed(items: Sequence[str]) -> str:
    """Items as a list in the reader's language ('a, b and c'; 'a、b和c')."""
    return _listed(items, style="standard")


def alternatives(items: Sequence[str]) -> str:
    """Choices as the reader lists them ('a or b'; 'a或b')."""
    return _listed(items, style="or")


def _listed(items: Sequence[str], *, style: Literal["standard", "or"]) -> str:
    if not items:
        return ""
    return Said(
        format_list(list(items), style=style, locale=_babel_locale()),
        format_list([english(item) for item in items], style=style, locale=_ENGLISH),
    )


def moment(when: datetime, pattern: str) -> str:
    """`when` in a CLDR pattern (a catalogue message: each language picks its own), with
    the names of the reader's locale; the time is `when`'s own (the reader's zone)."""
    shown = format_datetime(when, pattern, tzinfo=when.tzinfo, locale=_babel_locale())
    words = format_datetime(when, english(pattern), tzinfo=when.tzinfo, locale=_ENGLISH)
    return Said(_pseudo(shown) if reader_locale() == PSEUDO else shown, words)


def weekday(day: int) -> str:
    """A weekday's short name in the reader's language (0 is Monday): Mon, 周一."""
    shown = str(get_day_names("abbreviated", locale=_babel_locale())[day])
    words = str(get_day_names("abbreviated", locale=_ENGLISH)[day])
    return Said(_pseudo(shown) if reader_locale() == PSEUDO else shown, words)
