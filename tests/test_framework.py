"""The framework loader: the default framework loads; every kind of mistake is explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_eval.base.errors import InvalidInputError
from coprod_eval.yardsticks.framework import FRAMEWORKS_DIR, load_framework
from coprod_eval.yardsticks.ladder import LADDERS_DIR

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
    assert framework.version == "3.0.0"
    assert framework.ladder.id == "tlap7"
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


LADDER = LADDERS_DIR / "tlap7.yaml"


def ladder_problems(tmp_path: Path, old: str, new: str) -> tuple[Path, list[str]]:
    text = LADDER.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path = tmp_path / "ladder.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InvalidInputError) as info:
        load_framework("nesta_nef_six", ladder=str(path))
    return path, [str(p) for p in info.value.problems]


def test_last_level_rule_must_be_unconditional(tmp_path):
    path, messages = ladder_problems(
        tmp_path, "  - level: informing\n",
        "  - level: informing\n    at_least: {rating: emerging, count: 1}\n")
    line = line_of(path, "  - level: informing")
    assert messages == [f"ladder.yaml:{line}:level_rules.4: the last level rule has conditions, "
                        "so some evidence would get no level — end level_rules with a rule "
                        "that has only 'level:' (the floor)"]


def test_a_ladder_rule_must_name_the_frameworks_ratings(tmp_path):
    path, messages = ladder_problems(tmp_path, "all_at_least: developing",
                                     "all_at_least: established")
    line = line_of(path, "all_at_least: established")
    assert messages == [
        f"ladder.yaml:{line}:level_rules.0.all_at_least: 'established' is not a rating of the "
        "framework 'nesta_nef_six' — use one of its ratings (not_evident, emerging, developing, "
        "embedded), or a ladder whose rules name the framework's ratings"]


@pytest.mark.parametrize("principles, counts", [(5, [4, 3, 2, 1]), (6, [4, 3, 2, 1]),
                                                (10, [7, 5, 4, 1])])
def test_shares_of_principles_round_up_for_any_framework_size(principles, counts):
    from coprod_eval.yardsticks.ladder import load_ladder

    ladder = load_ladder("tlap7", framework_id="any", principles=principles,
                         ratings=("not_evident", "emerging", "developing", "embedded"))
    assert [r.at_least_count for r in ladder.rules[:-1]] == counts


@pytest.mark.parametrize("ladder, levels", [
    ("arnstein8", ["manipulation", "therapy", "informing", "consultation", "placation",
                   "partnership", "delegated_power", "citizen_control"]),
    ("iap2_5", ["inform", "consult", "involve", "collaborate", "empower"]),
    ("tlap7", ["coercion", "educating", "informing", "consultation", "engagement", "co_design",
               "co_production"])])
def test_every_built_in_ladder_reads_the_six_principles(ladder, levels):
    framework = load_framework("nesta_nef_six", ladder=ladder)
    assert [lv.id for lv in framework.levels] == levels
    assert framework.level_rules[-1].all_at_least is None  # a floor
    assert all(rule.level in levels for rule in framework.level_rules)


def test_a_framework_still_holding_its_ladder_is_told_where_it_goes(tmp_path):
    path = broken(tmp_path, "default_ladder: tlap7\n",
                  "default_ladder: tlap7\nlevel_rules: []\n")
    (message,) = problems_of(path)
    assert "'level_rules' is no longer part of a framework" in message
    assert "move level_scale (as levels) and level_rules into a ladder file" in message


def test_duplicate_principle_and_all_problems_at_once(tmp_path):
    path = broken(tmp_path, "  - id: catalysts\n", "  - id: assets\n")
    path.write_text(path.read_text().replace("combine: minimum", "combine: average"))
    messages = problems_of(path)
    assert len(messages) == 1  # schema problems are reported before semantic ones
    assert ("'rubric.combine' is 'average', which is not allowed — use one of: minimum"
            in messages[0])
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
        "one of the built-in ids (nesta_nef_six, nhse_2022_ten, nihr_coproduction, "
        "uk_standards_pi) or a path to a framework YAML")
