"""Message catalogs: every sentence a reader sees is looked up here, in the reader's language.

Messages are English source text with named placeholders (``_("{value} meets the
'{label}' threshold", value=…, label=…)``); ``n_`` chooses a plural form by the locale's
rules. A language's wording lives in ``coprod_eval/locale/<language>/LC_MESSAGES/
coprod_eval.po`` (gettext), read with Babel: an English entry left empty keeps the source
text, and an entry with a translation replaces it, so wording changes — and a second
language — are catalog edits, never code changes, and never change results.json.
``coprod_eval/locale/coprod_eval.pot`` lists every message (``make catalog`` extracts it;
a test fails when it is out of date). Numbers, lists and plural forms follow the locale.
"""

from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "coprod_eval"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = {"en": "en_GB"}  # a language → the Babel locale its numbers and lists follow
DEFAULT = "en"
CATALOGS_ENV = "COPROD_EVAL_CATALOGS"  # a folder laid out like locale/, read instead of it

_language: ContextVar[str] = ContextVar("coprod_eval_language", default=DEFAULT)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Words chosen inside the block are in ``code`` (one of LANGUAGES)."""
    if code not in LANGUAGES:
        raise ValueError(f"no catalog for language {code!r}: one of {', '.join(LANGUAGES)}")
    token = _language.set(code)
    try:
        yield
    finally:
        _language.reset(token)


def current() -> str:
    return _language.get()


def locale() -> str:
    return LANGUAGES[_language.get()]


@cache
def _translations(code: str, folder: str) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    po = Path(folder) / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=LANGUAGES[code], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translations() -> gettext.NullTranslations:
    return _translations(_language.get(), os.environ.get(CATALOGS_ENV) or str(LOCALE_DIR))


def reload() -> None:
    """Read the catalogs again (after one has changed on disk)."""
    _translations.cache_clear()


def _(message: str, /, **values) -> str:
    """``message`` in the current language, its ``{placeholders}`` filled from ``values``."""
    text = translations().gettext(message)
    return text.format(**values) if values else text


def N_(message: str, /) -> str:
    """Marks a message for the catalog where it is written (a table of names); ``_`` looks
    it up where it is used."""
    return message


def Nn_(singular: str, plural: str, /) -> tuple[str, str]:
    """Marks a message with its plural for the catalog (a table of names); ``n_`` looks it
    up where it is used."""
    return singular, plural


def n_(singular: str, plural: str, n: int, /, **values) -> str:
    """The plural form for ``n`` (available to both forms as ``{n}``)."""
    return translations().ngettext(singular, plural, n).format(n=number(n), **values)


# --- numbers and lists, by locale -------------------------------------------------------------

def number(value: float, decimals: int = 0) -> str:
    """``value`` with exactly ``decimals`` decimal places, grouped in thousands, with the
    locale's decimal and group symbols (as Babel's #,##0.00 pattern writes it)."""
    point, group = _symbols(locale())
    text = f"{round(float(value), decimals):,.{max(decimals, 0)}f}"
    if (point, group) == (".", ","):
        return text
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


@cache
def _symbols(code: str) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(code), get_group_symbol(code)


def signed(value: float, decimals: int = 2) -> str:
    """A number with its sign always written (+0.25, −0.40)."""
    import math

    text = number(abs(value), decimals)
    return ("−" if math.copysign(1.0, value) < 0 else "+") + text


def and_list(items: Sequence[str]) -> str:
    """'a, b and c' — or 'a; b; and c' when an item holds a comma or its own 'and'."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    conjunction = _(" and ")
    if any("," in item or conjunction in item for item in items):
        return "; ".join(items[:-1]) + _("; and ") + items[-1]
    from babel.lists import format_list

    return format_list(items, locale=locale())


def or_list(items: Sequence[str]) -> str:
    """'a, b or c', each item once."""
    items = list(dict.fromkeys(str(i) for i in items))
    if len(items) <= 1:
        return "".join(items)
    from babel.lists import format_list

    return format_list(items, style="or", locale=locale())


def capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def sentence(words: str) -> str:
    """``words`` ending in a full stop, unless it already ends a sentence (or a quotation
    that does: “…?”)."""
    words = words.rstrip()
    return words if words.endswith((".", "!", "?", ".”", "?”", "!”", ".\"", "?\"")) else words + "."
