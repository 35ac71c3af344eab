"""Shared fixtures: lexicons on disk, engines built once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from interceptor import Interceptor

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


@pytest.fixture
def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
