"""The framework loader: the default framework loads; every kind of mistake is explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_eval.errors import InvalidInputError
from coprod_eval.framework import FRAMEWORKS_DIR, load_framework

DEFAULT = FRAMEWORKS_DIR / "nesta_nef_six.yaml"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path = tmp_path / "framework.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InvalidInputError) as info:
        load_framework(str(path))
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_default_framework_has_the_six_nesta_nef_principles():
    framework = load_framework("nesta_nef_six")
    assert [p.id for p in framework.principles] == [
        "assets", "capabilities", "reciprocity", "networks", "blurring", "catalysts"]
    assert [r.id for r in framework.ratings] == [
        "not_evident", "emerging", "developing", "embedded"]
    assert [lv.id for lv in framework.levels] == [
        "coercion", "educating", "informing", "consultation", "engagement", "co_design",
        "co_production"]
    assert framework.version == "2.1.0"
    assert [s.id for s in framework.stages] == [
        "problem_definition", "commissioning", "design", "delivery", "evaluation"]


def test_an_item_may_evidence_several_principles():
    framework = load_framework("nesta_nef_six")
    serving = [p.id for p in framework.principles if "FA4" in p.items]
    assert serving == ["blurring", "catalysts"]


def test_principles_inherit_default_indicators():
    framework = load_framework("nesta_nef_six")
    indicator = framework.principle("networks").indicators[0]
    assert indicator.measure == "pct_agree" and indicator.group == "partner"
    assert indicator.thresholds == (("emerging", 40.0), ("developing", 60.0), ("embedded", 80.0))


def test_unknown_rating_in_thresholds(tmp_path):
    path = broken(tmp_path, "embedded: 80}", "embeded: 80}")
    line = line_of(path, "embeded: 80")
    found = problems_of(path)
    assert found[0] == (
        f"framework.yaml:{line}:default_indicators.0.thresholds.embeded: 'embeded' is not a "
        "rating of this framework's rating_scale — use one of: not_evident, emerging, "
        "developing, embedded")
    # the indicator is shared with every principle (a YAML anchor): each use is named
    assert len(found) == 7 and all(f.startswith(f"framework.yaml:{line}:") for f in found)


def test_thresholds_must_rise_with_ratings(tmp_path):
    path = broken(tmp_path, "developing: 60,", "developing: 90,")
    line = line_of(path, "thresholds: {emerging")
    assert problems_of(path)[0] == (
        f"framework.yaml:{line}:default_indicators.0.thresholds: thresholds do not rise with "
        "the ratings for a higher_is_better indicator — make each higher rating need a higher "
        "value than the one below it")


def test_item_not_in_instrument(tmp_path):
    path = broken(tmp_path, "items: [NE1, NE2, NE3, NE4]", "items: [NE1, NE2, NE3, NE9]")
    line = line_of(path, "items: [NE1, NE2, NE3, NE9]")
    assert problems_of(path) == [
        f"framework.yaml:{line}:principles.3.items.3: item 'NE9' is not in the survey "
        "instrument 'coprod_survey' — use an item id from the instrument, or add the item to "
        "the instrument"]


def test_last_level_rule_must_be_unconditional(tmp_path):
    path = broken(tmp_path, "  - level: informing\n",
                  "  - level: informing\n    at_least: {rating: emerging, count: 0}\n")
    messages = problems_of(path)
    assert any("count" in m and "minimum" in m for m in messages), messages


def test_duplicate_principle_and_all_problems_at_once(tmp_path):
    path = broken(tmp_path, "  - id: catalysts\n", "  - id: assets\n")
    path.write_text(path.read_text().replace("combine: minimum", "combine: average"))
    messages = problems_of(path)
    assert len(messages) == 1  # schema problems are reported before semantic ones
    assert "'rubric.combine' is 'average', which is not allowed — use one of: minimum" in messages[0]
    path.write_text(path.read_text().replace("combine: average", "combine: minimum"))
    messages = problems_of(path)
    assert messages == [f"framework.yaml:{_nth_line(path, '  - id: assets', 2)}:principles.5: "
                        "principle id 'assets' is used more than once — give every principle "
                        "its own id"]


def _nth_line(path: Path, needle: str, n: int) -> int:
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(needle)]
    return hits[n - 1]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = broken(tmp_path, "name: Nesta/NEF six principles of co-production",
                  "name: [unclosed")
    (message,) = problems_of(path)
    assert message.startswith("framework.yaml:")
    assert "the file is not valid YAML" in message
    assert message.endswith("fix the YAML syntax at this line (check indentation, colons and "
                            "quotes)")


def test_unknown_framework_id():
    with pytest.raises(InvalidInputError) as info:
        load_framework("nesta_six")
    assert str(info.value.problems[0]) == (
        "nesta_six:-:-: framework 'nesta_six' is neither a built-in framework nor a file — use "
        "one of the built-in ids (nesta_nef_six) or a path to a framework YAML")
