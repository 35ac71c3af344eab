"""A prompt and its images' text checked together: hits put back where they were found."""
from __future__ import annotations

from pathlib import Path

import pytest

from interceptor import Interceptor
from interceptor.images.reading import Box, TextLine
from interceptor.images.screen import ImageHit, ImageText, screen
from interceptor.types import Action, Hit
from tests.conftest import write_lexicon

TERMS = """term\tcategory\ttier
冰毒\tdrugs\tmonitor
海洛因\tdrugs\tblock
代开发票\tfraud\tmask
六合彩\tgambling\twarn
"""
RULES = """[[rule]]
id = "buying-drugs"
category = "drugs-trade"
tier = "block"
all = ["哪里能买"]
categories = ["drugs"]
scope = "message"

[[rule]]
id = "invoice-ad"
category = "fraud-ad"
tier = "mask"
all = ["加微信", "代开发票"]
scope = "message"
"""


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory) -> Interceptor:
    path: Path = tmp_path_factory.mktemp("lex")
    return Interceptor.from_path(write_lexicon(path, {"terms.tsv": TERMS, "rules.toml": RULES}))


def image(index: int, *lines: str) -> ImageText:
    read = tuple(TextLine(t, Box(10, 10 + 40 * i, 10 + 20 * len(t), 40 + 40 * i), 0.99) for i, t in enumerate(lines))
    return ImageText(index, f"{index:064x}", 1000, 400, 300, "png", read)


def test_a_term_in_an_image_is_found_with_its_place(guard: Interceptor) -> None:
    v = screen(guard, "看看这张图", [image(0, "今天天气不错"), image(1, "出售海洛因", "联系我")])
    assert v.action is Action.BLOCK and v.verdict.text is None
    [hit] = v.verdict.hits
    assert isinstance(hit, ImageHit)
    assert (hit.term, hit.image, hit.start, hit.end, hit.matched) == ("海洛因", 1, 2, 5, "海洛因")
    assert hit.box == Box(10, 10, 110, 40)
    assert hit.to_dict()["source"] == {"image": 1, "box": [10, 10, 110, 40]}


def test_the_prompt_and_an_image_fire_a_rule_together(guard: Interceptor) -> None:
    # neither alone: 哪里能买 typed is harmless, 冰毒 in a picture is monitor only
    assert screen(guard, "哪里能买", [image(0, "今天天气不错")]).action is Action.PASS
    assert screen(guard, "你好", [image(0, "冰毒")]).action is Action.PASS
    v = screen(guard, "哪里能买", [image(0, "冰毒")])
    assert v.action is Action.BLOCK
    rule_hits = [h for h in v.verdict.hits if h.variant == "rule"]
    assert {type(h) for h in rule_hits} == {Hit, ImageHit}  # a part in each
    in_text = next(h for h in rule_hits if not isinstance(h, ImageHit))
    assert (in_text.start, in_text.end, in_text.matched) == (0, 4, "哪里能买")
    in_image = next(h for h in rule_hits if isinstance(h, ImageHit))
    assert (in_image.image, in_image.matched) == (0, "冰毒")


def test_two_images_fire_a_rule_without_the_prompt(guard: Interceptor) -> None:
    v = screen(guard, "", [image(0, "哪里能买"), image(1, "冰毒")])
    assert v.action is Action.BLOCK
    assert {h.image for h in v.verdict.hits if isinstance(h, ImageHit) and h.variant == "rule"} == {0, 1}


def test_a_term_wrapped_over_two_lines_is_one_term(guard: Interceptor) -> None:
    v = screen(guard, "", [image(0, "出售海", "洛因")])
    [hit] = v.verdict.hits
    assert isinstance(hit, ImageHit) and hit.matched == "海\n洛因" and hit.box == Box(10, 10, 70, 80)


def test_no_term_is_made_of_the_prompt_and_an_image(guard: Interceptor) -> None:
    assert guard.check("海洛因").action is Action.BLOCK
    assert screen(guard, "海", [image(0, "洛因")]).action is Action.PASS
    assert screen(guard, "", [image(0, "海"), image(1, "洛因")]).action is Action.PASS


def test_mask_removes_the_image_and_stars_the_prompt(guard: Interceptor) -> None:
    v = screen(guard, "代开发票找我", [image(0, "风景照"), image(1, "代开发票")])
    assert v.action is Action.MASK and v.removed == (1,)
    assert v.verdict.text == "****找我"
    d = v.to_dict()
    assert d["removed_images"] == [1] and [im["removed"] for im in d["images"]] == [False, True]
    assert "lines" not in d["images"][0] and v.to_dict(lines=True)["images"][1]["lines"][0]["text"] == "代开发票"


def test_a_mask_rule_across_prompt_and_image(guard: Interceptor) -> None:
    v = screen(guard, "加微信", [image(0, "代开发票")])
    assert v.action is Action.MASK and v.removed == (0,)
    assert v.verdict.text == "***"


def test_warn_keeps_the_image_and_block_removes_nothing(guard: Interceptor) -> None:
    v = screen(guard, "你好", [image(0, "六合彩"), image(1, "代开发票")])
    assert v.action is Action.WARN and v.removed == (1,)
    v = screen(guard, "你好", [image(0, "海洛因"), image(1, "代开发票")])
    assert v.action is Action.BLOCK and v.removed == ()


def test_without_images_it_is_the_plain_check(guard: Interceptor) -> None:
    for text in ("哪里能买冰毒", "代开发票", "你好", ""):
        assert screen(guard, text, []).verdict == guard.check(text)


def test_direction_is_checked(guard: Interceptor) -> None:
    with pytest.raises(ValueError):
        screen(guard, "x", [], direction="sideways")
