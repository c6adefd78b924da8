"""The message catalog's template: every message the words layer and the report templates
can show, extracted from the code (``_``, ``n_``, ``N_``, ``Nn_``) and the templates.

    make catalog      (or: .venv/bin/python -m coprod_eval.render.words.extract)

writes ``coprod_eval/locale/coprod_eval.pot`` and brings each language's ``.po`` up to date
with it (new messages added untranslated, gone ones marked obsolete). A test fails when the
template is out of date, so no message can reach a reader without being in the catalog.
"""

from __future__ import annotations

import io

from .catalog import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parent.parent  # the checkout: coprod_eval/ and templates/
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None, "Nn_": (1, 2)}
SOURCES = (("coprod_eval", "**.py", "python"), ("templates", "**.j2", "jinja2"))
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
HEADER = ("Messages of coprod-eval's reports, apps and summaries. English is the source "
          "language: an English entry left empty keeps the source text.")


def extracted():
    """A Babel Catalog of every message, each with where it is used."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="coprod-eval", domain=DOMAIN, header_comment="# " + HEADER,
                      fuzzy=False)
    for folder, pattern, method in SOURCES:
        base = ROOT / folder
        for path, line, message, comments, _context in extract_from_dir(
                base, method_map=[(pattern, method)], keywords=KEYWORDS,
                options_map={pattern: {"trimmed": "true"}} if method == "jinja2" else None):
            where = (f"{folder}/{path}", line)
            if message in catalog:
                catalog[message].locations.append(where)
            else:
                catalog.add(message, locations=[where], auto_comments=comments)
    return catalog


def render(catalog) -> bytes:
    """The catalog as a .po/.pot file, without the dates that would change it every time."""
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, omit_header=False, sort_output=True, width=100,
             include_lineno=False)
    lines = [line for line in out.getvalue().decode("utf-8").splitlines()
             if not line.startswith(('"POT-Creation-Date', '"PO-Revision-Date',
                                     '"Generated-By'))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    from babel.messages.pofile import read_po

    catalog = extracted()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(render(catalog))
    print(TEMPLATE)
    for language, locale in LANGUAGES.items():
        po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.is_file():
            with po.open("rb") as source:
                existing = read_po(source, locale=locale, domain=DOMAIN)
        else:
            from babel.messages.catalog import Catalog

            existing = Catalog(locale=locale, domain=DOMAIN, project="coprod-eval",
                               header_comment="# " + HEADER, fuzzy=False)
        existing.update(catalog, no_fuzzy_matching=True)
        po.write_bytes(render(existing))
        print(po)


if __name__ == "__main__":
    main()
