"""What the audit log keeps of images, in both stores, through a real ``interceptor serve``.

A block record keeps each image's SHA-256, size, the text read and its boxes, and the image
itself unless ``[audit] keep_images = false``; it lives in the record's body, so the hash
chain covers it (changing one byte of a kept image is caught by verification) and the
retention purge removes it with its record.
"""
from __future__ import annotations

import base64
import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, fresh_pg_schema, write_lexicon
from tests.ocr_env import need_ocr
from tests.server import AUDITOR, Server
from tests.stores import PG_URL
from tests.test_images_screen import RULES, TERMS

pytestmark = pytest.mark.ocr
ENV = {"INTERCEPTOR_IMAGES_ENABLED": "true"}


def png(text: str) -> bytes:
    from tests.image_set import png as render

    return render(text, size=36)


def database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'audit.db'}"
    return fresh_pg_schema(f"img_audit_{abs(hash(str(tmp))) % 10**8}")


def alter(db: str, old: str, new: str) -> None:
    """Change a stored body behind the store's back, as someone with database access could."""
    if db.startswith("sqlite"):
        conn = sqlite3.connect(db.removeprefix("sqlite:///"))
        conn.execute("UPDATE records SET body = replace(body, ?, ?)", (old, new))
        conn.commit()
        conn.close()
        return
    import psycopg

    schema = db.rsplit("schema=", 1)[1]
    with psycopg.connect(PG_URL, autocommit=True, options=f"-c search_path={schema}") as conn:
        conn.execute("UPDATE records SET body = replace(body, %s, %s)", (old, new))


@pytest.fixture(params=["sqlite", "postgres"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    need_ocr()
    db = database(request.param, tmp_path)
    lexicon = write_lexicon(tmp_path / "lexicon", {"terms.tsv": TERMS, "rules.toml": RULES})
    s = Server(lexicon, db, env=ENV).start(timeout=120)
    try:
        yield s, db
    finally:
        s.stop()


def block(client: httpx.Client, picture: bytes) -> dict[str, Any]:
    r = client.post("/v1/moderate", json={"text": "哪里能买", "images": [{"data": base64.b64encode(picture).decode()}]})
    assert r.status_code == 200 and r.json()["action"] == "block", r.text
    rec = client.get(f"/v1/logs/{r.json()['log_id']}", headers=AUDITOR)
    assert rec.status_code == 200
    return rec.json()  # type: ignore[no-any-return]


def test_the_chain_covers_the_kept_image_and_retention_removes_it(served: tuple[Server, str]) -> None:
    server, db = served
    picture = png("冰毒")
    with httpx.Client(base_url=server.url, timeout=60) as c:
        rec = block(c, picture)
        [image] = rec["images"]
        assert image["sha256"] == hashlib.sha256(picture).hexdigest() and image["bytes"] == len(picture)
        assert "冰毒" in "".join(line["text"] for line in image["lines"])
        assert base64.b64decode(image["data"]) == picture
        assert c.get("/v1/logs/verify", headers=AUDITOR).json()["ok"] is True
        [listed] = [r for r in c.get("/v1/logs", headers=AUDITOR).json()["items"] if r["id"] == rec["id"]]
        assert listed["images"][0]["data_kept"] is True and "data" not in listed["images"][0]  # the page is light

        data = image["data"]
        middle = len(data) // 2
        alter(db, data[middle - 8:middle + 8], data[middle - 8:middle + 7] + ("A" if data[middle + 7] != "A" else "B"))
        verdict = c.get("/v1/logs/verify", headers=AUDITOR).json()
        assert verdict["ok"] is False and verdict["first_bad_id"] == rec["id"]
        alter(db, data[middle - 8:middle + 7] + ("A" if data[middle + 7] != "A" else "B"), data[middle - 8:middle + 8])
        assert c.get("/v1/logs/verify", headers=AUDITOR).json()["ok"] is True

    later = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    server.stop()
    run = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "purge", "--db", db, "--now", later],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    server.start(timeout=120)
    with httpx.Client(base_url=server.url, timeout=60) as c:
        assert c.get(f"/v1/logs/{rec['id']}", headers=AUDITOR).status_code == 404
        assert c.get("/v1/logs/verify", headers=AUDITOR).json()["ok"] is True


def test_keep_images_false_keeps_the_hash_and_text_not_the_image(tmp_path: Path) -> None:
    need_ocr()
    lexicon = write_lexicon(tmp_path / "lexicon", {"terms.tsv": TERMS, "rules.toml": RULES})
    picture = png("冰毒")
    s = Server(lexicon, database("sqlite", tmp_path), env={**ENV, "INTERCEPTOR_AUDIT_KEEP_IMAGES": "false"})
    s.start(timeout=120)
    try:
        with httpx.Client(base_url=s.url, timeout=60) as c:
            [image] = block(c, picture)["images"]
        assert image["sha256"] == hashlib.sha256(picture).hexdigest() and "data" not in image
        assert "冰毒" in "".join(line["text"] for line in image["lines"])
    finally:
        s.stop()
    assert base64.b64encode(picture).decode()[:200] not in (tmp_path / "audit.db").read_bytes().decode("latin-1")
