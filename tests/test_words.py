"""Facts apart from words: results.json holds numbers, codes and reason codes; every sentence
comes from the words layer through the message catalog, so a wording change is a catalog edit
that touches no results file."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

import coprod_eval as ce
from coprod_eval.render.words import catalog
from coprod_eval.render.words.extract import TEMPLATE, extracted, render

GOLDEN = Path(__file__).parent / "golden"

# Where text in results.json is data, not the tool's words: names and labels from the
# yardstick files and evaluation.yaml, the questions, the quotes, the partners' own reading.
DATA_TEXT = re.compile(r"""(^project\.|^sign_off\.|\.name$|\.label$|\.meaning$|\.source$|
    \.band$|\.statement$|\.text$|\.truth$|\.reading$|\.why$|\.reason$|\.reviewers\[\d+\]$|
    \.roles\[\d+\]$|\.agreed_by\[\d+\]$|\.by\[\d+\]$|\.what$|\.date$|\.version$|
    \.characteristic$|\.categories\[\d+\]$|\.under_represented\[\d+\]$|\.category$|
    ^parameters\.scale\[\d+\]\.label$|\.colour$|\.items_left_out\[\d+\]$|\.agreed_date$|
    \.method$|\.unit$|^privacy\.redactions)""", re.X)
CODE = re.compile(r"^[A-Za-z0-9_.+\-]*$")  # an id, a code, a version


def strings(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.results.json")), ids=lambda p: p.name)
def test_results_hold_facts_not_sentences(golden):
    prose = [(path, value) for path, value in strings(json.loads(golden.read_text()))
             if not CODE.match(value) and not DATA_TEXT.search(path)]
    assert not prose, prose[:5]


def test_no_sentence_field_is_left_in_the_schema():
    schema = (Path(ce.__file__).parent / "data" / "schemas" / "results.schema.json").read_text()
    for field in ('"explanation"', '"settle": {\n      "type": "array",\n      "items": {\n'
                  '        "type": "string"', '"note"', '"rubric": {\n          "type": "string"',
                  '"yardstick"', '"confidence_rule"', '"stage_rule"'):
        assert field not in schema, field


def test_the_catalog_template_is_current():
    """Every message the code and templates can show is in coprod_eval/locale (run `make
    catalog` after changing words)."""
    assert render(extracted()) == TEMPLATE.read_bytes(), "run: make catalog"


def test_every_language_has_every_message():
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    for language, locale in catalog.LANGUAGES.items():
        po = catalog.LOCALE_DIR / language / "LC_MESSAGES" / f"{catalog.DOMAIN}.po"
        with po.open("rb") as source:
            held = {m.id for m in read_po(source, locale=locale) if m.id and not
                    getattr(m, "obsolete", False)}
        assert wanted <= held, sorted(map(str, wanted - held))[:5]


@pytest.fixture
def changed_catalog(tmp_path, monkeypatch):
    """A copy of the catalogs in which one English message is worded differently."""
    from babel.messages.pofile import read_po

    folder = tmp_path / "locale"
    shutil.copytree(catalog.LOCALE_DIR, folder)
    po = folder / "en" / "LC_MESSAGES" / f"{catalog.DOMAIN}.po"
    with po.open("rb") as source:
        messages = read_po(source, locale="en_GB")
    messages["Claim not supported"].string = "The claim does not hold"
    messages["How sure are we?"].string = "How certain is this?"
    po.write_bytes(render(messages))
    monkeypatch.setenv(catalog.CATALOGS_ENV, str(folder))
    catalog.reload()
    yield
    monkeypatch.delenv(catalog.CATALOGS_ENV)
    catalog.reload()


def test_a_wording_change_is_a_catalog_edit_that_changes_no_results(changed_catalog):
    from coprod_eval.render.report import report_html

    folder = SAMPLES / "involvement-as-coproduction"
    evaluation = ce.load_evaluation(folder)
    result = ce.evaluate(evaluation, ce.load_evidence(evaluation))
    # results.json is byte for byte the golden file: wording is not in it
    assert result.to_json() == (GOLDEN / f"{folder.name}.results.json").read_text()
    html = report_html(result)
    assert "The claim does not hold" in html and "Claim not supported" not in html
    assert '<h2 id="sure-heading">How certain is this?</h2>' in html


def test_the_source_wording_is_back_without_the_changed_catalog():
    from coprod_eval.render.words.verdict import headline

    assert headline("not_supported") == "Claim not supported"
