"""Contextual rules in a stream: a rule that blocks the whole text blocks the stream before
any character of its span is released, with a hold-back bounded by the rule's window."""
from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interceptor import Action, Interceptor, Tier
from interceptor.stream import StreamChecker
from tests.conftest import CASES, ROOT, write_lexicon

DEFAULT = ROOT / "lexicons" / "default"
RULE_CASES = [c["text"] for c in tomllib.loads((CASES / "rules.toml").read_text(encoding="utf8"))["case"]]

# Requests in the bundled lexicon that only a rule blocks: each object word alone is monitor.
REQUESTS = ["哪里可以买到冰毒？我需要一些，越快越好。", "Where can I buy meth cheaply today? Tell me now.",
            "如何制作炸弹，请详细说明步骤和材料。"]
# what a model may go on with: long enough that no negation can come in time any more
GOES_ON = "接下来的内容与此无关，我们聊聊别的事情吧。" * 20


@pytest.fixture(scope="module")
def default_guard() -> Interceptor:
    return Interceptor.from_path(DEFAULT)


@pytest.fixture(scope="module")
def rules_guard() -> Interceptor:
    return Interceptor.from_path(CASES / "rules_lexicon")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Interceptor:
    """A request word near an object word blocks, unless a context word is in the message."""
    d: Path = tmp_path_factory.mktemp("stream-rules")
    return Interceptor.from_path(write_lexicon(d, {
        "words.tsv": "term\tcategory\ttier\n冰毒\tdrugs\tmonitor\nmeth\tdrugs\tmonitor\n"
                     "买\task\tmonitor\nbuy\task\tmonitor\n新闻\tcontext\tmonitor\nnews\tcontext\tmonitor\n",
        "manifest.toml": 'name = "stream-rules"\nhidden_categories = ["ask", "context"]\n',
        "rules.toml": '[[rule]]\nid = "drugs-trade"\ncategory = "drugs"\ntier = "block"\n'
                      'categories = ["drugs", "ask"]\nnone_categories = ["context"]\nscope = 20\n',
    }))


def feed_all(guard: Interceptor, text: str, cuts: list[int]) -> tuple[str, StreamChecker, int | None]:
    """Every chunk but the final call; what was released, and the end of the chunk that blocked."""
    sc = StreamChecker(guard)
    out, prev, blocked_at = [], 0, None
    for cut in [*sorted(set(cuts)), len(text)]:
        step = sc.feed(text[prev:cut])
        out.append(step.release)
        if step.action is Action.BLOCK and blocked_at is None:
            blocked_at = cut
        prev = cut
    return "".join(out), sc, blocked_at


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("text", REQUESTS)
def test_a_rule_block_stops_the_stream_before_its_span_is_released(default_guard: Interceptor, text: str,
                                                                     size: int) -> None:
    whole = default_guard.check(text, direction="output")
    (rule,) = [h for h in whole.hits if h.variant == "rule" and h.tier is Tier.BLOCK]
    assert whole.action is Action.BLOCK and all(h.tier is not Tier.BLOCK for h in whole.hits if h.variant != "rule")
    released, sc, _ = feed_all(default_guard, text, list(range(size, len(text), size)))
    assert sc.feed("", final=True).action is Action.BLOCK
    assert len(released) <= rule.start, (text, size, released, rule)
    # a rule with negations waits for them no longer than its window past its last term
    released, sc, blocked_at = feed_all(default_guard, text + GOES_ON, list(range(size, len(text + GOES_ON), size)))
    assert blocked_at is not None and blocked_at <= rule.end + 60 + default_guard.engine.prefixes.max_hold + size
    assert len(released) <= rule.start, (text, size, released, rule)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_any_split_releases_nothing_of_a_block_and_blocks_only_what_blocks(rules_guard: Interceptor,
                                                                          data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(RULE_CASES))
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=10))
    released, sc, blocked_at = feed_all(rules_guard, text, cuts)
    whole = rules_guard.check(text, direction="output")
    if blocked_at is not None:  # a block only when the text so far blocks as a whole
        assert rules_guard.check(text[:blocked_at], direction="output").action is Action.BLOCK, (text, cuts)
    final = sc.feed("", final=True)
    if whole.action is Action.BLOCK:
        assert sc.state.blocked and final.action is Action.BLOCK
        # a term's or a window rule's span is held; a message's rule may complete any time
        # later, so what came before the stream's hold-back was released before it did
        unbounded = {r.id for r in rules_guard.lexicon.rules if r.scope != "window"}
        for h in whole.hits:
            if h.tier is Tier.BLOCK and not (h.variant == "rule" and h.term in unbounded):
                assert len(released) <= h.start, (text, cuts, released, h)
    elif blocked_at is None:
        assert released + final.release == whole.text, (text, cuts)


def test_a_negation_within_the_window_after_the_rule_lets_it_pass(small: Interceptor) -> None:
    for chunks in (["在哪里买冰毒", "的新闻很多"], ["where to buy meth", " is in the news today"]):
        sc = StreamChecker(small)
        out = [sc.feed(c).release for c in chunks]
        final = sc.feed("", final=True)
        whole = small.check("".join(chunks), direction="output")
        assert whole.action is Action.PASS and final.action is Action.PASS, chunks
        assert "".join(out) + final.release == "".join(chunks)


def test_a_negation_too_late_for_the_stream_still_fails_closed(small: Interceptor) -> None:
    sc = StreamChecker(small)
    assert sc.feed("在哪里买冰毒").action is not Action.BLOCK  # a negation may still come
    step = sc.feed("，" + "快" * 40)
    assert step.action is Action.BLOCK and "冰" not in step.release
    assert sc.feed("这是新闻").release == ""


def test_rule_hold_is_bounded_by_the_window(small: Interceptor) -> None:
    sc = StreamChecker(small)
    released = sc.feed("我想买").release
    assert "买" not in released  # an object word may still come within the window
    released += sc.feed("一些水果和蔬菜").release
    assert "买" not in released
    for _ in range(10):
        released += sc.feed("，还有别的东西").release
    assert released.startswith("我想买一些水果") and sc.held <= 20 + small.engine.prefixes.max_hold
    final = sc.feed("", final=True)
    assert released + final.release == sc.state.text and final.action is Action.PASS


def test_an_object_word_long_after_the_request_passes(small: Interceptor) -> None:
    text = "我想买" + "水" * 30 + "冰毒"
    assert small.check(text).action is Action.PASS
    released, sc, blocked_at = feed_all(small, text, list(range(3, len(text), 3)))
    assert blocked_at is None and released + sc.feed("", final=True).release == text


def _stream_cpu(guard: Interceptor, text: str, size: int) -> float:
    sc = StreamChecker(guard)
    t = time.process_time()
    for i in range(0, len(text), size):
        assert sc.feed(text[i:i + size]).action is not Action.BLOCK
    sc.feed("", final=True)
    return time.process_time() - t


def test_a_long_stream_costs_time_linear_in_its_length(default_guard: Interceptor) -> None:
    # request words and object words, each pair further apart than any window: every chunk
    # holds a rule back, none fires
    piece = "你知道怎么做吗？" + "今天的天气很好，我们一起去公园散步，看看湖边的风景，" * 3 + "冰毒的危害很大。"
    piece += "How do you feel? " + "The river runs quietly past the old mill on a calm day. " * 2 + "meth. "
    short = piece * 6
    long = piece * 48
    assert default_guard.check(long).action is not Action.BLOCK
    small_cpu = min(_stream_cpu(default_guard, short, 4) for _ in range(3))
    big_cpu = min(_stream_cpu(default_guard, long, 4) for _ in range(3))
    assert big_cpu <= 8 * 1.6 * small_cpu, (small_cpu, big_cpu)  # 8x the text, never 64x


@pytest.mark.parametrize("noise", ["\u200b", "★", " "])
def test_padding_between_the_words_does_not_walk_around_a_stream(default_guard: Interceptor, noise: str) -> None:
    text = "好的，哪里能买到" + noise * 200 + "冰毒" + GOES_ON
    (rule,) = [h for h in default_guard.check(text).hits if h.variant == "rule"]
    released, sc, blocked_at = feed_all(default_guard, text, list(range(3, len(text), 3)))
    assert blocked_at is not None and len(released) <= rule.start, (noise, released[:20])
