"""The compiled-lexicon cache (engine.cache): a lexicon compiled before is read, not compiled;
an entry that is not whole and ours is never trusted, and is rebuilt."""
from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import interceptor.engine.core as core
from interceptor import stored
from interceptor.engine import cache
from interceptor.errors import LexiconError
from tests.conftest import CASES, ROOT, write_lexicon

TEXTS = ["加我薇信吧", "you f<b>uc</b>k", "哪里能买到枪只？", "a clean sentence"]


def _answers(engine: core.Engine) -> list[list[tuple[str, int, int, str]]]:
    return [[(h.term, h.start, h.end, h.variant) for h in engine.scan(t)] for t in TEXTS]


def _lexicon(tmp_path: Path) -> Path:
    return write_lexicon(tmp_path / "lex", {"terms.tsv": (CASES / "lexicon" / "zh.tsv").read_text(encoding="utf8"),
                                            "en.tsv": (CASES / "lexicon" / "en.tsv").read_text(encoding="utf8")})


@pytest.fixture
def store(tmp_path: Path) -> Path:
    where = tmp_path / "cache"
    return where


def _entries(where: Path) -> list[Path]:
    return sorted(where.glob("*.lexicon"))


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("compiled, where the cache had it")
    monkeypatch.setattr(core, "build", fail)


def test_a_lexicon_compiled_before_is_read_not_compiled(tmp_path: Path, store: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    lex = _lexicon(tmp_path)
    first = cache.load_engine(lex, directory=store)
    cache.wait_for_writes()
    assert len(_entries(store)) == 1
    _no_build(monkeypatch)
    second = cache.load_engine(lex, directory=store)
    assert second.version == first.version and second.lexicon == first.lexicon
    assert _answers(second) == _answers(first)


def test_a_changed_lexicon_is_another_entry(tmp_path: Path, store: Path) -> None:
    lex = _lexicon(tmp_path)
    first = cache.load_engine(lex, directory=store)
    cache.wait_for_writes()
    (lex / "more.tsv").write_text("term\tcategory\n冰毒\tdrugs\n", encoding="utf8")
    second = cache.load_engine(lex, directory=store)
    cache.wait_for_writes()
    assert second.version != first.version and len(_entries(store)) == 2
    assert any(h.term == "冰毒" for h in second.scan("冰毒"))


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "another key", "empty"])
def test_a_damaged_entry_is_rebuilt(tmp_path: Path, store: Path, damage: str) -> None:
    lex = _lexicon(tmp_path)
    want = _answers(cache.load_engine(lex, directory=store))
    cache.wait_for_writes()
    (entry,) = _entries(store)
    data = bytearray(entry.read_bytes())
    if damage == "flip a byte":
        data[-100] ^= 0xFF
    elif damage == "truncate":
        del data[len(data) // 2:]
    elif damage == "another key":
        data[len(stored.MAGIC)] ^= 1  # the first character of the key
    else:
        data = bytearray()
    entry.write_bytes(bytes(data))
    assert cache.read_entry(entry, entry_key(lex)) is None
    assert _answers(cache.load_engine(lex, directory=store)) == want
    cache.wait_for_writes()
    assert cache.read_entry(entry, entry_key(lex)) is not None  # replaced by a whole one


def entry_key(lex: Path) -> str:
    from interceptor.lexicon.version import content_version

    return cache.entry_key(lex, content_version(lex), "daachorse")


class _Payload:
    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, ("echo tampered > /dev/null",))


def test_an_entry_that_calls_a_function_is_never_unpickled(tmp_path: Path, store: Path) -> None:
    lex = _lexicon(tmp_path)
    want = _answers(cache.load_engine(lex, directory=store))
    cache.wait_for_writes()
    (entry,) = _entries(store)
    key = entry_key(lex)
    payload = pickle.dumps(_Payload())
    digest = hashlib.sha256(payload).hexdigest().encode()
    # well formed, key and digest right
    entry.write_bytes(stored.MAGIC + key.encode() + b"\n" + digest + b"\n" + payload)
    assert cache.read_entry(entry, key) is None
    assert _answers(cache.load_engine(lex, directory=store)) == want


def test_a_bad_lexicon_is_refused_whatever_the_cache_holds(tmp_path: Path, store: Path) -> None:
    lex = _lexicon(tmp_path)
    cache.load_engine(lex, directory=store)
    cache.wait_for_writes()
    (lex / "bad.tsv").write_text("term\ttier\nx\tnonsense\n", encoding="utf8")
    with pytest.raises(LexiconError):
        cache.load_engine(lex, directory=store)
    (lex / "bad.tsv").unlink()
    os.symlink(tmp_path / "nowhere", lex / "gone.tsv")  # not in the content version: in the key
    with pytest.raises(LexiconError):
        cache.load_engine(lex, directory=store)


def test_a_directory_others_can_write_to_is_not_used(tmp_path: Path, store: Path) -> None:
    lex = _lexicon(tmp_path)
    store.mkdir(mode=0o777)
    store.chmod(0o777)
    cache.load_engine(lex, directory=store)
    cache.wait_for_writes()
    assert _entries(store) == []


def test_off_means_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(stored.ENV, "off")
    assert stored.directory() is None
    monkeypatch.setenv(stored.ENV, str(tmp_path / "c"))
    assert stored.directory() == tmp_path / "c"


def test_only_the_entries_used_last_are_kept(tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    lex = _lexicon(tmp_path)
    for k in range(4):
        (lex / "more.tsv").write_text(f"term\tcategory\nword{k}\ttest\n", encoding="utf8")
        cache.load_engine(lex, directory=store)
        cache.wait_for_writes()
    assert len(_entries(store)) == 2


PROBE = """
import sys, time
from interceptor import stored
from interceptor.engine import cache
e = cache.load_engine(sys.argv[1], directory=__import__("pathlib").Path(sys.argv[2]))
print(e.version, len(e.scan("加我薇信吧")))
"""


def test_processes_starting_together_share_one_entry(tmp_path: Path, store: Path) -> None:
    lex = _lexicon(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", PROBE, str(lex), str(store)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outs = {p.communicate(timeout=120)[0] for p in procs}
    assert len(outs) == 1 and all(p.returncode == 0 for p in procs)
    (entry,) = _entries(store)
    assert cache.read_entry(entry, entry_key(lex)) is not None
    assert not list(store.glob(".*.tmp"))


TABLES_PROBE = """
import sys, time
from interceptor.normalize import tables
t = time.process_time(); tables.load(); print(time.process_time() - t)
"""


def test_the_tables_are_kept_and_read_back(tmp_path: Path) -> None:
    from interceptor.normalize import tables

    env = {**os.environ, stored.ENV: str(tmp_path / "c")}
    run = [sys.executable, "-c", TABLES_PROBE]
    subprocess.run(run, cwd=ROOT, env=env, check=True, capture_output=True)  # built, then written
    (entry,) = (tmp_path / "c").glob("*.tables")
    got = stored.read(entry, tables.tables_key(), tables._STORED)
    built = tables.build_tables()
    assert isinstance(got, tables.Tables)
    for name, value in vars(built).items():  # every table as built, the arrays packed by blocks in the entry
        kept = getattr(got, name)
        if isinstance(value, np.ndarray):
            assert kept.dtype == value.dtype and np.array_equal(kept, value), name
        elif name == "symbol_codes":
            assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(kept, value, strict=True))
        else:
            assert kept == value, name
    data = bytearray(entry.read_bytes())
    data[-10] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert stored.read(entry, tables.tables_key(), tables._STORED) is None
    subprocess.run(run, cwd=ROOT, env=env, check=True, capture_output=True)  # rebuilt and replaced
    assert isinstance(stored.read(entry, tables.tables_key(), tables._STORED), tables.Tables)


def test_the_stream_prefixes_are_kept_and_read_back(tmp_path: Path, store: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    lex = _lexicon(tmp_path)
    first = cache.load_engine(lex, directory=store).prefixes
    cache.wait_for_writes()
    assert len(list(store.glob("*" + cache.PREFIX_SUFFIX))) == 1

    def fail(*args: object) -> None:
        raise AssertionError("built, where the cache had them")
    monkeypatch.setattr(core, "build_prefixes", fail)
    assert cache.load_engine(lex, directory=store).prefixes == first
    (entry,) = store.glob("*" + cache.PREFIX_SUFFIX)
    entry.write_bytes(entry.read_bytes()[:-5])  # damaged: built again, not trusted
    monkeypatch.undo()
    assert cache.load_engine(lex, directory=store).prefixes == first
