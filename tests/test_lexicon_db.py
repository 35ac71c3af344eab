"""Lexicon distribution through PostgreSQL: publish once, every sidecar serves it within 2 s,
and a sidecar keeps its last good version while the database is away."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest

from interceptor.errors import LexiconError
from interceptor.lexicon import load_lexicon
from interceptor.lexicon.version import content_version
from interceptor.lexicon_db import LexiconCache, LexiconDbError, fetch_current, history, publish
from tests.conftest import ROOT
from tests.relay import Relay
from tests.server import ADMIN, Server

SAMPLE = ROOT / "lexicons" / "sample"


def with_extra_term(tmp_path: Path, name: str, term: str) -> Path:
    """A copy of the sample lexicon with one more block term."""
    out = tmp_path / name
    shutil.copytree(SAMPLE, out)
    (out / "extra.tsv").write_text(f"term\tcategory\ttier\tvariants\tlang\n{term}\tweapons\tblock\tnone\ten\n",
                                   encoding="utf8")
    return out


def test_cache_writes_whole_versions_and_remembers_the_current(tmp_path: Path) -> None:
    cache = LexiconCache(tmp_path / "cache")
    assert cache.current() is None
    files = [(p.name, p.read_bytes()) for p in sorted(SAMPLE.iterdir()) if p.suffix in (".tsv", ".toml", ".txt")]
    version = load_lexicon(SAMPLE).version
    path = cache.write(version, files)
    assert content_version(path) == version  # byte for byte: the same content version
    assert cache.write(version, []) == path  # already there: not rewritten
    cache.mark_current(version)
    assert cache.current() == path
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]  # no temporary left
    with pytest.raises(LexiconDbError):
        cache.path("../etc")
    with pytest.raises(LexiconDbError):
        cache.write("0123456789abcdef", [("../x.tsv", b"")])


def test_publish_needs_postgres() -> None:
    with pytest.raises(LexiconDbError, match="postgresql"):
        publish(SAMPLE, "sqlite:///tmp/x.db")


def test_publish_fetch_and_history(pg_url: str, tmp_path: Path) -> None:
    cache = LexiconCache(tmp_path / "cache")
    with pytest.raises(LexiconDbError, match="no lexicon has been published"):
        fetch_current(pg_url, cache)
    first = publish(SAMPLE, pg_url, by="ops")
    assert first.version == load_lexicon(SAMPLE).version and first.terms == 20
    pub, path = fetch_current(pg_url, cache)
    assert pub.version == first.version and load_lexicon(path).version == first.version
    second = publish(with_extra_term(tmp_path, "v2", "zorblaxium"), pg_url)
    assert fetch_current(pg_url, cache)[0].version == second.version
    publish(SAMPLE, pg_url, by="rollback")  # an older version published again becomes current
    assert fetch_current(pg_url, cache)[0].version == first.version
    rows = history(pg_url)
    assert [r["version"] for r in rows] == [first.version, second.version, first.version]
    assert rows[0]["published_by"] == "rollback" and rows[1]["terms"] == 21


def test_invalid_lexicon_is_not_published(pg_url: str, tmp_path: Path) -> None:
    good = publish(SAMPLE, pg_url)
    bad = with_extra_term(tmp_path, "bad", "x")
    (bad / "broken.tsv").write_text("term\tcategory\ttier\nfoo\tweapons\tobliterate\n", encoding="utf8")
    with pytest.raises(LexiconError) as e:
        publish(bad, pg_url)
    assert any("broken.tsv:2" in str(p) for p in e.value.problems)
    assert [r["version"] for r in history(pg_url)] == [good.version]  # nothing stored, nothing announced
    cli = subprocess.run([sys.executable, "-m", "interceptor.cli", "lexicon", "publish", str(bad), "--db", pg_url],
                         capture_output=True, text=True, cwd=ROOT)
    assert cli.returncode == 2 and "broken.tsv:2" in cli.stderr
    ok = subprocess.run([sys.executable, "-m", "interceptor.cli", "lexicon", "publish", str(SAMPLE), "--db", pg_url,
                         "--json"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and orjson.loads(ok.stdout)["version"] == good.version


def _versions(servers: list[Server]) -> list[str]:
    out = []
    for s in servers:
        out.append(httpx.get(s.url + "/v1/lexicon", headers=ADMIN, timeout=5).json()["version"])
    return out


def _wait_versions(servers: list[Server], version: str, limit: float) -> float:
    """Seconds until every server serves ``version``; fails after ``limit``."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if _versions(servers) == [version] * len(servers):
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"not every sidecar serves {version} after {limit} s: {_versions(servers)}")


def test_three_sidecars_follow_one_publication(pg_url: str, tmp_path: Path) -> None:
    relay = Relay(("127.0.0.1", 5432))
    lexicon_db = pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{relay.port}")
    v1 = publish(SAMPLE, pg_url)
    servers = [Server(SAMPLE, pg_url, args=["--lexicon-from-db"],
                      env={"INTERCEPTOR_LEXICON_DB": lexicon_db, "INTERCEPTOR_LEXICON_CACHE": str(tmp_path / f"c{i}")})
               for i in range(3)]
    try:
        for s in servers:
            s.start()
        assert _versions(servers) == [v1.version] * 3
        info = httpx.get(servers[0].url + "/v1/lexicon", headers=ADMIN).json()
        assert info["source"] == "database" and info["database"]["connected"]

        # one publication, served by all three within 2 s
        v2 = publish(with_extra_term(tmp_path, "v2", "zorblaxium"), pg_url)
        took = _wait_versions(servers, v2.version, 2.0)
        print(f"three sidecars serve the new version {took * 1000:.0f} ms after publish")
        for s in servers:
            assert httpx.post(s.url + "/v1/moderate", json={"text": "buy zorblaxium"}).json()["action"] == "block"

        # the database goes away: every sidecar keeps serving v2, and says it is disconnected
        relay.cut()
        v3 = publish(with_extra_term(tmp_path, "v3", "quuxfrobnite"), pg_url)  # published while they are cut off
        time.sleep(2.5)
        assert _versions(servers) == [v2.version] * 3
        assert not httpx.get(servers[1].url + "/v1/lexicon", headers=ADMIN).json()["database"]["connected"]
        assert httpx.post(servers[1].url + "/v1/moderate", json={"text": "zorblaxium"}).json()["action"] == "block"

        # a sidecar restarted while the database is away serves the version it had
        servers[2].stop()
        servers[2] = Server(SAMPLE, pg_url, args=["--lexicon-from-db"], env=servers[2].env).start()
        assert _versions(servers[2:]) == [v2.version]

        # the database returns: all three catch up with what was published meanwhile
        relay.restore()
        _wait_versions(servers, v3.version, 5.0)
        for s in servers:
            assert httpx.post(s.url + "/v1/moderate", json={"text": "quuxfrobnite"}).json()["action"] == "block"
    finally:
        for s in servers:
            if s.proc and s.proc.poll() is None:
                s.stop()
