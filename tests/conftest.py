"""Shared fixtures: lexicons on disk, engines built once per session."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interceptor import Interceptor

if TYPE_CHECKING:
    from tests.proxies import ProxyProcess, Upstream

# compiled lexicons of this run in a directory of its own, never the user's cache, removed at exit
if "INTERCEPTOR_CACHE_DIR" not in os.environ:
    os.environ["INTERCEPTOR_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="interceptor-test-cache-")
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
EVAL = ROOT.parent / "shared" / "eval"


def write_lexicon(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf8")
    return path


def none_copy(src: Path, dst: Path) -> Path:
    """A copy of a lexicon with every term's variants set to `none`."""
    shutil.copytree(src, dst)
    for tsv in dst.glob("*.tsv"):
        lines = tsv.read_text(encoding="utf8").splitlines()
        header = lines[0].split("\t")
        col = header.index("variants")
        out = [lines[0]]
        for ln in lines[1:]:
            cells = ln.split("\t")
            cells[col] = "none"
            out.append("\t".join(cells))
        tsv.write_text("\n".join(out) + "\n", encoding="utf8")
    return dst


@pytest.fixture(scope="session")
def cases_guard() -> Interceptor:
    return Interceptor.from_path(CASES / "lexicon")


@pytest.fixture(scope="session")
def sample_guard() -> Interceptor:
    return Interceptor.from_path(ROOT / "lexicons" / "sample")


def fresh_pg_schema(schema: str) -> str:
    """A PostgreSQL URL naming an empty schema (skipped without a server unless CI)."""
    import psycopg

    from tests.stores import PG_URL, _in_ci, _pg_available

    if not _pg_available():
        if _in_ci():
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL} and CI=true")
        pytest.skip("PostgreSQL not reachable")
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return f"{PG_URL}?schema={schema}"


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """A PostgreSQL URL naming a fresh schema for this test."""
    return fresh_pg_schema(f"fleet_{os.getpid()}_{abs(hash(request.node.name)) % 10**6}")


@pytest.fixture
def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def upstream() -> Iterator[Upstream]:
    """The recording fake OpenAI API (tests/fake_openai.py), shared by the proxy tests."""
    from tests.proxies import Upstream

    up = Upstream()
    yield up
    up.stop()


@pytest.fixture(scope="session")
def proxy(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    """``interceptor proxy`` with the sample lexicon in front of ``upstream``."""
    from tests.proxies import running_proxy

    with running_proxy(upstream.url, tmp_path_factory.mktemp("proxy")) as p:
        yield p
