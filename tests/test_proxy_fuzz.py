"""The proxy's fuzz stage: generated OpenAI-shaped bodies on generated path spellings, with
block terms of the bundled lexicon in any text field, through a real proxy to a real
recording upstream.

Asserted for every request: no answer is a 5xx, each comes within its time budget, and no
string the upstream received — value or key, anywhere in any body — is one the engine
blocks; only the canonical paths of checked routes ever reach the upstream. The counts of
distinct body shapes and path spellings tried are printed and recorded (``record_property``).

``INTERCEPTOR_FUZZ_EXAMPLES`` sets how many requests are generated (default 300, which keeps
this stage near half a minute inside ``make test``; ``make fuzz`` runs more).
"""
from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interceptor import Interceptor
from interceptor.lexicon import load_lexicon
from interceptor.types import Action, Tier
from tests.proxies import ProxyProcess, Upstream, raw_post, running_proxy
from tests.server import ROOT

pytestmark = pytest.mark.fuzz

DEFAULT = ROOT / "lexicons" / "default"
EXAMPLES = int(os.environ.get("INTERCEPTOR_FUZZ_EXAMPLES", "300"))
BUDGET_S = 10.0  # each answer, under a loaded machine; a check is milliseconds
CHECKED = {"/v1/chat/completions", "/v1/completions"}
LEXICON = load_lexicon(DEFAULT)
BLOCK_TERMS = sorted(t.text for t in LEXICON.terms if t.tier is Tier.BLOCK)  # from the lexicon, not from a set


@pytest.fixture(scope="module")
def live(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ProxyProcess, Interceptor]]:
    """The proxy with the bundled lexicon, and the same engine here to judge what got through
    (built while the proxy starts)."""
    with ThreadPoolExecutor(1) as pool:
        engine = pool.submit(Interceptor.from_lexicon, LEXICON)
        with running_proxy(upstream.url, tmp_path_factory.mktemp("fuzz"), lexicon=DEFAULT) as p:
            yield p, engine.result()


# ---------------------------------------------------------------- texts

_plain = st.text(st.characters(exclude_categories=("Cs",), max_codepoint=0x2FFFF), max_size=12)
WORDS = ["", " ", "hello ", "请问", " the ", "天气 ", "tell me ", "\n", "在哪里", "ok"]
_words = st.sampled_from(WORDS)
text = st.one_of(_plain, _words)  # a block term is placed afterwards, in one of them (``placed``)
key = st.one_of(st.sampled_from(["query", "city", "note", "q"]), _plain)

scalar = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=False), text)
json_value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(key, inner, max_size=3)), max_leaves=8)

# ---------------------------------------------------------------- chat bodies

_url = st.sampled_from(["https://example.com/cat.png", "data:image/png;base64,iVBORw0KGgo="])
part = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": text}),
    st.fixed_dictionaries({"type": st.just("input_text"), "text": text}),
    st.fixed_dictionaries({"type": st.just("refusal"), "refusal": text}),
    st.fixed_dictionaries({"type": st.just("image_url"),
                           "image_url": st.fixed_dictionaries({"url": _url}, optional={"detail": text})},
                          optional={"text": text}),
    st.fixed_dictionaries({"type": st.just("input_audio"), "input_audio": st.fixed_dictionaries(
        {"data": st.just("UklGRg=="), "format": st.just("wav")})}),
    st.fixed_dictionaries({"type": st.just("text"), "text": st.fixed_dictionaries({"value": text})}),
    st.fixed_dictionaries({"type": text, "text": text}, optional={"extra": json_value}),
    text,
)
_text_part = st.fixed_dictionaries({"type": st.sampled_from(["text", "input_text"]), "text": text})
parts = st.one_of(st.lists(_text_part, min_size=2, max_size=3),
                  st.recursive(st.lists(part, max_size=3), lambda inner: st.lists(st.one_of(part, inner), max_size=3),
                               max_leaves=6))
content = st.one_of(text, text, st.none(), parts, parts, part, json_value, text, parts)
function = st.fixed_dictionaries({"name": text, "arguments": st.one_of(text, st.builds(
    lambda v: json.dumps({"q": v}, ensure_ascii=False), text))})
tool_call = st.fixed_dictionaries({"id": st.just("call_1"), "type": st.just("function"), "function": function})
role = st.sampled_from(["system", "developer", "user", "assistant", "tool", "function", "moderator"])
_message = st.fixed_dictionaries({"role": role, "content": content}, optional={
    "name": text, "tool_calls": st.lists(tool_call, max_size=2), "function_call": function,
    "refusal": text, "reasoning_content": text, "tool_call_id": text, "x_meta": json_value})
message = st.integers(0, 9).flatmap(lambda n: json_value if n == 0 else _message)  # now and then any JSON at all
schema = st.recursive(
    st.fixed_dictionaries({"type": st.just("string")}, optional={"description": text, "enum": st.lists(text)}),
    lambda inner: st.fixed_dictionaries({"type": st.just("object"), "properties": st.dictionaries(key, inner,
                                                                                                   max_size=3)},
                                        optional={"description": text, "title": text}), max_leaves=5)
tool = st.fixed_dictionaries({"type": st.just("function"), "function": st.fixed_dictionaries(
    {"name": text}, optional={"description": text, "parameters": schema})})
_messages = st.lists(message, min_size=1, max_size=4)
def sometimes(draw: st.DrawFn, body: dict[str, Any], extras: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    """Each optional field in one body out of three: enough for every field to be the one
    that carries the term, often (hypothesis's own optional keys come too rarely here)."""
    for name, strategy in extras.items():
        if draw(st.integers(0, 2)) == 0:
            body[name] = draw(strategy)
    return body


@st.composite
def chat_body(draw: st.DrawFn) -> dict[str, Any]:
    messages = draw(json_value if draw(st.integers(0, 9)) == 0 else _messages)
    return sometimes(draw, {"model": "m", "messages": messages}, {
        "stream": st.booleans(), "tools": st.lists(tool, min_size=1, max_size=2),
        "functions": st.lists(st.fixed_dictionaries({"name": text}, optional={"description": text,
                                                                              "parameters": schema}),
                              min_size=1, max_size=2),
        "response_format": st.fixed_dictionaries({"type": st.just("json_schema"), "json_schema": st.fixed_dictionaries(
            {"name": st.just("a"), "schema": schema})}),
        "system": text, "user": st.just("fuzz"), "x_extra": json_value, "tool_choice": json_value})


# ---------------------------------------------------------------- completion bodies

_prompt = st.one_of(text, st.lists(text, min_size=1, max_size=3))
_unreadable = st.one_of(st.lists(st.integers(0, 50_000), min_size=1, max_size=4),
                        st.lists(st.lists(st.integers(0, 50_000), max_size=3), min_size=1, max_size=2), json_value)


@st.composite
def completion_body(draw: st.DrawFn) -> dict[str, Any]:
    prompt = draw(_unreadable if draw(st.integers(0, 4)) == 0 else _prompt)
    return sometimes(draw, {"model": "m", "prompt": prompt}, {
        "stream": st.booleans(), "suffix": text, "echo": st.booleans(), "x_extra": json_value})


# ---------------------------------------------------------------- paths


@st.composite
def spelled(draw: st.DrawFn, path: str) -> str:
    """``path`` in one of the spellings an upstream may still route to it."""
    out = []
    for seg in path.strip("/").split("/"):
        chars = []
        for c in seg:
            c = c.upper() if draw(st.booleans()) and draw(st.booleans()) else c
            how = draw(st.integers(0, 9))
            chars.append(f"%{ord(c):02x}" if how == 0 else f"%{ord(c):02X}" if how == 1 else
                         f"%25{ord(c):02x}" if how == 2 else c)
        seg = "".join(chars)
        extra = draw(st.integers(0, 12))
        if extra == 0:
            seg += ";" + draw(st.sampled_from(["x=1", "", "jsessionid=a"]))
        before = draw(st.sampled_from(["", "", "", "", "/", "./", "%2e/", "%2E/", "x/../", "a/%2e%2e/", "y/.%2e/"]))
        out.append(before + seg)
    sep = draw(st.sampled_from(["/", "/", "/", "//", "\\"]))
    spelled_path = draw(st.sampled_from(["", "/", "//"])) + sep.join(out) + draw(st.sampled_from(
        ["", "", "/", "/.", "//", "/x/..", "?a=1"]))
    return spelled_path if spelled_path.startswith(("/", "\\")) else "/" + spelled_path


unknown_path = st.one_of(st.sampled_from(["/v1/chat/completion", "/v2/chat/completions", "/v1/responses",
                                          "/v1/embeddings", "/chat/completions", "/v1/chat/completions/x",
                                          "/v1/threads/t/messages", "/v1/completions%00"]),
                         st.lists(st.text("abcv1/%.;", min_size=1, max_size=6), min_size=1, max_size=4).map(
                             lambda segs: "/" + "/".join(segs)))



@st.composite
def recased(draw: st.DrawFn, bodies: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """Now and then a key an upstream's decoder may still read as the usual one: ``Content``,
    ``MESSAGES``, ``meſſages`` (Go's JSON matches field names without case)."""
    body = draw(bodies)
    stack: list[Any] = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k in [k for k in item if k in ("messages", "content", "text", "prompt", "refusal")]:
                if draw(st.integers(0, 5)) == 0:
                    new = draw(st.sampled_from([k.upper(), k.capitalize(), k.replace("s", "ſ")]))
                    item[new] = item.pop(k)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return body


PAYLOADS = ("url", "data")  # media payloads: forwarded unchecked (documented), so no term goes there


def _is_text_part(item: Any) -> bool:
    return isinstance(item, dict) and any(k.casefold() == "text" and isinstance(v, str) for k, v in item.items())


@st.composite
def placed(draw: st.DrawFn, bodies: st.SearchStrategy[Any]) -> Any:
    """A body with one block term put into one of its strings — any value, any key — or split
    across two neighbouring content parts; now and then none at all. The string is picked
    region by region (each message, each other top-level field), so that the small fields
    (a tool's description) are as likely to carry it as the big ones."""
    body = draw(bodies)
    regions: dict[str, list[tuple[Any, Any, bool]]] = {}  # region -> (container, key or index, is the key itself)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []  # neighbouring text parts
    top = body.items() if isinstance(body, dict) else [("", body)]
    stack: list[tuple[Any, str]] = [(v, f"{k}{i}") for k, v in top for i, v in
                                    (enumerate(v) if isinstance(v, list) else [("", v)])]
    if isinstance(body, dict):
        regions["top"] = [(body, k, True) for k in body] + [(body, k, False) for k, v in body.items()
                                                              if isinstance(v, str)]
    while stack:
        item, region = stack.pop()
        slots = regions.setdefault(region, [])
        if isinstance(item, dict):
            for k, v in item.items():
                slots.append((item, k, True))
                if isinstance(v, str) and k not in PAYLOADS:
                    slots.append((item, k, False))
                stack.append((v, region))
        elif isinstance(item, list):
            slots.extend((item, i, False) for i, v in enumerate(item) if isinstance(v, str))
            pairs.extend((a, b) for a, b in itertools.pairwise(item) if _is_text_part(a) and _is_text_part(b))
            stack.extend((v, region) for v in item)
    filled = [r for r in regions.values() if r]
    pick = draw(st.randoms(use_true_random=False))  # uniform: hypothesis's own integers favour small ones
    how = pick.randrange(10)
    term = pick.choice(BLOCK_TERMS)
    if how == 0 or not filled:
        return body
    if how <= 2 and pairs:
        a, b = pick.choice(pairs)
        cut = pick.randint(1, max(1, len(term) - 1))
        ka, kb = (next(k for k, v in p.items() if k.casefold() == "text" and isinstance(v, str)) for p in (a, b))
        a[ka] += term[:cut]
        b[kb] = term[cut:] + b[kb]
        return body
    holder, k, is_key = pick.choice(pick.choice(filled))
    old = k if is_key else holder[k]
    at = pick.randint(0, len(old))
    new = old[:at] + pick.choice(WORDS) + term + pick.choice(WORDS) + old[at:]
    if is_key:
        items = [(new if key == k else key, v) for key, v in holder.items()]
        holder.clear()
        holder.update(items)
    else:
        holder[k] = new
    return body


case = st.one_of(
    st.tuples(st.just("/v1/chat/completions"), spelled("/v1/chat/completions"), placed(recased(chat_body()))),
    st.tuples(st.just("/v1/completions"), spelled("/v1/completions"), placed(recased(completion_body()))),
    st.tuples(st.just("unknown"), unknown_path, placed(st.one_of(chat_body(), completion_body()))),
)


# ---------------------------------------------------------------- the stage

def shape(value: Any) -> str:
    """A body's skeleton: its nesting, keys and kinds of values, without the texts."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k if k.isascii() and len(k) < 20 else 'K'}:{shape(v)}"
                              for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dict.fromkeys(shape(v) for v in value)) + "]"
    return type(value).__name__


def every_string(value: Any) -> Iterator[str]:
    """Every key and string value; and for every list, its items' texts joined, as a model
    reads content parts (``{"text": ...}`` under any case of the key, or plain strings)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
            yield "".join(p if isinstance(p, str) else "".join(
                v for k, v in p.items() if k.casefold() in ("text", "refusal") and isinstance(v, str))
                if isinstance(p, dict) else "" for p in item)


@dataclass
class Tried:
    shapes: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    with_terms: int = 0


def test_no_block_term_reaches_the_upstream(live: tuple[ProxyProcess, Interceptor], upstream: Upstream,
                                            record_property: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fuzz_proxy, engine = live
    tried = Tried()
    assert len(BLOCK_TERMS) >= 20

    @settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(case)
    def one(example: tuple[str, str, dict[str, Any]]) -> None:
        route, path, body = example
        upstream.reset()
        payload = json.dumps(body).encode()  # ASCII escapes: every string arrives as generated
        t0 = time.perf_counter()
        status, answer = raw_post(fuzz_proxy.url, path, payload, timeout=BUDGET_S * 2)
        took = time.perf_counter() - t0
        tried.requests += 1
        tried.shapes.add(shape(body))
        tried.paths.add(path)
        tried.statuses[status] = tried.statuses.get(status, 0) + 1
        tried.with_terms += any(t in s for s in every_string(body) for t in BLOCK_TERMS)
        assert status < 500, (status, answer[:500])
        assert took < BUDGET_S, took
        if route == "unknown":
            assert status == 404, (path, status, answer[:300])
        received = upstream.received()
        for got in received:
            assert got["path"] in CHECKED, got["path"]
            for s in every_string(got["body"]):
                verdict = engine.check(s)
                assert verdict.action is not Action.BLOCK, (s, [h.term for h in verdict.hits], path, body)

    one()
    summary = (f"proxy fuzz stage: {tried.requests} requests, {len(tried.shapes)} distinct body shapes, "
               f"{len(tried.paths)} distinct path spellings, {tried.with_terms} bodies with a block term, "
               f"answers {dict(sorted(tried.statuses.items()))}")
    record_property("proxy_fuzz", summary)
    with capsys.disabled():
        print("\n" + summary)
    assert len(tried.shapes) >= EXAMPLES // 3 and len(tried.paths) >= EXAMPLES // 4, summary
    assert tried.with_terms >= EXAMPLES // 4 and tried.statuses.get(200, 0) > 0, summary
