"""Bodies naming a key twice are refused, at any depth, however the key is spelt."""
from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interceptor.service import strict_json
from interceptor.service.strict_json import DuplicateKey


@pytest.mark.parametrize("raw", [
    b'{"text": "\xe5\x86\xb0\xe6\xaf\x92", "text": "hello"}',
    b'{"text": "x", "t\\u0065xt": "y"}',
    b'{"text" : "x",\n"text"\t:"y"}',
    b'{"items": [{"text": "a"}, {"text": "b", "direction": "input", "direction": "output"}]}',
    b'{"text": "x", "messages": [{"role": "user", "content": "a", "content": "b"}]}',
    b'[{"a": {"b": 1, "b": 2}}]',
])
def test_repeated_keys_are_refused(raw: bytes) -> None:
    with pytest.raises(DuplicateKey):
        strict_json.loads(raw)


@pytest.mark.parametrize("raw", [
    b'{"text": "say \\"text\\": twice, \\"text\\": again"}',
    b'{"a": "\\":", "b": {"c": "\\" :"}}',
    b'{"text": "x", "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}',
])
def test_quotes_and_colons_inside_strings_are_not_keys(raw: bytes) -> None:
    assert strict_json.loads(raw) == orjson.loads(raw)


json_values = st.recursive(st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                           max_leaves=20)


@given(json_values)
def test_any_document_without_repeats_reads_as_orjson_reads_it(value: object) -> None:
    raw = orjson.dumps(value)
    assert strict_json.loads(raw) == orjson.loads(raw)
    spaced = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    assert strict_json.loads(spaced) == orjson.loads(spaced)
